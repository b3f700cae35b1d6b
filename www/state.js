// The page's state, mirrored to location.hash so that a reload restores it
// (once the same files are dropped again) and the back button undoes a step:
//   files       names of the loaded files the views show (merged, as pprof merges sources)
//   sampleType  pprof's sample_index by name ("" = the profile's default)
//   transforms  [{op, value}] in the order applied: focus, ignore, hide, show,
//               show_from, prune_from (regular expressions), tagfocus, tagignore
//               (pprof's tag filters: key=regexp or a numeric range) and granularity
//   view        top | flame | tree | peek | graph | tags
//   selection   the selected function's name (peek shows it)
//   zoom        the flame graph's zoomed call-tree node (the engine's id; "" = the root);
//               a change of files, sample type, filters or nodefraction resets it
//   sort        flat | cum (the top table's order), inverted (call tree)
//   nodefraction  pprof's nodefraction ("" = its default, 0.005)
//   params      parameters of the comparison and goroutine views, by URL key
//               (see PARAMS): diff_base=FILE or base=FILE (the base of a
//               comparison, by pprof's flag), normalize, compare (its sub-view),
//               similarity, fold_background, interval, goroutine_limit,
//               memory_limit, limit; provenance=1 merges several files with a
//               `file` label naming each (www/merge.js)
//   embed       the page shows only the view, without its chrome (embed=1: the iframe form)
// URL keys are pprof's names: #file=heap.pb.gz&sample_index=alloc_space&focus=net/http&view=flame

export const FILTERS = ['focus', 'ignore', 'hide', 'show', 'show_from', 'prune_from', 'tagfocus', 'tagignore'];
export const TAG_FILTERS = ['tagfocus', 'tagignore'];
export const GRANULARITIES = ['functions', 'filefunctions', 'files', 'lines', 'addresses'];
export const VIEWS = ['top', 'flame', 'tree', 'peek', 'graph', 'tags', 'compare', 'goroutines'];
export const PARAMS = ['diff_base', 'base', 'normalize', 'compare', 'similarity', 'fold_background', 'interval',
  'goroutine_limit', 'memory_limit', 'limit', 'provenance'];

/** @typedef {{op: string, value: string}} Transform */
/**
 * @typedef {{files: string[], sampleType: string, transforms: Transform[], view: string, selection: string,
 *   sort: string, inverted: boolean, nodefraction: string, params: Record<string, string>, embed: boolean, zoom: string}} State
 */

/** @returns {State} */
function initial() {
  return { files: [], sampleType: '', transforms: [], view: 'top', selection: '', sort: 'flat', inverted: false, nodefraction: '', params: {}, embed: false, zoom: '' };
}

/** @type {State} */
let state = fromHash(location.hash);
const listeners = new Set();

/** @returns {State} */
export function get() {
  return state;
}

/** Calls `fn(state, change)` after every change; change.history is true for back/forward. */
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Applies `patch`. `push` makes it a step the back button undoes; otherwise
 * the current history entry is rewritten.
 */
export function update(patch, { push = false } = {}) {
  const next = { ...state, ...patch };
  // A zoom names a node of one call tree: another query starts at the root.
  if (!('zoom' in patch) && RESETS_ZOOM.some((k) => k in patch && JSON.stringify(patch[k]) !== JSON.stringify(state[k]))) next.zoom = '';
  const hash = toHash(next);
  state = next;
  if (location.hash.slice(1) !== hash) {
    if (push) history.pushState(null, '', `#${hash}`);
    else history.replaceState(null, '', `#${hash}`);
  }
  for (const fn of listeners) fn(state, { history: false });
}

const RESETS_ZOOM = ['files', 'sampleType', 'transforms', 'nodefraction'];

// Leaving the page by Back loses the loaded files (they cannot be restored
// from the address): a guard entry below the first loaded state lets the
// page ask first (`guard`), instead of the browser leaving at once.
const GUARD = 'profdrop-guard';
let leaving = null;

/**
 * Puts the guard entry under the current one (once). `ask` is called when
 * Back reaches it; it resolves to true to leave the page, false to stay.
 * @param {() => Promise<boolean> | null} ask  null: nothing to lose, leave without asking
 */
export function guard(ask) {
  leaving = ask;
  if (history.state && history.state[GUARD]) return;
  if (guarded) return;
  guarded = true;
  history.replaceState({ [GUARD]: true }, '', location.href);
  history.pushState(null, '', location.href);
}
let guarded = false;

window.addEventListener('popstate', async (e) => {
  if (e.state && e.state[GUARD]) {
    const ask = leaving && leaving();
    if (ask) {
      if (await ask) {
        history.back();
      } else {
        // Stay: the state shown comes back on top of the guard.
        history.pushState(null, '', `#${toHash(state)}`);
      }
      return;
    }
    history.back();
    return;
  }
  state = fromHash(location.hash);
  for (const fn of listeners) fn(state, { history: true });
});

/** @param {State} s */
export function toHash(s) {
  const q = new URLSearchParams();
  for (const f of s.files) q.append('file', f);
  if (s.sampleType) q.set('sample_index', s.sampleType);
  for (const t of s.transforms) q.append(t.op, t.value);
  if (s.view !== 'top') q.set('view', s.view);
  if (s.selection) q.set('sel', s.selection);
  if (s.sort !== 'flat') q.set('sort', s.sort);
  if (s.inverted) q.set('inverted', '1');
  if (s.nodefraction) q.set('nodefraction', s.nodefraction);
  if (s.zoom) q.set('zoom', s.zoom);
  for (const k of PARAMS) if (s.params && s.params[k]) q.set(k, s.params[k]);
  if (s.embed) q.set('embed', '1');
  return q.toString();
}

/** @returns {State} */
export function fromHash(hash) {
  const s = initial();
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  for (const [k, v] of q) {
    if (k === 'file') s.files.push(v);
    else if (k === 'sample_index') s.sampleType = v;
    else if (FILTERS.includes(k) && v) s.transforms.push({ op: k, value: v });
    else if (k === 'granularity' && GRANULARITIES.includes(v)) s.transforms.push({ op: k, value: v });
    else if (k === 'view' && VIEWS.includes(v)) s.view = v;
    else if (k === 'sel') s.selection = v;
    else if (k === 'sort' && (v === 'cum' || v === 'flat')) s.sort = v;
    else if (k === 'inverted') s.inverted = v === '1';
    else if (k === 'nodefraction' && validFraction(v)) s.nodefraction = v;
    else if (k === 'zoom' && /^[1-9]\d*$/.test(v)) s.zoom = v;
    else if (PARAMS.includes(k) && v) s.params[k] = v;
    else if (k === 'embed') s.embed = v === '1';
  }
  return s;
}

/**
 * The engine options for a state: several values of one filter match any of
 * them (joined as one regular expression, as pprof takes one per option).
 * @param {State} s
 * @returns {import('./engine.js').Options}
 */
export function options(s) {
  const o = {};
  if (s.sampleType) o.sample_index = s.sampleType;
  for (const op of FILTERS) {
    const vs = s.transforms.filter((t) => t.op === op).map((t) => t.value);
    if (vs.length === 1) o[op] = vs[0];
    else if (vs.length > 1) o[op] = TAG_FILTERS.includes(op) ? joinTagFilters(vs) : vs.map((v) => `(?:${v})`).join('|');
  }
  const g = s.transforms.filter((t) => t.op === 'granularity').pop();
  if (g) o.granularity = g.value;
  if (s.nodefraction) o.nodefraction = Number(s.nodefraction);
  if (s.params && s.params.provenance === '1' && s.files.length > 1) o.provenance = true;
  return o;
}

/**
 * Several tag filters as pprof's one option: `key=re1,re2` (any of them) when
 * they name the same key; pprof's option holds one key, so otherwise the
 * latest key's filters apply (the Tags view replaces a filter on another key).
 */
export function joinTagFilters(vs) {
  const key = (v) => (v.includes('=') ? v.slice(0, v.indexOf('=')) : '');
  const last = key(vs[vs.length - 1]);
  const same = vs.filter((v) => key(v) === last).map((v) => (last ? v.slice(last.length + 1) : v));
  return last ? `${last}=${same.join(',')}` : same.join(',');
}

/** pprof's tag filter matching exactly `value` of label `key` (a comma would split pprof's list). */
export function tagExactly(key, value) {
  return `${key}=${exactly(value).replace(/,/g, '\\x2c')}`;
}

export function validFraction(v) {
  return v !== '' && Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= 1;
}

/** A regular expression matching exactly `name` (what right-click applies). */
export function exactly(name) {
  return `^${name.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`;
}
