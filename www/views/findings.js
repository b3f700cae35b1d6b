// Findings: the leak rules (crate/src/view/findings.rs) over the goroutine
// and heap profiles a context holds: severity, numbers, the stacks (a click
// focuses the Top table on one), the fix, the rule's thresholds. The limits
// typed here (a goroutine count, a memory size) feed the projections; the
// findings copy as Markdown for a ticket. The page shows them in its panel
// above the views (insights.js); an embedded <profdrop-view view="findings">
// shows them as its view (embed.js). Both draw with `content`.
import * as engine from '../engine.js';
import { h, fill } from '../dom.js';
import { download } from '../download.js';
import '../compare.css';

export const title = 'Findings';

/** Whether any of the loaded entries is a profile the rules read. */
export const relevant = (entries) => entries.some((e) => ['goroutine', 'heap', 'allocs'].includes(e.summary.kind));

/**
 * The findings of the context's profiles (`ids`: only these; every loaded profile when omitted).
 * @param {import('../app.js').ViewContext} ctx
 */
export function compute(ctx, ids) {
  const p = ctx.state().params;
  return engine.findings(p.goroutine_limit || '', p.memory_limit || '', ids);
}

function limitInput(ctx, key, label, placeholder) {
  const input = h('input', { type: 'text', class: 'limit', name: key, placeholder, spellcheck: 'false', value: ctx.state().params[key] || '' });
  input.addEventListener('change', () => {
    const params = { ...ctx.state().params };
    const v = input.value.trim();
    if (v) params[key] = v;
    else delete params[key];
    ctx.update({ params });
  });
  return h('label', { title: `${label}: feeds the projections of the findings` }, `${label} `, input);
}

/**
 * The heading (with the limits and the Markdown copy) and the list of findings `r`.
 * `fold` keeps whether the list is folded away: {collapsed: boolean, changed?: () => void}.
 * @param {import('../app.js').ViewContext} ctx
 * @returns {HTMLElement[]}
 */
export function content(ctx, r, fold = { collapsed: false }) {
  const status = h('span', { class: 'hint', role: 'status' });
  const copy = h('button', {
    type: 'button', class: 'copy-md',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(r.markdown);
        status.textContent = 'copied as Markdown';
      } catch (err) {
        status.textContent = `could not copy: ${err.message}`;
      }
    },
  }, 'Copy as Markdown');
  const save = h('button', {
    type: 'button', class: 'download-md',
    onclick: () => { download('profdrop-findings.md', r.markdown, 'text/markdown'); status.textContent = 'saved profdrop-findings.md'; },
  }, 'Download .md');
  const scope = `${r.goroutine_profiles} goroutine and ${r.heap_profiles} heap profile${r.heap_profiles === 1 ? '' : 's'}, ${r.rules} rules`;
  const body = h('div', { class: 'findings-body', id: 'findings-body', hidden: fold.collapsed },
    r.errors.map((e) => h('p', { class: 'error', role: 'alert' }, e)),
    r.findings.length
      ? h('ol', { class: 'findings-list' }, r.findings.map((f, i) => finding(ctx, f, r.stack_profiles[i])))
      : h('p', { class: 'hint' }, 'No findings: no rule’s thresholds were met. Each rule states its thresholds; no finding is better than a wrong one.'));
  const toggle = h('button', {
    type: 'button', class: 'twisty', 'aria-controls': 'findings-body', 'aria-expanded': String(!fold.collapsed),
    'aria-label': 'Show the findings', title: 'Show or hide the findings',
    onclick: () => {
      fold.collapsed = !fold.collapsed;
      body.hidden = fold.collapsed;
      toggle.setAttribute('aria-expanded', String(!fold.collapsed));
      toggle.textContent = fold.collapsed ? '▸' : '▾';
      if (fold.changed) fold.changed();
    },
  }, fold.collapsed ? '▸' : '▾');
  return [
    h('div', { class: 'findings-head' },
      toggle,
      h('h2', { id: 'findings-title' }, r.findings.length ? `Findings (${r.findings.length})` : 'Findings'),
      h('span', { class: 'hint' }, scope),
      h('span', { class: 'grow' }),
      limitInput(ctx, 'goroutine_limit', 'goroutine limit', 'e.g. 30000'),
      limitInput(ctx, 'memory_limit', 'memory limit', 'e.g. 1GiB'),
      r.findings.length ? copy : null, r.findings.length ? save : null, status),
    body,
  ];
}

function finding(ctx, f, profiles) {
  const byId = (id) => ctx.entries().find((e) => e.summary.id === id);
  return h('li', { class: `finding ${f.severity}`, 'data-rule': f.rule },
    h('div', { class: 'finding-title' },
      h('span', { class: `severity ${f.severity}` }, f.severity), ' ',
      h('strong', {}, f.title), ' ', h('code', { class: 'rule' }, f.rule)),
    h('p', { class: 'finding-summary' }, f.summary),
    h('dl', { class: 'evidence' }, f.evidence.map((e) => [h('dt', {}, e.label), h('dd', { 'data-key': e.key, class: 'num' }, e.text)])),
    f.stacks.length ? h('div', { class: 'finding-stacks' }, 'Stacks: ', f.stacks.map((st, j) => {
      const entry = profiles[j] === null || profiles[j] === undefined ? null : byId(profiles[j]);
      return h('button', {
        type: 'button', class: 'link stack-link', title: st.frames.join('\n'), 'data-focus': st.focus,
        disabled: !entry,
        onclick: () => entry && ctx.update({
          files: [entry.name], sampleType: '', view: 'top', selection: st.function,
          transforms: [{ op: 'focus', value: st.focus }],
        }, { push: true }),
      }, st.source === 'goroutine' ? `${st.function} (${st.value} goroutine${st.value === 1 ? '' : 's'})` : st.function);
    })) : null,
    h('p', { class: 'fix' }, h('strong', {}, 'Fix: '), f.fix),
    h('details', { class: 'thresholds' }, h('summary', {}, 'Fires when'), h('p', {}, f.thresholds)));
}

/**
 * The findings as a view: over every profile of the context (`ctx.entries()`).
 * @param {import('../app.js').ViewContext} ctx
 */
export function create(ctx) {
  const el = h('section', { class: 'findings findings-view', 'aria-labelledby': 'findings-title' });
  const fold = { collapsed: false };
  let key = '';
  let generation = 0;
  let data = null;
  return {
    el,
    async render() {
      const s = ctx.state();
      const ids = ctx.entries().map((e) => e.summary.id);
      const k = JSON.stringify([ids, s.params.goroutine_limit || '', s.params.memory_limit || '']);
      if (k !== key) {
        const gen = ++generation;
        if (!relevant(ctx.entries())) throw new Error('Findings read goroutine and heap profiles: none of these files is one.');
        const r = await compute(ctx, ids);
        if (gen !== generation) return;
        key = k;
        data = r;
        fill(el, content(ctx, r, fold));
      }
      ctx.rendered();
    },
    search() {},
    /** Test hook: the findings as the engine sent them. */
    data: () => data,
    destroy() { generation++; },
  };
}
