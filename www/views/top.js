// Top: pprof's -top as a real <table> (flat, flat%, sum%, cum, cum%, name),
// sorted by flat or cum (the engine sorts, so sum% stays pprof's), with
// pprof's summary lines above. Only the rows in view are in the DOM, so
// 100,000 rows scroll like 100. The search box keeps the matching rows.
import * as engine from '../engine.js';
import { h, fill } from '../dom.js';

const ROW = 22;
const OVERSCAN = 30;
const INLINE = ['', ' (inline)', ' (partial-inline)'];

export const title = 'Top';

let instances = 0;

/** @param {import('../app.js').ViewContext} ctx */
export function create(ctx) {
  const labels = h('pre', { class: 'labels', 'aria-label': 'Report summary' });
  const sortButton = (col) => h('button', { type: 'button', class: 'sort', 'data-sort': col, title: `Sort by ${col}` }, col);
  const headFlat = h('th', { scope: 'col', class: 'num' }, sortButton('flat'));
  const headCum = h('th', { scope: 'col', class: 'num' }, sortButton('cum'));
  const thead = h('thead', {}, h('tr', {},
    headFlat, h('th', { scope: 'col', class: 'num' }, 'flat%'), h('th', { scope: 'col', class: 'num' }, 'sum%'),
    headCum, h('th', { scope: 'col', class: 'num' }, 'cum%'), h('th', { scope: 'col', class: 'name' }, 'name')));
  const tbody = h('tbody');
  const table = h('table', { class: 'top' },
    h('colgroup', {}, h('col', { class: 'c-val' }), h('col', { class: 'c-pct' }), h('col', { class: 'c-pct' }),
      h('col', { class: 'c-val' }), h('col', { class: 'c-pct' }), h('col', { class: 'c-name' })),
    thead, tbody);
  const scroller = h('div', { class: 'scroller', tabindex: '0', role: 'group', 'aria-label': 'Top table; arrow keys select a row, the context-menu key opens actions' }, table);
  const count = h('p', { class: 'count' });
  // What a keyboard move selected, for screen readers (the focus stays on the table).
  const said = h('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  const el = h('div', { class: 'top-view' }, labels, count, scroller, said);
  const rowId = `top-row-${++instances}`;

  /** @type {import('../engine.js').TopView | null} */
  let data = null;
  let shown = new Uint32Array(0);
  let key = '';
  let searchKey = '';
  let cursor = -1;
  let generation = 0;

  thead.addEventListener('click', (e) => {
    const b = e.target.closest('button.sort');
    if (b) ctx.update({ sort: b.dataset.sort });
  });

  const name = (i) => engine.str(data.name, i);

  // Rows are kept while they stay in the window, so scrolling moves nodes
  // rather than rebuilding them (and a row being clicked stays the same node).
  let cache = new Map();
  const spacerTop = h('tr', { class: 'spacer', 'aria-hidden': 'true' });
  const spacerBottom = h('tr', { class: 'spacer', 'aria-hidden': 'true' });

  function makeRow(k) {
    const i = shown[k];
    const n = name(i);
    return h('tr', { class: 'row', 'data-k': k, 'aria-rowindex': k + 2, id: `${rowId}-${k}` },
      h('td', { class: 'num' }, engine.str(data.flat_text, i)),
      h('td', { class: 'num' }, engine.str(data.flat_pct, i)),
      h('td', { class: 'num' }, engine.str(data.sum_pct, i)),
      h('td', { class: 'num' }, engine.str(data.cum_text, i)),
      h('td', { class: 'num' }, engine.str(data.cum_pct, i)),
      h('td', { class: 'name', title: n }, n, data.inline[i] ? h('span', { class: 'inl' }, INLINE[data.inline[i]]) : null));
  }

  function draw() {
    if (!data) return;
    const height = scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW) - OVERSCAN);
    const last = Math.min(shown.length, Math.ceil((scroller.scrollTop + height) / ROW) + OVERSCAN);
    const sel = ctx.state().selection;
    const next = new Map();
    const rows = [];
    for (let k = first; k < last; k++) {
      const tr = cache.get(k) || makeRow(k);
      tr.classList.toggle('selected', name(shown[k]) === sel);
      tr.classList.toggle('cursor', k === cursor);
      next.set(k, tr);
      rows.push(tr);
    }
    cache = next;
    spacerTop.style.height = `${first * ROW}px`;
    spacerBottom.style.height = `${(shown.length - last) * ROW}px`;
    tbody.replaceChildren(...(first > 0 ? [spacerTop] : []), ...rows, ...(last < shown.length ? [spacerBottom] : []));
    if (cursor >= first && cursor < last) scroller.setAttribute('aria-activedescendant', `${rowId}-${cursor}`);
    else scroller.removeAttribute('aria-activedescendant');
  }

  /** Says the row the keyboard selected: its name, values and place. */
  function announce() {
    const i = shown[cursor];
    said.textContent = `${name(i)}: flat ${engine.str(data.flat_text, i)} (${engine.str(data.flat_pct, i)}), `
      + `cum ${engine.str(data.cum_text, i)} (${engine.str(data.cum_pct, i)}); row ${cursor + 1} of ${shown.length}`;
  }

  /** Forget rendered rows (the data or the rows shown changed). */
  function reset() {
    cache = new Map();
  }

  let pending = false;
  scroller.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; draw(); });
  });

  const rowOf = (target) => {
    const tr = target.closest('tr.row');
    return tr ? Number(tr.dataset.k) : -1;
  };
  tbody.addEventListener('click', (e) => {
    const k = rowOf(e.target);
    if (k >= 0) { cursor = k; ctx.select(name(shown[k])); draw(); }
  });
  tbody.addEventListener('contextmenu', (e) => {
    const k = rowOf(e.target);
    if (k < 0) return;
    e.preventDefault();
    cursor = k;
    ctx.menu(e.pageX, e.pageY, name(shown[k]));
  });
  scroller.addEventListener('keydown', (e) => {
    if (!data || !shown.length) return;
    const page = Math.max(1, Math.floor(scroller.clientHeight / ROW) - 1);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    if (e.key in moves) {
      e.preventDefault();
      cursor = Math.max(0, Math.min(shown.length - 1, (cursor < 0 ? -1 : cursor) + moves[e.key]));
      if (cursor * ROW < scroller.scrollTop) scroller.scrollTop = cursor * ROW;
      else if ((cursor + 1) * ROW > scroller.scrollTop + scroller.clientHeight - ROW) scroller.scrollTop = (cursor + 2) * ROW - scroller.clientHeight;
      ctx.select(name(shown[cursor]));
      draw();
      announce();
    } else if ((e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) && cursor >= 0) {
      e.preventDefault();
      const tr = tbody.querySelector(`tr[data-k="${cursor}"]`);
      const r = tr ? tr.getBoundingClientRect() : scroller.getBoundingClientRect();
      ctx.menu(r.left + window.scrollX + 40, r.bottom + window.scrollY, name(shown[cursor]));
    }
  });

  async function search(pattern) {
    if (!data) return;
    const q = ctx.query();
    const k = `${key}\n${pattern}`;
    if (k === searchKey) return;
    searchKey = k;
    if (!pattern) {
      shown = Uint32Array.from({ length: data.rows }, (_, i) => i);
      ctx.searchStatus('');
    } else {
      const gen = generation;
      let mask;
      try {
        mask = await engine.topMatch({ ...q, options: { ...q.options, cum: ctx.state().sort === 'cum' } }, pattern);
      } catch (err) {
        if (!(err instanceof engine.Superseded)) ctx.searchStatus(err.message);
        return;
      }
      if (gen !== generation) return;
      const v = [];
      for (let i = 0; i < mask.length; i++) if (mask[i]) v.push(i);
      shown = Uint32Array.from(v);
      ctx.searchStatus(`${v.length} of ${data.rows} rows match`);
    }
    reset();
    cursor = -1;
    scroller.scrollTop = 0;
    count.textContent = `${shown.length} rows`;
    draw();
  }

  return {
    el,
    async render() {
      const q = ctx.query();
      const s = ctx.state();
      const options = { ...q.options, cum: s.sort === 'cum' };
      const k = JSON.stringify([q.ids, options]);
      headFlat.setAttribute('aria-sort', s.sort === 'flat' ? 'descending' : 'none');
      headCum.setAttribute('aria-sort', s.sort === 'cum' ? 'descending' : 'none');
      if (k === key) { draw(); return; }
      key = k;
      const gen = ++generation;
      const result = await engine.top({ ...q, options });
      if (gen !== generation) return;
      data = result;
      ctx.header(data);
      labels.textContent = data.labels.join('\n');
      searchKey = '';
      reset();
      shown = Uint32Array.from({ length: data.rows }, (_, i) => i);
      cursor = -1;
      count.textContent = `${data.rows} rows`;
      draw();
      await search(ctx.searchPattern());
      ctx.rendered();
    },
    search,
    /** Test and benchmark hook: the rows as the engine sent them. */
    data: () => data,
    destroy() { generation++; },
  };
}
