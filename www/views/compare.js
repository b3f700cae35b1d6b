// Compare: two snapshots of one kind, the way a leak hunt needs them. The
// header picks the pair (by default the oldest of the shown file's kind is
// the base, the newest the target), swaps them, picks the mode (pprof's
// diff_base / base / normalize; the kind's default, with the reason) and
// shows both times, the totals and rates, and the mismatch warnings. Below
// it, one of: the diff top table, the differential flame graph, the stacks
// that are new or gone, the goroutine diff, growth over N snapshots.
//
// URL: the target is `file`, the base is `diff_base=NAME` or `base=NAME`
// (pprof's flags), `normalize=1`, the sub-view `compare=table|flame|...`.
// Every number comes formatted from the engine (crate/src/view/compare.rs).
import * as engine from '../engine.js';
import { h, fill } from '../dom.js';
import * as flame from './flame.js';
import * as table from './compare-table.js';
import * as stacks from './compare-stacks.js';
import * as gdiff from './compare-goroutines.js';
import * as growth from './compare-growth.js';
import '../compare.css';

export const title = 'Compare';

const MODES = [
  ['diff_base', 'diff_base', 'the difference, percentages of the base total (pprof -diff_base)'],
  ['base', 'base', 'the later profile minus the earlier, for counters that only grow (pprof -base)'],
  ['normalize', 'normalize', 'the target scaled to the base total first (pprof -normalize -diff_base)'],
];

const SUBVIEWS = [
  ['table', 'Top diff'],
  ['flame', 'Flame graph'],
  ['stacks', 'New and gone stacks'],
  ['goroutines', 'Goroutine diff'],
  ['growth', 'Growth'],
];

/** The mode a state's parameters name ('' when no comparison is set). */
export function modeOf(params) {
  return params.normalize ? 'normalize' : params.base ? 'base' : params.diff_base ? 'diff_base' : '';
}

/** The base file a state's parameters name. */
export function baseOf(params) {
  return params.base || params.diff_base || '';
}

/** The state patch that shows the comparison of `base` (name) → `target` (name) in `mode`. */
export function openPatch(s, base, target, mode) {
  const params = { ...s.params };
  delete params.diff_base;
  delete params.base;
  delete params.normalize;
  if (mode === 'base') params.base = base;
  else params.diff_base = base;
  if (mode === 'normalize') params.normalize = '1';
  return { files: [target], params, view: 'compare' };
}

/**
 * Opens the comparison of two loaded files in the kind's default mode: a
 * step the back button undoes, or (`push` false) a default written over the
 * current step.
 * @param {import('../app.js').ViewContext} ctx
 */
export async function open(ctx, baseEntry, targetEntry, { push = true } = {}) {
  const before = ctx.state();
  const sampleType = targetEntry.summary.sample_types.some((t) => t[0] === before.sampleType) ? before.sampleType : '';
  const d = await engine.compareDefaultMode(targetEntry.summary.id, sampleType ? { sample_index: sampleType } : {});
  // The state as it is now: a step taken while the engine answered is kept.
  ctx.update({ ...openPatch(ctx.state(), baseEntry.name, targetEntry.name, d.mode), sampleType }, { push });
}

/**
 * The pair a comparison group opens on by default: the newest profile that
 * has an older one of the same main binary, and the oldest of those as the
 * base. A profile of another binary is never a default base; `others` lists
 * the members left out for that (the page says so). null: no two share a binary.
 * @param {import('../engine.js').CompareGroup} g
 * @returns {{base: number, target: number, others: number[]} | null}
 */
export function defaultPair(g) {
  const ids = [...g.ids];
  const bin = (i) => (g.binaries ? g.binaries[i] : '') || '';
  const same = (i, j) => !bin(i) || !bin(j) || bin(i) === bin(j);
  for (let t = ids.length - 1; t > 0; t--) {
    const b = ids.findIndex((_, i) => i < t && same(i, t));
    if (b >= 0) return { base: ids[b], target: ids[t], others: ids.filter((_, i) => !same(i, t)) };
  }
  return null;
}

/** A differential flame graph's colour: red for growth, blue for shrink, stronger for a larger relative change. */
export function diffColor(change, dark) {
  const a = Math.min(1, Math.abs(change));
  if (a === 0) return dark ? 'hsl(0 0% 32%)' : 'hsl(0 0% 84%)';
  const hue = change > 0 ? 0 : 215;
  const sat = Math.round(25 + 65 * a);
  const light = dark ? Math.round(24 + 18 * a) : Math.round(88 - 30 * a);
  return `hsl(${hue} ${sat}% ${light}%)`;
}

/** @param {import('../app.js').ViewContext} ctx */
export function create(ctx) {
  const loaded = () => ctx.entries();
  const byName = (name) => loaded().find((e) => e.name === name);
  const byId = (id) => loaded().find((e) => e.summary.id === id);
  const pickers = h('div', { class: 'compare-pickers' });
  const modes = h('fieldset', { class: 'compare-modes' });
  const explain = h('p', { class: 'compare-explain' });
  const times = h('p', { class: 'compare-times' });
  const totals = h('p', { class: 'compare-totals' });
  const warnings = h('ul', { class: 'compare-warnings', role: 'alert' });
  const message = h('p', { class: 'compare-message', role: 'alert', hidden: true });
  const subtabs = h('div', { class: 'compare-tabs', role: 'tablist', 'aria-label': 'Comparison views' });
  const body = h('div', { class: 'compare-body', role: 'tabpanel' });
  const head = h('div', { class: 'compare-head' }, h('div', { class: 'compare-row' }, pickers, modes), explain, times, totals, warnings);
  const el = h('div', { class: 'compare-view' }, head, message, subtabs, body);

  /** @type {import('../engine.js').Pair | null} */
  let pair = null;
  /** @type {import('../engine.js').DiffTopView | null} */
  let header = null;
  let group = null;
  let sub = null;
  let generation = 0;
  let lastSample = null;
  let lastDefault = null;

  const cctx = {
    ...ctx,
    pair: () => pair,
    header: (hd) => ctx.header(hd),
    compareHeader: () => header,
    group: () => group,
    /** Opens the comparison of two loaded entries (keeps the mode). */
    openPair: (b, t) => ctx.update(openPatch(ctx.state(), b.name, t.name, pair ? pair.mode : 'diff_base'), { push: true }),
  };

  function subview(id) {
    if (sub && sub.id === id) return sub.inst;
    if (sub) sub.inst.destroy();
    let inst;
    if (id === 'flame') inst = flameView();
    else if (id === 'stacks') inst = stacks.create(cctx);
    else if (id === 'goroutines') inst = gdiff.create(cctx);
    else if (id === 'growth') inst = growth.create(cctx);
    else inst = table.create(cctx);
    sub = { id, inst };
    fill(body, inst.el);
    return inst;
  }

  function flameView() {
    const legend = h('p', { class: 'diff-legend' },
      h('span', { class: 'swatch grow' }), 'grew ',
      h('span', { class: 'swatch shrink' }), 'shrank ',
      h('span', { class: 'swatch same' }), 'unchanged — the stronger the colour, the larger the change relative to the larger side; ',
      'a box is as wide as the larger of base and target (its children included); hover for both values and the delta.');
    const inst = flame.create(cctx, {
      key: (q) => JSON.stringify([pair, q.options]),
      layout: (q, zoom, minFraction) => engine.compareFlame(pair, q.options, zoom, minFraction),
      search: async (q, pattern) => ({ frames: await engine.compareFlameSearch(pattern) }),
      color: (i, data, dark) => diffColor(data.change[i], dark),
      describe: async (i, data) => {
        const d = await engine.compareDescribe(data.base[i], data.target[i]);
        return {
          d,
          parts: [
            h('span', { class: 'tip-base' }, `base ${d.base}`), ' → ',
            h('span', { class: 'tip-target' }, `target ${d.target}`), ' · ',
            h('span', { class: 'tip-delta' }, `delta ${d.delta}`), d.change ? ` (${d.change})` : '',
          ],
          text: `base ${d.base}, target ${d.target}, delta ${d.delta}${d.change ? ` (${d.change})` : ''}`,
        };
      },
    });
    const wrap = h('div', { class: 'diff-flame' }, legend, inst.el);
    return { ...inst, el: wrap, flame: inst };
  }

  // The pickers and the swap button, made once (a render refills the lists): the
  // mode they keep is the one shown when they are used.
  const baseSel = h('select', { 'aria-label': 'Base profile', class: 'compare-base' });
  const targetSel = h('select', { 'aria-label': 'Target profile', class: 'compare-target' });
  const pick = (b, t) => ctx.update(openPatch(ctx.state(), b, t, modeOf(ctx.state().params) || 'diff_base'), { push: true });
  baseSel.addEventListener('change', () => pick(baseSel.value, targetSel.value));
  targetSel.addEventListener('change', () => pick(baseSel.value, targetSel.value));
  const swap = h('button', {
    type: 'button', class: 'compare-swap', title: 'Swap base and target', 'aria-label': 'Swap base and target',
    onclick: () => pick(targetSel.value, baseSel.value),
  }, '⇄');
  const pickerParts = [h('label', {}, 'base ', baseSel), swap, h('label', {}, 'target ', targetSel)];

  function renderPickers(base, target) {
    const all = loaded();
    const option = (e, selected) => h('option', { value: e.name, selected },
      `${e.name} — ${e.summary.kind}${e.summary.time_text ? `, ${e.summary.time_text}` : e.summary.file_time_text ? `, file ${e.summary.file_time_text}` : ''}`);
    fill(baseSel,
      base ? null : h('option', { value: '', selected: true, disabled: true }, 'choose a base…'),
      all.map((e) => option(e, base && e.name === base.name)));
    fill(targetSel, all.map((e) => option(e, target && e.name === target.name)));
    baseSel.value = base ? base.name : '';
    if (target) targetSel.value = target.name;
    if (pickers.firstChild !== pickerParts[0]) pickers.replaceChildren(...pickerParts);
  }

  // The mode radios, made once like the sub-view tabs (a render only updates them).
  const modeInputs = new Map(MODES.map(([id]) => [id, h('input', {
    type: 'radio', name: 'compare-mode', value: id,
    onchange: () => {
      const s = ctx.state();
      ctx.update(openPatch(s, baseOf(s.params), s.files[0], id), { push: true });
    },
  })]));
  const modeNotes = new Map(MODES.map(([id]) => [id, document.createTextNode('')]));
  const modeLabels = [h('legend', {}, 'mode'),
    MODES.map(([id, label, help]) => h('label', { title: help }, modeInputs.get(id), ` ${label}`, modeNotes.get(id)))].flat();
  function renderModes(mode, defaultMode) {
    if (modes.firstChild !== modeLabels[0]) modes.replaceChildren(...modeLabels);
    for (const [id, input] of modeInputs) {
      input.checked = id === mode;
      modeNotes.get(id).data = id === defaultMode ? ' (default)' : '';
    }
  }

  // One button per sub-view for the view's life: a render only updates them, so a
  // click whose press and release straddle a render still lands on its button.
  const tabButtons = new Map(SUBVIEWS.map(([id, label]) => [id, h('button', {
    type: 'button', role: 'tab', 'data-sub': id,
    onclick: () => ctx.update({ params: { ...ctx.state().params, compare: id } }, { push: true }),
  }, label)]));
  function renderTabs(active, available) {
    const shown = available.map((id) => tabButtons.get(id));
    if (shown.length !== subtabs.children.length || shown.some((b, i) => subtabs.children[i] !== b)) subtabs.replaceChildren(...shown);
    for (const b of shown) {
      const on = b.dataset.sub === active;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    }
  }
  subtabs.addEventListener('keydown', (e) => {
    const tabs = [...subtabs.querySelectorAll('[role=tab]')];
    const i = tabs.indexOf(subtabs.getRootNode().activeElement);
    const j = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (i < 0 || j === undefined) return;
    e.preventDefault();
    const t = tabs[(j + tabs.length) % tabs.length];
    t.focus();
    t.click();
  });

  function timeText(i, name, hd) {
    const t = hd.time_text[i];
    const parts = [h('span', { class: 'name' }, name), ' · ', t || 'no time'];
    if (t && hd.from_file[i]) parts.push(' ', h('span', { class: 'from-file' }, "(time from the file's date)"));
    return parts;
  }

  function showMessage(text) {
    fill(message, text);
    message.hidden = false;
    subtabs.hidden = true;
    body.hidden = true;
    if (sub) { sub.inst.destroy(); sub = null; }
    fill(body);
  }

  return {
    el,
    async render() {
      const gen = ++generation;
      const s = ctx.state();
      const all = loaded();
      const target = loaded().find((e) => s.files.includes(e.name));
      let base = byName(baseOf(s.params));
      const groups = await engine.compareGroups(all.map((e) => e.summary.id));
      // A state changed meanwhile has a render of its own queued: this one would draw the old state over it.
      if (gen !== generation || ctx.state() !== s) return;
      group = target ? groups.find((g) => g.ids.includes(target.summary.id)) || null : null;
      if (!base) {
        const g = group || groups[0];
        const p = g ? defaultPair(g) : null;
        if (p) {
          // The default pair: the oldest and the newest of the kind and binary.
          // Written over the step that showed Compare: Back leaves Compare in one step.
          await open(ctx, byId(p.base), byId(p.target), { push: false });
          return;
        }
        renderPickers(null, target);
        fill(modes);
        fill(explain); fill(times); fill(totals); fill(warnings);
        showMessage(all.length < 2
          ? 'Load two or more profiles of the same kind (two heap profiles, two goroutine dumps, …) to compare them.'
          : g ? `The loaded ${g.kind} profiles are of different binaries (${[...new Set(g.binaries)].join(', ')}): pick a base above to compare them anyway.`
            : `No two loaded profiles are of the same kind (${[...new Set(all.map((e) => e.summary.kind))].join(', ')}): pick a base above to try anyway.`);
        ctx.rendered();
        return;
      }
      renderPickers(base, target);
      const mode = modeOf(s.params);
      pair = { base: base.summary.id, target: target.summary.id, mode };
      const q = ctx.query();
      let hd;
      try {
        hd = await engine.compareTop(pair, q.options);
      } catch (err) {
        if (gen !== generation || ctx.state() !== s) return;
        header = null;
        renderModes(mode, '');
        fill(explain); fill(times); fill(totals); fill(warnings);
        showMessage(err.message);
        ctx.rendered();
        return;
      }
      if (gen !== generation || ctx.state() !== s) return;
      header = hd;
      // A mode that was the default follows the default when the sample type changes.
      if (lastSample !== null && lastSample !== hd.sample_type && mode === lastDefault && hd.default_mode !== mode) {
        lastSample = hd.sample_type;
        lastDefault = hd.default_mode;
        ctx.update(openPatch(ctx.state(), base.name, target.name, hd.default_mode));
        return;
      }
      lastSample = hd.sample_type;
      lastDefault = hd.default_mode;
      message.hidden = true;
      subtabs.hidden = false;
      body.hidden = false;
      renderModes(hd.mode, hd.default_mode);
      fill(explain,
        h('strong', {}, `${hd.kind} · ${hd.sample_type}: ${hd.mode}`), ` — ${hd.mode_reason}`,
        hd.mode === hd.default_mode
          ? ` (the default for ${hd.kind} profiles)`
          : ` (the default for ${hd.kind} profiles is ${hd.default_mode}: ${hd.default_reason})`);
      fill(times, 'base: ', timeText(0, base.name, hd), ' → target: ', timeText(1, target.name, hd),
        hd.minutes_text ? ` · ${hd.minutes_text} ${hd.minutes < 0 ? 'earlier (the target is older than the base)' : 'apart'}` : '',
        hd.time_note ? h('span', { class: 'hint' }, ` · ${hd.time_note}`) : '');
      fill(totals, `total: base ${hd.base_total_text} → target ${hd.target_total_text} · delta ${hd.delta_total_text}`,
        hd.total_change ? ` (${hd.total_change})` : '', hd.total_rate_text ? ` · ${hd.total_rate_text}` : '');
      fill(warnings, hd.warnings.map((w) => h('li', {}, w)));
      const available = ['table', 'flame', 'stacks'];
      if (hd.kind === 'goroutine') available.unshift('goroutines');
      if (group && group.ids.length >= 3) available.push('growth');
      // The sub-view the state names now (a sub-tab clicked while this render waited wins);
      // goroutine dumps open on what survived, what is new and what is gone.
      const asked = ctx.state().params.compare;
      const want = available.includes(asked) ? asked : hd.kind === 'goroutine' ? 'goroutines' : 'table';
      renderTabs(want, available);
      const inst = subview(want);
      await inst.render();
    },
    search(pattern) { return sub && sub.inst.search ? sub.inst.search(pattern) : undefined; },
    /** Test hooks: the header data and the shown sub-view. */
    data: () => header,
    sub: () => sub && sub.inst,
    destroy() { generation++; if (sub) sub.inst.destroy(); },
  };
}
