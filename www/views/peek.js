// Peek (pprof's -peek): for the selected function (or any regular
// expression), its callers above and its callees below, with the weight of
// each edge and its share of the function's cum. Names are links that peek
// at that function in turn.
import * as engine from '../engine.js';
import * as state from '../state.js';
import { h, fill } from '../dom.js';

export const title = 'Peek';

/** @param {import('../app.js').ViewContext} ctx */
export function create(ctx) {
  const input = h('input', { type: 'text', name: 'peek', spellcheck: 'false', placeholder: 'function name regexp', 'aria-label': 'Peek at functions matching' });
  const form = h('form', { class: 'peek-form' }, h('label', {}, 'peek ', input), h('button', { type: 'submit' }, 'Peek'));
  const body = h('div', { class: 'peek-body' });
  const el = h('div', { class: 'peek-view' }, form, body);
  let key = '';
  let pattern = '';
  let generation = 0;

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    pattern = input.value.trim();
    key = '';
    show();
  });

  const nameButton = (name, inline) => h('button', {
    type: 'button', class: 'link name', title: `Peek at ${name}`,
    onclick: () => ctx.update({ selection: name }, { push: true }),
    oncontextmenu: (e) => { e.preventDefault(); ctx.menu(e.pageX, e.pageY, name); },
  }, name, inline ? h('span', { class: 'inl' }, ' (inline)') : null);

  const edgeRow = (kind, e) => h('tr', { class: kind },
    h('td', { class: 'num' }, e.weight_text), h('td', { class: 'num' }, e.pct), h('td', { class: 'num' }), h('td', { class: 'num' }),
    h('td', { class: 'arrow' }, kind === 'caller' ? '↘' : '↳'), h('td', {}, nameButton(e.name, e.inline)));

  /** The callers (or callees) the engine left out, lightest first. */
  const moreRow = (n, kind) => (n > 0 ? h('tr', { class: `more ${kind}-more` },
    h('td', { colspan: 6, class: 'count' }, `${n} lighter ${kind}${n > 1 ? 's' : ''} not listed`)) : null);

  async function show() {
    const q = ctx.query();
    const k = JSON.stringify([q.ids, q.options, pattern]);
    if (k === key) return;
    key = k;
    if (!pattern) {
      fill(body, h('p', { class: 'hint' }, 'Select a function (click a row in Top, a frame in the flame graph, or a node in the call tree), or type a regular expression above.'));
      ctx.rendered();
      return;
    }
    const gen = ++generation;
    const r = await engine.peek(q, pattern);
    if (gen !== generation) return;
    ctx.header(r);
    if (!r.entries.length) {
      fill(body, h('p', { class: 'hint' }, `No function matches ${pattern}.`));
    } else {
      fill(body, r.entries.map((en) => h('table', { class: 'peek' },
        h('caption', {}, en.name),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', class: 'num' }, 'weight'), h('th', { scope: 'col', class: 'num' }, 'of cum'),
          h('th', { scope: 'col', class: 'num' }, 'flat (flat%)'), h('th', { scope: 'col', class: 'num' }, 'cum (cum%)'),
          h('th', { scope: 'col' }), h('th', { scope: 'col' }, 'callers ↘ function ↳ callees'))),
        h('tbody', {},
          en.callers.map((e) => edgeRow('caller', e)),
          moreRow(en.more_callers, 'caller'),
          h('tr', { class: 'subject' },
            h('td', { class: 'num' }), h('td', { class: 'num' }),
            h('td', { class: 'num' }, `${en.flat_text} (${en.flat_pct})`), h('td', { class: 'num' }, `${en.cum_text} (${en.cum_pct})`),
            h('td', {}), h('td', { class: 'name' }, en.name)),
          en.callees.map((e) => edgeRow('callee', e)),
          moreRow(en.more_callees, 'callee')))));
      // The engine lists the first functions and the heaviest edges of each.
      if (r.more > 0) body.append(h('p', { class: 'count' }, `${r.more} more function${r.more > 1 ? 's' : ''} match: narrow the regular expression to see them.`));
    }
    ctx.rendered();
  }

  return {
    el,
    async render() {
      const sel = ctx.state().selection;
      const want = sel ? state.exactly(sel) : '';
      if (want && want !== pattern && input.getRootNode().activeElement !== input) {
        pattern = want;
        input.value = want;
      }
      await show();
    },
    search() {},
    destroy() { generation++; },
  };
}
