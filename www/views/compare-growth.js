// Growth over three or more snapshots of one kind (crate/src/view/compare.rs
// growth): per function its value at each snapshot, the least-squares slope
// per minute and whether it only grew, with a small chart per row; steepest
// growth first. A limit (the pod's memory limit, a goroutine count) gives
// the projected time the total reaches it.
import * as engine from '../engine.js';
import { h, fill } from '../dom.js';

const MAX_ROWS = 300;
const SVG = 'http://www.w3.org/2000/svg';

/** The URL key of the limit for a kind and sample type. */
export function limitKey(kind, sampleType) {
  if (kind === 'goroutine') return 'goroutine_limit';
  if (/_space$|bytes/.test(sampleType)) return 'memory_limit';
  return 'limit';
}

/** A small line chart of `ys` over `xs` (SVG built node by node). */
export function sparkline(xs, ys, label) {
  const W = 120;
  const H = 22;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('width', String(W));
  svg.setAttribute('height', String(H));
  svg.setAttribute('class', 'spark');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const y0 = Math.min(...ys);
  const y1 = Math.max(...ys);
  const px = (x) => (x1 === x0 ? W / 2 : 2 + ((x - x0) / (x1 - x0)) * (W - 4));
  const py = (y) => (y1 === y0 ? H / 2 : H - 2 - ((y - y0) / (y1 - y0)) * (H - 4));
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', xs.map((x, i) => `${px(x).toFixed(1)},${py(ys[i]).toFixed(1)}`).join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('class', ys[ys.length - 1] > ys[0] ? 'up' : ys[ys.length - 1] < ys[0] ? 'down' : 'flat');
  svg.append(line);
  for (let i = 0; i < xs.length; i++) {
    const c = document.createElementNS(SVG, 'circle');
    c.setAttribute('cx', px(xs[i]).toFixed(1));
    c.setAttribute('cy', py(ys[i]).toFixed(1));
    c.setAttribute('r', '1.6');
    svg.append(c);
  }
  return svg;
}

/** @param {object} cctx the comparison's view context (compare.js) */
export function create(cctx) {
  const head = h('div', { class: 'growth-head' });
  const sortButtons = h('span', { class: 'growth-sort', role: 'group', 'aria-label': 'Values' }, ['flat', 'cum'].map((v) => h('button', {
    type: 'button', class: 'sort', 'data-sort': v, title: v === 'flat' ? 'each function\'s own value' : 'each function with its callees',
    onclick: () => cctx.update({ sort: v }),
  }, v)));
  const limitInput = h('input', { type: 'text', class: 'limit', placeholder: 'e.g. 1GiB or 30000', spellcheck: 'false', 'aria-label': 'Limit' });
  const projection = h('p', { class: 'projection', role: 'status' });
  const thead = h('thead');
  const tbody = h('tbody');
  const more = h('p', { class: 'count' });
  const el = h('div', { class: 'growth-view' }, head,
    h('div', { class: 'goroutines-controls' }, sortButtons, h('label', {}, 'limit ', limitInput), projection),
    h('div', { class: 'scroller', tabindex: '0', role: 'group', 'aria-label': 'Growth table' }, h('table', { class: 'growth' }, thead, tbody), more));

  let data = null;
  let key = '';
  let generation = 0;
  let param = 'limit';

  limitInput.addEventListener('change', () => {
    const params = { ...cctx.state().params };
    const v = limitInput.value.trim();
    if (v) params[param] = v;
    else delete params[param];
    cctx.update({ params }, { push: true });
  });

  function render(g) {
    const name = (i) => engine.str(g.name, i);
    const k = g.snapshots;
    const entries = Array.from(g.ids, (id) => cctx.entries().find((e) => e.summary.id === id));
    fill(head, h('p', {}, `Growth of ${g.sample_type} over ${k} snapshots, oldest first; slopes by least squares over the snapshots' times`,
      g.from_file.some((x) => x) ? " (time from the file's date where marked)" : '', '.'),
    h('ol', { class: 'snapshots' }, entries.map((e, i) => h('li', {},
      h('span', { class: 'name' }, e ? e.name : `#${g.ids[i]}`), ` · ${g.time_text[i]}`,
      g.from_file[i] ? h('span', { class: 'from-file' }, " (time from the file's date)") : '', ` · +${g.minutes_text[i]}`))));
    if (g.limit_error) fill(projection, h('span', { class: 'error' }, g.limit_error));
    else fill(projection, g.projection || '');
    const th = (cls, text, title) => h('th', { scope: 'col', class: cls, title }, text);
    fill(thead, h('tr', {},
      Array.from({ length: k }, (_, j) => th('num', `#${j + 1} +${g.minutes_text[j]}`, entries[j] ? entries[j].name : '')),
      th('num', 'slope', 'least-squares slope per minute'), th('', 'monotonic', 'never decreased, and grew overall'), th('', 'chart'), th('name', 'name')));
    const xs = Array.from(g.minutes);
    const rows = [h('tr', { class: 'total' },
      Array.from({ length: k }, (_, j) => h('td', { class: 'num' }, g.totals_text[j])),
      h('td', { class: 'num slope' }, g.total_slope_text), h('td', {}, ''),
      h('td', {}, sparkline(xs, Array.from(g.totals), 'total')), h('td', { class: 'name' }, 'total'))];
    for (let i = 0; i < g.rows; i++) {
      const ys = Array.from(g.values.subarray(i * k, (i + 1) * k));
      rows.push(h('tr', { class: 'row' },
        Array.from({ length: k }, (_, j) => h('td', { class: 'num value' }, engine.str(g.value_text, i * k + j))),
        h('td', { class: `num slope ${g.slope[i] > 0 ? 'up' : g.slope[i] < 0 ? 'down' : ''}` }, engine.str(g.slope_text, i)),
        h('td', { class: 'monotonic' }, g.monotonic[i] ? 'yes' : 'no'),
        h('td', {}, sparkline(xs, ys, name(i))),
        h('td', { class: 'name', title: name(i) }, name(i))));
    }
    tbody.replaceChildren(...rows);
    fill(more, g.row_count > g.rows ? `${g.rows} of ${g.row_count} functions shown (steepest growth first)` : `${g.row_count} functions`);
  }

  return {
    el,
    async render() {
      const s = cctx.state();
      const hd = cctx.compareHeader();
      const group = cctx.group();
      param = limitKey(hd ? hd.kind : '', hd ? hd.sample_type : '');
      const limit = s.params[param] || '';
      if (limitInput.getRootNode().activeElement !== limitInput) limitInput.value = limit;
      for (const b of sortButtons.children) b.setAttribute('aria-pressed', String(b.dataset.sort === (s.sort === 'cum' ? 'cum' : 'flat')));
      const q = cctx.query();
      const options = { ...q.options, cum: s.sort === 'cum' };
      const ids = group ? Array.from(group.ids) : [];
      const k = JSON.stringify([ids, options, limit]);
      if (k !== key) {
        const gen = ++generation;
        const g = await engine.growth(ids, options, limit, MAX_ROWS);
        if (gen !== generation) return;
        key = k;
        data = g;
        render(g);
      }
      cctx.rendered();
    },
    /** Test hook: the growth table as the engine sent it. */
    data: () => data,
    destroy() { generation++; },
  };
}
