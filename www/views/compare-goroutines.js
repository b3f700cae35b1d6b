// The goroutine diff of two goroutine profiles (crate/src/view/goroutine_diff.rs):
// groups matched by stack, creator and arguments; for two debug=2 dumps,
// goroutines matched by id: how many survived (stayed in the group, or moved
// in from another), how many are new, how many are gone, and how many
// survivors kept waiting through the whole interval — the strongest leak
// evidence, sorted first. The interval comes from the profiles' times or the
// files' dates, or is typed in, or is estimated from the waits.
import * as engine from '../engine.js';
import { h, fill } from '../dom.js';
import { SIMILARITIES } from './goroutines.js';
import { groupName, statesText, waitText, siteText, stackEl } from './goroutine-group.js';

const MAX_ROWS = 500;

const signed = (n) => (n > 0 ? `+${n}` : String(n));

/** @param {object} cctx the comparison's view context (compare.js) */
export function create(cctx) {
  const similarity = h('select', { 'aria-label': 'Grouping similarity', class: 'similarity' },
    SIMILARITIES.map(([v, label]) => h('option', { value: v }, label)));
  const intervalLabel = h('label', { title: 'minutes between the two dumps (empty: from their times, else estimated from the waits)' }, 'interval (min) ');
  const interval = h('input', { type: 'number', min: '0', step: 'any', class: 'interval', placeholder: 'auto', 'aria-label': 'Minutes between the dumps' });
  const summary = h('div', { class: 'gdiff-summary' });
  const thead = h('thead');
  const tbody = h('tbody');
  const more = h('p', { class: 'count' });
  const el = h('div', { class: 'gdiff-view' },
    h('div', { class: 'goroutines-controls' },
      h('label', {}, 'similarity ', similarity),
      intervalLabel),
    summary, h('div', { class: 'scroller', tabindex: '0', role: 'group', 'aria-label': 'Goroutine diff table' }, h('table', { class: 'goroutines gdiff' }, thead, tbody), more));

  let data = null;
  let key = '';
  let generation = 0;

  similarity.addEventListener('change', () => cctx.update({ params: { ...cctx.state().params, similarity: similarity.value } }, { push: true }));
  interval.addEventListener('change', () => {
    const params = { ...cctx.state().params };
    const v = Number(interval.value);
    if (interval.value.trim() && Number.isFinite(v) && v > 0) params.interval = interval.value.trim();
    else delete params.interval;
    cctx.update({ params }, { push: true });
  });

  intervalLabel.append(interval);

  function render(d) {
    const t = d.totals;
    // The interval only matters when goroutines are matched by id.
    intervalLabel.hidden = !d.by_id;
    fill(summary,
      h('p', {}, `${d.by_id ? 'By goroutine id' : 'By counts (goroutine ids need two debug=2 dumps)'}: base ${d.base_total} goroutines, target ${d.target_total} (${signed(d.target_total - d.base_total)}).`),
      d.interval ? h('p', {}, `Interval: ${d.interval.text}${d.interval_from ? ` — from ${d.interval_from}` : ''}.`) : null,
      t ? h('p', { class: 'gdiff-totals' },
        `Survived ${t.survived} (stayed in their group ${t.stayed}, moved ${t.moved_in}), new ${t.new}, gone ${t.gone}`,
        t.kept_waiting !== null && t.kept_waiting !== undefined ? `; ${t.kept_waiting} kept waiting through the interval (listed first)` : '', '.') : null,
      d.time_note ? h('p', { class: 'hint' }, d.time_note) : null,
      d.warnings.length ? h('ul', { class: 'compare-warnings', role: 'alert' }, d.warnings.map((w) => h('li', {}, w))) : null);
    const ids = d.by_id;
    const th = (cls, text, title) => h('th', { scope: 'col', class: cls, title }, text);
    fill(thead, h('tr', {},
      th('', ''), th('num', 'base'), th('num', 'target'), th('num', 'delta'),
      ids ? th('num', 'survived', 'goroutines of the target whose id is in the base (stayed + moved in)') : null,
      ids ? th('num', 'new', 'ids not in the base') : null,
      ids ? th('num', 'gone', 'base goroutines of this group whose id is not in the target') : null,
      ids ? th('num', 'kept waiting', 'survivors in the same state whose wait grew by the whole interval') : null,
      th('', 'group'), th('', 'states'), th('num', 'wait')));
    const rows = [];
    for (const r of d.rows) {
      const g = r.group;
      const c = r.ids;
      const expand = h('button', { type: 'button', class: 'twisty', 'aria-expanded': 'false', 'aria-label': `Stack of ${groupName(g)}` }, '▸');
      const cols = 11 - (ids ? 0 : 4);
      rows.push(h('tr', { class: `group ${r.status}`, 'data-status': r.status },
        h('td', {}, expand),
        h('td', { class: 'num base' }, String(r.base)),
        h('td', { class: 'num target' }, String(r.target)),
        h('td', { class: `num delta ${r.delta > 0 ? 'up' : r.delta < 0 ? 'down' : ''}` }, signed(r.delta)),
        ids ? h('td', { class: 'num survived', title: `stayed ${c.stayed}, moved in ${c.moved_in}` }, String(c.survived)) : null,
        ids ? h('td', { class: 'num new' }, String(c.new)) : null,
        ids ? h('td', { class: 'num gone', title: `moved out ${c.moved_out}` }, String(c.gone)) : null,
        ids ? h('td', { class: 'num kept' }, c.kept_waiting === null || c.kept_waiting === undefined ? '–' : String(c.kept_waiting)) : null,
        h('td', { class: 'name', title: siteText(g.created_by) }, groupName(g),
          r.status === 'new' || r.status === 'gone' ? h('span', { class: `presence ${r.status}` }, r.status) : null),
        h('td', { class: 'states' }, statesText(g.states)),
        h('td', { class: 'num wait' }, waitText(g))));
      const detail = h('tr', { class: 'group-detail', hidden: true }, h('td', { colspan: String(cols) },
        stackEl(g),
        c && c.wait_growth ? h('p', { class: 'hint' }, `survivors' waits grew by ${c.wait_growth[0]}–${c.wait_growth[1]} min`) : null));
      expand.addEventListener('click', () => {
        const open = detail.hidden;
        detail.hidden = !open;
        expand.setAttribute('aria-expanded', String(open));
        expand.textContent = open ? '▾' : '▸';
      });
      rows.push(detail);
    }
    tbody.replaceChildren(...rows);
    fill(more, d.row_count > d.rows.length ? `${d.rows.length} of ${d.row_count} groups shown` : `${d.row_count} groups`);
  }

  return {
    el,
    async render() {
      const s = cctx.state();
      const sim = SIMILARITIES.some(([v]) => v === s.params.similarity) ? s.params.similarity : 'pointers';
      similarity.value = sim;
      const iv = Number(s.params.interval);
      if (interval.getRootNode().activeElement !== interval) interval.value = s.params.interval || '';
      const k = JSON.stringify([cctx.pair(), sim, s.params.interval || '']);
      if (k !== key) {
        const gen = ++generation;
        const d = await engine.goroutineCompare(cctx.pair(), sim, Number.isFinite(iv) && iv > 0 ? iv : NaN, MAX_ROWS);
        if (gen !== generation) return;
        key = k;
        data = d;
        render(d);
      }
      cctx.rendered();
    },
    /** Test hook: the diff as the engine sent it. */
    data: () => data,
    destroy() { generation++; },
  };
}
