// The diff top table: pprof's rows for the diff, in pprof's order (by |flat|
// or, sorted by cum, by |cum|), with pprof's columns (flat, flat%, sum%,
// cum, cum% of target − base) beside each side's value, the change relative
// to the base and the rate per minute; "new" and "gone" mark functions
// absent from one side. The rows can be re-sorted by the signed delta
// (growth first) or by the relative change. Exports as CSV or Markdown.
import * as engine from '../engine.js';
import { h, fill } from '../dom.js';

const INLINE = ['', ' (inline)', ' (partial-inline)'];
const PAGE = 500;
const ROW = 22;

/** @param {object} cctx the comparison's view context (compare.js) */
export function create(cctx) {
  const labels = h('pre', { class: 'labels', 'aria-label': 'Report summary' });
  const tools = h('div', { class: 'diff-tools' });
  const status = h('span', { class: 'hint', role: 'status' });
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'top diff' }, thead, tbody);
  const scroller = h('div', { class: 'scroller', tabindex: '0', role: 'group', 'aria-label': 'Diff table; arrow keys select a row, the context-menu key opens actions' }, table);
  const more = h('p', { class: 'count' });
  const el = h('div', { class: 'top-view diff-view' }, labels, tools, scroller, more);

  /** @type {import('../engine.js').DiffTopView | null} */
  let data = null;
  let key = '';
  let order = 'pprof';
  let limit = PAGE;
  let shown = [];
  let cursor = -1;
  let generation = 0;
  let matchMask = null;

  const s = () => cctx.state();
  const measure = () => (s().sort === 'cum' ? 'cum' : 'flat');
  const name = (i) => engine.str(data.name, i);

  function sortButton(label, id, title) {
    const on = id === 'pprof' ? order === 'pprof' && label === measure() : order === id;
    return h('button', { type: 'button', class: 'sort', 'data-order': id, 'data-label': label, title, 'aria-pressed': String(on) }, label);
  }

  function head() {
    const m = measure();
    const th = (cls, ...c) => h('th', { scope: 'col', class: cls }, ...c);
    const sortTh = (label, id, title, cls = 'num') => {
      const on = id === 'pprof' ? order === 'pprof' && label === m : order === id;
      return h('th', { scope: 'col', class: cls, 'aria-sort': on ? 'descending' : 'none' }, sortButton(label, id, title));
    };
    const rates = !!data.flat_rate_text;
    fill(thead, h('tr', {},
      sortTh('flat', 'pprof', 'pprof order: by |flat| of the diff'),
      th('num', 'flat%'), th('num', 'sum%'),
      sortTh('cum', 'pprof', 'pprof order: by |cum| of the diff'),
      th('num', 'cum%'),
      th('num side', `base ${m}`), th('num side', `target ${m}`),
      sortTh('delta', 'delta', `by the signed change of ${m}, growth first`, 'num side'),
      sortTh('delta%', 'change', `by the change of ${m} relative to the base, growth first`, 'num side'),
      rates ? th('num side', `${m}/min`) : null,
      th('name', 'name')));
  }

  thead.addEventListener('click', (e) => {
    const b = e.target.closest('button.sort');
    if (!b) return;
    if (b.dataset.order === 'pprof') {
      order = 'pprof';
      if (b.dataset.label !== measure()) { cctx.update({ sort: b.dataset.label }); return; }
    } else {
      order = order === b.dataset.order ? 'pprof' : b.dataset.order;
    }
    arrange();
  });

  function arrange() {
    const m = measure();
    let idx = Array.from({ length: data.rows }, (_, i) => i);
    if (matchMask) idx = idx.filter((i) => matchMask[i]);
    if (order === 'delta') {
      const v = data[m];
      idx.sort((a, b) => v[b] - v[a] || a - b);
    } else if (order === 'change') {
      const v = data[`${m}_change`];
      idx.sort((a, b) => (v[b] - v[a]) || (data[m][b] - data[m][a]) || a - b);
    }
    shown = idx;
    cursor = -1;
    head();
    draw();
  }

  function makeRow(k) {
    const i = shown[k];
    const m = measure();
    const n = name(i);
    const td = (cls, text) => h('td', { class: cls }, text);
    const p = data.presence[i];
    return h('tr', { class: `row${p === 1 ? ' new' : p === 2 ? ' gone' : ''}`, 'data-k': k },
      td('num', engine.str(data.flat_text, i)),
      td('num', engine.str(data.flat_pct, i)),
      td('num', engine.str(data.sum_pct, i)),
      td('num', engine.str(data.cum_text, i)),
      td('num', engine.str(data.cum_pct, i)),
      td('num side base', engine.str(data[`base_${m}_text`], i)),
      td('num side target', engine.str(data[`target_${m}_text`], i)),
      td(`num side delta ${data[m][i] > 0 ? 'up' : data[m][i] < 0 ? 'down' : ''}`, engine.str(data[`${m}_text`], i)),
      td('num side change', engine.str(data[`${m}_change_text`], i)),
      data.flat_rate_text ? td('num side rate', engine.str(data[`${m}_rate_text`], i)) : null,
      h('td', { class: 'name', title: n }, n,
        data.inline[i] ? h('span', { class: 'inl' }, INLINE[data.inline[i]]) : null,
        p ? h('span', { class: `presence ${p === 1 ? 'new' : 'gone'}`, title: p === 1 ? 'absent from the base' : 'absent from the target' }, p === 1 ? 'new' : 'gone') : null));
  }

  function draw() {
    const sel = s().selection;
    const n = Math.min(shown.length, limit);
    const rows = [];
    for (let k = 0; k < n; k++) {
      const tr = makeRow(k);
      if (name(shown[k]) === sel) tr.classList.add('selected');
      if (k === cursor) tr.classList.add('cursor');
      rows.push(tr);
    }
    tbody.replaceChildren(...rows);
    fill(more, `${shown.length} rows`, shown.length > limit
      ? h('button', { type: 'button', class: 'link', onclick: () => { limit = shown.length; draw(); } }, ` — showing ${limit}; show all`)
      : '');
  }

  const rowOf = (target) => {
    const tr = target.closest('tr.row');
    return tr ? Number(tr.dataset.k) : -1;
  };
  tbody.addEventListener('click', (e) => {
    const k = rowOf(e.target);
    if (k >= 0) { cursor = k; cctx.select(name(shown[k])); }
  });
  tbody.addEventListener('contextmenu', (e) => {
    const k = rowOf(e.target);
    if (k < 0) return;
    e.preventDefault();
    cursor = k;
    cctx.menu(e.pageX, e.pageY, name(shown[k]));
  });
  scroller.addEventListener('keydown', (e) => {
    if (!data || !shown.length) return;
    const n = Math.min(shown.length, limit);
    const page = Math.max(1, Math.floor(scroller.clientHeight / ROW) - 2);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    if (e.key in moves) {
      e.preventDefault();
      cursor = Math.max(0, Math.min(n - 1, (cursor < 0 ? -1 : cursor) + moves[e.key]));
      for (const tr of tbody.children) tr.classList.toggle('cursor', Number(tr.dataset.k) === cursor);
      const tr = tbody.children[cursor];
      if (tr) tr.scrollIntoView({ block: 'nearest' });
      cctx.select(name(shown[cursor]));
    } else if ((e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) && cursor >= 0) {
      e.preventDefault();
      const r = tbody.children[cursor].getBoundingClientRect();
      cctx.menu(r.left + window.scrollX + 40, r.bottom + window.scrollY, name(shown[cursor]));
    }
  });

  async function copy(format) {
    const q = cctx.query();
    try {
      const text = await engine.compareExport(cctx.pair(), { ...q.options, cum: measure() === 'cum' }, format);
      await navigator.clipboard.writeText(text);
      status.textContent = `copied the table as ${format === 'csv' ? 'CSV' : 'Markdown'}`;
    } catch (err) {
      status.textContent = `could not copy: ${err.message}`;
    }
  }
  fill(tools,
    h('button', { type: 'button', onclick: () => copy('csv') }, 'Copy as CSV'),
    h('button', { type: 'button', onclick: () => copy('markdown') }, 'Copy as Markdown'),
    status);

  async function search(pattern) {
    if (!data) return;
    if (!pattern) {
      matchMask = null;
      cctx.searchStatus('');
    } else {
      const gen = generation;
      let mask;
      try {
        mask = await engine.compareTopMatch(cctx.pair(), { ...cctx.query().options, cum: measure() === 'cum' }, pattern);
      } catch (err) {
        cctx.searchStatus(err.message);
        return;
      }
      if (gen !== generation) return;
      matchMask = mask;
      cctx.searchStatus(`${matchMask.reduce((n, x) => n + x, 0)} of ${data.rows} rows match`);
    }
    arrange();
  }

  return {
    el,
    async render() {
      const q = cctx.query();
      const options = { ...q.options, cum: measure() === 'cum' };
      const k = JSON.stringify([cctx.pair(), options]);
      if (k === key) { head(); draw(); cctx.rendered(); return; }
      const gen = ++generation;
      const result = await engine.compareTop(cctx.pair(), options);
      if (gen !== generation) return;
      // The key names what is drawn: set once the rows are in, never for an abandoned render.
      key = k;
      data = result;
      cctx.header(data);
      labels.textContent = data.labels.join('\n');
      limit = PAGE;
      matchMask = null;
      arrange();
      if (cctx.searchPattern()) await search(cctx.searchPattern());
      cctx.rendered();
    },
    search,
    /** Test hook: the rows as the engine sent them, and the shown order. */
    data: () => data,
    order: () => shown,
    destroy() { generation++; },
  };
}
