// Goroutines: one row per group of goroutines with the same stack (and, for
// debug=2 dumps, the same creator and alike arguments), for goroutine
// profiles in any format: count, share, states with counts, wait range,
// created-by site, first frame outside the standard library, labels; a row
// expands to its stack with files, lines and arguments, and says why it did
// not merge with its nearest group. Similarity as panicparse's levels; the
// roll-up by creation site; known healthy background goroutines folded into
// one row on request, with the rules listed. The engine groups
// (crate/src/view/goroutines.rs); this draws.
import * as engine from '../engine.js';
import { h, fill } from '../dom.js';
import { groupName, statesText, waitText, siteText, labelsText, stackEl } from './goroutine-group.js';
import '../compare.css';

export const title = 'Goroutines';

/** Groups (and creation sites) drawn at first; "more" asks for four times as many. */
export const MAX_GROUPS = 200;

export const SIMILARITIES = [
  ['exact', 'exact arguments'],
  ['pointers', 'ignore pointer-like values'],
  ['args', 'ignore argument values'],
];

/** The goroutine profile with the latest time (the last loaded when none has a time), or null. */
function newestGoroutine(entries) {
  const when = (e) => e.summary.time_nanos || e.summary.file_time_nanos || 0;
  let best = null;
  for (const e of entries) if (e.summary.kind === 'goroutine' && (!best || when(e) >= when(best))) best = e;
  return best;
}

/** @param {import('../app.js').ViewContext} ctx */
export function create(ctx) {
  const similarity = h('select', { 'aria-label': 'Grouping similarity', class: 'similarity' },
    SIMILARITIES.map(([v, label]) => h('option', { value: v }, label)));
  const fold = h('input', { type: 'checkbox', class: 'fold' });
  const summary = h('p', { class: 'goroutines-summary' });
  const notes = h('ul', { class: 'notes' });
  const groupsBody = h('tbody');
  const groupsTable = h('table', { class: 'goroutines' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, ''), h('th', { scope: 'col', class: 'num' }, 'count'), h('th', { scope: 'col', class: 'num' }, 'share'),
      h('th', { scope: 'col' }, 'states'), h('th', { scope: 'col', class: 'num' }, 'wait'), h('th', { scope: 'col' }, 'first user frame'),
      h('th', { scope: 'col' }, 'created by'), h('th', { scope: 'col' }, 'labels'))),
    groupsBody);
  const background = h('section', { class: 'background', 'aria-label': 'Expected background', hidden: true });
  const creators = h('section', { class: 'creators', 'aria-label': 'By creation site' });
  const more = h('p', { class: 'count' });
  const el = h('div', { class: 'goroutines-view' },
    h('div', { class: 'goroutines-controls' },
      h('label', {}, 'similarity ', similarity),
      h('label', { title: 'fold known healthy background goroutines (the rules are listed below)' }, fold, ' fold expected background')),
    summary, notes, background, h('div', { class: 'scroller', tabindex: '0', role: 'group', 'aria-label': 'Goroutine groups' }, groupsTable), more, creators);

  let data = null;
  let key = '';
  let generation = 0;
  let maxGroups = MAX_GROUPS;
  const showMore = () => { maxGroups *= 4; key = ''; ctx.update({}); };
  let switchedFrom = '';

  similarity.addEventListener('change', () => ctx.update({ params: { ...ctx.state().params, similarity: similarity.value } }, { push: true }));
  fold.addEventListener('change', () => {
    const params = { ...ctx.state().params };
    if (fold.checked) params.fold_background = '1';
    else delete params.fold_background;
    ctx.update({ params }, { push: true });
  });

  function groupRows(g, share) {
    const expand = h('button', { type: 'button', class: 'twisty', 'aria-expanded': 'false', 'aria-label': `Stack of group ${g.id + 1}` }, '▸');
    const name = groupName(g);
    const row = h('tr', { class: `group${g.background ? ' background-group' : ''}`, 'data-id': g.id },
      h('td', {}, expand),
      h('td', { class: 'num count' }, String(g.count)),
      h('td', { class: 'num share' }, share),
      h('td', { class: 'states' }, statesText(g.states)),
      h('td', { class: 'num wait' }, waitText(g)),
      h('td', { class: 'name', title: name }, name, g.background ? h('span', { class: 'badge', title: 'matches an expected-background rule' }, g.background) : null),
      h('td', { class: 'name creator', title: siteText(g.created_by) }, g.created_by ? g.created_by.function : ''),
      h('td', { class: 'labels' }, labelsText(g)));
    const detail = h('tr', { class: 'group-detail', hidden: true },
      h('td', { colspan: '8' },
        stackEl(g),
        g.not_merged ? h('p', { class: 'not-merged' }, `Not merged with group #${g.not_merged.neighbour + 1}: ${g.not_merged.text}`) : null,
        g.ids.length ? h('p', { class: 'hint' }, `${g.ids.length} goroutine ids, ${g.ids.slice(0, 12).join(', ')}${g.ids.length > 12 ? ', …' : ''}`) : null,
        g.locked_to_thread ? h('p', { class: 'hint' }, `${g.locked_to_thread} locked to their thread`) : null));
    expand.addEventListener('click', () => {
      const open = detail.hidden;
      detail.hidden = !open;
      expand.setAttribute('aria-expanded', String(open));
      expand.textContent = open ? '▾' : '▸';
    });
    return [row, detail];
  }

  function render(v) {
    fill(summary, `${v.total} goroutines in ${v.group_count} groups`,
      v.tracebacks ? ` (similarity ${v.similarity}: ${v.similarity_text})` : ' (grouped by stack)',
      v.background ? `; ${v.background.count} expected background goroutines folded` : '');
    fill(notes, v.notes.map((n) => h('li', { class: 'hint' }, n)));
    const rows = [];
    v.groups.forEach((g, i) => rows.push(...groupRows(g, v.share_text[i])));
    groupsBody.replaceChildren(...rows);
    const hidden = v.row_count - v.groups.length;
    fill(more, hidden > 0 ? [`${v.groups.length} of ${v.row_count} groups shown `,
      h('button', { type: 'button', class: 'more-groups', onclick: showMore }, `${Math.min(hidden, maxGroups * 3)} more…`)] : '');
    if (v.background) {
      background.hidden = false;
      fill(background,
        h('h3', {}, `Expected background: ${v.background.count} goroutines (${v.background_share_text}) in ${v.background.groups.length} groups`),
        h('p', {}, v.background.by_rule.map((r) => `${r.state} ${r.count}`).join(', ')),
        h('details', {}, h('summary', {}, 'Folded groups'),
          h('ul', {}, v.background.groups.map((g) => h('li', {}, h('span', { class: 'num' }, String(g.count)), ' ', h('span', { class: 'name' }, groupName(g)), ` [${statesText(g.states)}]`)))));
    } else {
      background.hidden = true;
    }
    fill(creators,
      h('h3', {}, 'By creation site'),
      v.creator_count > v.by_creator.length
        ? h('p', { class: 'count' }, `${v.by_creator.length} of ${v.creator_count} creation sites shown (the largest)`) : null,
      h('table', { class: 'creators' },
        h('thead', {}, h('tr', {}, h('th', { class: 'num' }, 'count'), h('th', { class: 'num' }, 'share'), h('th', { class: 'num' }, 'groups'), h('th', {}, 'site'), h('th', {}, 'states'))),
        h('tbody', {}, v.by_creator.map((r, i) => h('tr', {},
          h('td', { class: 'num' }, String(r.count)), h('td', { class: 'num' }, v.creator_share_text[i]), h('td', { class: 'num' }, String(r.groups)),
          h('td', { class: 'name' }, r.basis === 'created_by' ? `created by ${r.function} ${r.file}:${r.line}` : `started in ${r.function}`),
          h('td', {}, statesText(r.states)))))),
      h('details', { class: 'rules' }, h('summary', {}, 'Expected-background rules'),
        h('ul', {}, v.background_rules.map((r, i) => h('li', {}, h('strong', {}, r.title), ` (${r.id}): ${v.rules_text[i]}`)))));
  }

  return {
    el,
    async render() {
      const s = ctx.state();
      const sim = SIMILARITIES.some(([v]) => v === s.params.similarity) ? s.params.similarity : 'pointers';
      const folded = !!s.params.fold_background;
      similarity.value = sim;
      fold.checked = folded;
      const q = ctx.query();
      const other = (q.kinds || []).find((kind) => kind !== 'goroutine');
      if (other) {
        // Another kind of profile is shown: the newest goroutine profile loaded instead (a default, not a step).
        const pick = newestGoroutine(ctx.entries());
        if (pick) {
          switchedFrom = `${other} profile ${s.files.join(', ')}`;
          ctx.update({ files: [pick.name], sampleType: '' });
          return;
        }
        // Not an error: the view just has nothing to show for this profile.
        key = '';
        data = null;
        for (const x of [notes, groupsBody, more, creators]) fill(x);
        background.hidden = true;
        fill(summary, h('span', { class: 'hint' }, `The Goroutines view needs a goroutine profile (goroutine?debug=2 is best); this is a ${other} profile, and no goroutine profile is loaded: drop one.`));
        ctx.rendered();
        return;
      }
      const k = JSON.stringify([q.ids, sim, folded, maxGroups]);
      if (k !== key) {
        const gen = ++generation;
        let v;
        try {
          v = await engine.goroutines(q, sim, folded, maxGroups);
        } catch (err) {
          // Not a goroutine profile (or a broken one): nothing of an earlier file stays on screen.
          key = '';
          data = null;
          for (const x of [summary, notes, groupsBody, more, creators]) fill(x);
          background.hidden = true;
          throw err;
        }
        if (gen !== generation) return;
        key = k;
        data = v;
        render(v);
        if (switchedFrom) summary.append(h('span', { class: 'hint switched' }, ` · Showing ${s.files[0]}, the newest goroutine profile, instead of the ${switchedFrom}.`));
        switchedFrom = '';
      }
      ctx.rendered();
    },
    search() {},
    /** Test hook: the view as the engine sent it. */
    data: () => data,
    destroy() { generation++; },
  };
}
