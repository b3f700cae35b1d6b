// Controls: the sample type (every type in the file, beside the tabs), the
// granularity, the focus/ignore/hide/show/show_from/prune_from/tagfocus/tagignore fields, the
// applied filters as removable chips, and what matched nothing.
import * as state from './state.js';
import { unmatchedLines } from './view-host.js';
import { h, fill } from './dom.js';
import * as layout from './layout.js';

const $ = (id) => document.getElementById(id);

const HELP = {
  focus: 'keep samples with a frame matching',
  ignore: 'drop samples with a frame matching',
  hide: 'drop matching frames from stacks',
  show: 'keep only matching frames in stacks',
  show_from: 'drop frames above the first match',
  prune_from: 'drop frames below a match',
  tagfocus: 'keep samples with a label matching key=regexp (or a numeric range, bytes=4kb:)',
  tagignore: 'drop samples with a label matching key=regexp',
};

export function init() {
  const form = $('filters');
  for (const op of state.FILTERS) {
    form.append(h('label', { title: HELP[op] }, op, ' ', h('input', { name: op, type: 'text', placeholder: op.startsWith('tag') ? 'key=regexp' : 'regexp', spellcheck: 'false' })));
  }
  form.append(h('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const added = [];
    for (const op of state.FILTERS) {
      const input = form.elements.namedItem(op);
      const v = input.value.trim();
      if (v) added.push({ op, value: v });
      input.value = '';
    }
    if (added.length) apply(added);
    layout.reveal({ focus: false });
  });
  $('sample-type').addEventListener('change', (e) => state.update({ sampleType: e.target.value }, { push: true }));
  const g = $('granularity');
  for (const x of state.GRANULARITIES) g.append(h('option', { value: x }, x));
  $('nodefraction').addEventListener('change', (e) => {
    const v = e.target.value.trim();
    // The field also fires 'change' when it loses focus: the same value again is no new step.
    if (v === state.get().nodefraction) return;
    if (v === '' || state.validFraction(v)) state.update({ nodefraction: v }, { push: true });
  });
  g.addEventListener('change', (e) => {
    const transforms = state.get().transforms.filter((t) => t.op !== 'granularity');
    if (e.target.value !== 'functions') transforms.push({ op: 'granularity', value: e.target.value });
    state.update({ transforms }, { push: true });
  });
}

/** Adds filters (a step the back button undoes). */
export function apply(added) {
  const s = state.get();
  const transforms = s.transforms.filter((t) => !added.some((a) => a.op === t.op && a.value === t.value)).concat(added);
  state.update({ transforms }, { push: true });
}

/**
 * @param {import('./state.js').State} s
 * @param {import('./engine.js').Summary | null} summary the profile whose sample types are listed
 */
export function render(s, summary) {
  const sel = $('sample-type');
  const types = summary ? summary.sample_types : [];
  const def = summary && types[summary.default_sample_index] ? types[summary.default_sample_index][0] : '';
  const current = s.sampleType || def;
  fill(sel, types.map(([t, u]) => h('option', { value: t, selected: t === current }, u ? `${t} (${u})` : t || '(unnamed)')));
  sel.value = current;
  const g = s.transforms.filter((t) => t.op === 'granularity').pop();
  $('granularity').value = g ? g.value : 'functions';
  if (document.activeElement !== $('nodefraction')) $('nodefraction').value = s.nodefraction;
  // The transform stack's steps have their own chips (breadcrumbs.js).
  const chips = s.transforms.filter((t) => t.op !== 'granularity' && t.op !== 'tx');
  fill($('chips'), chips.map((t) => {
    const label = `${t.op}=${t.value}`;
    return h('li', { class: `chip ${t.op}` },
      h('span', {}, label),
      h('button', {
        type: 'button', 'aria-label': `Remove ${label}`, title: 'Remove',
        onclick: () => state.update({ transforms: s.transforms.filter((x) => x !== t) }, { push: true }),
      }, '×'));
  }));
  showApplied();
}

/** The line of applied filters and transform steps above the view shows only when it says something. */
function showApplied() {
  const tx = $('tx-chips');
  $('applied').hidden = !$('chips').childElementCount && !(tx && tx.childElementCount) && !$('messages').childElementCount;
}

/** Says which filters matched nothing (the engine lists them by option name or as a sentence). */
export function unmatched(list, s) {
  fill($('messages'), unmatchedLines(list, s).map((l) => h('span', { class: 'unmatched' }, l)));
  showApplied();
}
