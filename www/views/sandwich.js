// Sandwich (speedscope, Pyroscope): one function with its callers above it,
// inverted (the function at the bottom, its callers growing upwards), and its
// callees below it, both drawn by flame.js; between them the function's own
// flat and cum. The engine picks the function (crate/src/view/sandwich.rs):
// the regexp's heaviest match by cum, the others offered in a list. Each half
// is the query's flame graph with one more transform step (`ffi:F`, `ff:F`),
// so zoom, search, hover and keyboard are the flame graph's. With a
// comparison set (diff_base / base in the address) both halves are
// differential flame graphs, coloured as Compare's.
//
// URL: `view=sandwich&sandwich=RE`; without it, the selected function.
import * as engine from '../engine.js';
import { exactly } from '../state.js';
import { h, fill } from '../dom.js';
import * as flame from './flame.js';
import { modeOf, baseOf, diffColor } from './compare.js';
import '../sandwich.css';

export const title = 'Sandwich';

/** The query with one more transform step. */
function withStep(q, stepValue) {
  const tx = q.options.tx ? `${q.options.tx},${stepValue}` : stepValue;
  return { ...q, options: { ...q.options, tx } };
}

/** @param {import('../app.js').ViewContext} ctx */
export function create(ctx) {
  const input = h('input', { type: 'text', name: 'sandwich', spellcheck: 'false', placeholder: 'function name regexp', 'aria-label': 'Sandwich of the function matching' });
  const form = h('form', { class: 'sandwich-form' }, h('label', {}, 'function ', input), h('button', { type: 'submit' }, 'Show'));
  const choice = h('select', { class: 'sandwich-choice', 'aria-label': 'Matching functions' });
  const numbers = h('p', { class: 'sandwich-numbers', role: 'status', 'aria-live': 'polite' });
  const message = h('p', { class: 'hint', hidden: true });
  const callersTitle = h('h3', { class: 'sandwich-title' }, 'Callers');
  const calleesTitle = h('h3', { class: 'sandwich-title' }, 'Callees');
  const halves = h('div', { class: 'sandwich-halves' });
  const el = h('div', { class: 'sandwich-view' }, h('div', { class: 'sandwich-head' }, form, choice), numbers, message, halves);

  /** @type {import('../engine.js').SandwichView | null} */
  let data = null;
  let key = '';
  let generation = 0;
  /** @type {{callers: any, callees: any, diff: boolean} | null} */
  let inst = null;
  let txs = { callers: '', callees: '' };
  let pair = null;

  const open = (pattern) => {
    const s = ctx.state();
    ctx.update({ params: { ...s.params, sandwich: pattern } }, { push: true });
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); if (input.value.trim()) open(input.value.trim()); });
  choice.addEventListener('change', () => open(exactly(choice.value)));

  /** The comparison the state names, as the engine takes it (null: none). */
  function pairOf(s) {
    const mode = modeOf(s.params);
    if (!mode) return null;
    const all = ctx.entries();
    const base = all.find((e) => e.name === baseOf(s.params));
    const target = all.find((e) => s.files.includes(e.name));
    return base && target ? { base: base.summary.id, target: target.summary.id, mode } : null;
  }

  /** A flame.js source for one half. */
  function half(side, diff) {
    const sideQuery = () => withStep(ctx.query(), txs[side]);
    const hctx = {
      ...ctx,
      query: sideQuery,
      header: () => {},
      // Paths inside a half start at the function, not at the root: only the function's own steps.
      menu: (x, y, name) => ctx.menu(x, y, name),
      rendered: () => {},
    };
    const source = { inverted: side === 'callers', localZoom: true, key: (q) => JSON.stringify([q.ids, q.options, pair]) };
    if (diff) {
      Object.assign(source, {
        layout: (q, zoom, minFraction) => engine.compareFlame(pair, q.options, zoom, minFraction),
        search: async (q, pattern) => {
          const re = new RegExp(pattern);
          const d = inst && inst[side].data();
          const n = d ? d.name.offsets.length - 1 : 0;
          return { frames: Uint8Array.from({ length: n }, (_, f) => re.test(engine.str(d.name, f))) };
        },
        color: (i, d, dark) => diffColor(d.change[i], dark),
        describe: async (i, d) => {
          const x = await engine.compareDescribe(d.base[i], d.target[i]);
          const text = `base ${x.base}, target ${x.target}, delta ${x.delta}${x.change ? ` (${x.change})` : ''}`;
          return { parts: [text], text };
        },
      });
    }
    return flame.create(hctx, source);
  }

  function build(diff) {
    if (inst && inst.diff === diff) return;
    if (inst) { inst.callers.destroy(); inst.callees.destroy(); }
    inst = { callers: half('callers', diff), callees: half('callees', diff), diff };
    fill(halves, h('section', { class: 'sandwich-callers', 'aria-label': 'Callers, inverted' }, callersTitle, inst.callers.el),
      h('section', { class: 'sandwich-callees', 'aria-label': 'Callees' }, calleesTitle, inst.callees.el));
  }

  function showMessage(text) {
    fill(message, text);
    message.hidden = false;
    halves.hidden = true;
    fill(numbers);
    fill(choice);
    choice.hidden = true;
  }

  async function show() {
    const s = ctx.state();
    const pattern = s.params.sandwich || (s.selection ? exactly(s.selection) : '');
    const q = ctx.query();
    pair = pairOf(s);
    const k = JSON.stringify([q.ids, q.options, pattern, pair]);
    if (k === key) { if (inst) { await inst.callers.render(); await inst.callees.render(); } return; }
    key = k;
    if (document.activeElement !== input) input.value = pattern;
    if (!pattern) {
      data = null;
      showMessage('Pick a function: type a regular expression above, or right-click a row or frame in any view and choose Sandwich.');
      ctx.rendered();
      return;
    }
    const gen = ++generation;
    const r = await engine.sandwich(q, pattern);
    if (gen !== generation) return;
    data = r;
    ctx.header(r);
    if (r.chosen < 0) {
      showMessage(`No function matches ${pattern}.`);
      ctx.rendered();
      return;
    }
    message.hidden = true;
    halves.hidden = false;
    const n = r.name.offsets.length - 1;
    const name = engine.str(r.name, r.chosen);
    fill(choice, Array.from({ length: n }, (_, i) => h('option', { value: engine.str(r.name, i), selected: i === r.chosen },
      `${engine.str(r.name, i)} — cum ${engine.str(r.cum_text, i)}`)));
    choice.value = name;
    choice.hidden = n < 2;
    const c = r.chosen;
    fill(numbers, h('strong', { class: 'sandwich-name' }, name), ' · flat ', h('span', { class: 'sandwich-flat' }, engine.str(r.flat_text, c)),
      ` (${engine.str(r.flat_pct, c)})`, ' · cum ', h('span', { class: 'sandwich-cum' }, engine.str(r.cum_text, c)), ` (${engine.str(r.cum_pct, c)})`,
      r.matched > 1 ? ` · ${r.matched} functions match` : '', pair ? ' · both halves show the comparison (target − base)' : '');
    txs = { callers: r.callers_tx, callees: r.callees_tx };
    build(Boolean(pair));
    await inst.callers.render();
    if (gen !== generation) return;
    await inst.callees.render();
    if (gen !== generation) return;
    ctx.rendered();
  }

  return {
    el,
    render: show,
    /** Searches both halves; resolves when their matches are shown. */
    async search(pattern) { if (inst) await Promise.all([inst.callers.search(pattern), inst.callees.search(pattern)]); },
    /** Test hooks: the picker's result and the two halves. */
    data: () => data,
    callers: () => inst && inst.callers,
    callees: () => inst && inst.callees,
    destroy() { generation++; if (inst) { inst.callers.destroy(); inst.callees.destroy(); } },
  };
}
