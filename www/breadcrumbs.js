// The transform stack (crate/src/transform/stack.rs) in the page: each step
// a removable chip above the view, in the order applied; the address keeps
// them as one `tx=` key (`tx=mf:runtime.mallocgc,cp:net/http`), and adding
// one is a step the back button undoes. The right-click menu adds them
// (menu.js, with `actions`). Steps live in the state's transform list as
// `{op: 'tx', value: 'code:NAME'}`.
import * as state from './state.js';
import { h, fill } from './dom.js';

/** Step codes with what the chip and the menu say. */
export const STEPS = {
  mf: ['merge', 'Merge function (its cost to its callers)'],
  mcn: ['merge node', 'Merge this call node'],
  ff: ['focus', 'Focus on function (all its paths, merged)'],
  ffi: ['callers of', 'Focus on function, inverted (its callers)'],
  fs: ['focus subtree', 'Focus on this subtree'],
  df: ['drop', 'Drop samples through function'],
  rec: ['collapse recursion', 'Collapse recursion'],
  drec: ['collapse direct recursion', 'Collapse direct recursion'],
  cp: ['collapse', 'Collapse package'],
};

const escape = (s) => s.replace(/%/g, '%25').replace(/,/g, '%2C').replace(/;/g, '%3B');
const unescape = (s) => s.replace(/%2C/gi, ',').replace(/%3B/gi, ';').replace(/%25/g, '%');

/** One step as the engine reads it: `code:NAME`, a path's names joined by `;`. */
export function step(code, names) {
  return `${code}:${(Array.isArray(names) ? names : [names]).map(escape).join(';')}`;
}

/** A step's code and names. */
export function parse(value) {
  const i = value.indexOf(':');
  return { code: value.slice(0, i), names: value.slice(i + 1).split(';').map(unescape) };
}

/** The package of a Go function name (`net/http` of `net/http.(*Client).Do`). */
export function packageOf(name) {
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  return dot > 0 ? name.slice(0, dot) : '';
}

/** The steps of a state, in order. */
export function steps(s) {
  return s.transforms.filter((t) => t.op === 'tx').map((t) => t.value);
}

/** Adds a step (a step the back button undoes). */
export function add(value) {
  const s = state.get();
  state.update({ transforms: s.transforms.concat([{ op: 'tx', value }]) }, { push: true });
}

/**
 * The menu entries for a function (and its call path, where the view knows
 * it): [label, step] pairs.
 * @param {string} name @param {string[]} [path] names from the root
 */
export function actions(name, path) {
  const out = [];
  for (const code of ['mf', 'ff', 'ffi', 'df', 'rec', 'drec']) out.push([STEPS[code][1], step(code, name)]);
  if (path && path.length) {
    out.push([STEPS.mcn[1], step('mcn', path)], [STEPS.fs[1], step('fs', path)]);
  }
  const pkg = packageOf(name);
  if (pkg) out.push([`${STEPS.cp[1]} ${pkg}`, step('cp', pkg)]);
  return out;
}

/** A step as the chip says it. */
export function label(value) {
  const { code, names } = parse(value);
  const verb = STEPS[code] ? STEPS[code][0] : code;
  return `${verb} ${names.join(' › ')}`;
}

let list = null;

/** Makes the chip list, after the filters' chips. */
export function init(after) {
  list = h('ul', { id: 'tx-chips', class: 'tx-chips', 'aria-label': 'Transforms, in the order applied' });
  after.after(list);
}

/** @param {import('./state.js').State} s */
export function render(s) {
  if (!list) return;
  const all = s.transforms.filter((t) => t.op === 'tx');
  fill(list, all.map((t, i) => {
    const text = label(t.value);
    return h('li', { class: 'chip tx', title: t.value },
      h('span', { class: 'tx-order' }, `${i + 1}`), ' ', h('span', {}, text),
      h('button', {
        type: 'button', 'aria-label': `Remove ${text}`, title: 'Remove',
        onclick: () => state.update({ transforms: state.get().transforms.filter((x) => x !== t) }, { push: true }),
      }, '×'));
  }));
  list.hidden = all.length === 0;
}
