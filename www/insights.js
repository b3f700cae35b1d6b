// What the page says above the views as soon as files are loaded, without a
// click: an offer to compare loaded profiles of the same kind (oldest as
// base), and the leak findings over every loaded goroutine and heap profile
// (crate/src/view/findings.rs): severity, numbers, the stacks (a click
// focuses the Top table on one), the fix, the rule's thresholds. The limits
// typed here (a goroutine count, a memory size) feed the projections; the
// findings copy as Markdown for a ticket.
import * as engine from './engine.js';
import * as files from './files.js';
import * as compare from './views/compare.js';
import { h, fill } from './dom.js';
import { download } from './download.js';
import './compare.css';

let offer = null;
let panel = null;
let offerKey = '';
let findingsKey = '';
let markdown = '';
/** The findings list folded away by the user (the heading and limits stay). */
let collapsed = false;
/** The last findings as the engine sent them (test hook). */
let last = null;

const loaded = () => files.entries.filter((e) => e.summary);
const byId = (id) => loaded().find((e) => e.summary.id === id);

function init() {
  const section = document.getElementById('files-section');
  offer = h('div', { id: 'compare-offer', class: 'compare-offer', hidden: true });
  section.append(offer);
  panel = h('section', { id: 'findings', class: 'findings', 'aria-labelledby': 'findings-title', hidden: true });
  section.after(panel);
}

/**
 * Brings the offer and the findings up to date with the loaded files (runs
 * the engine only when the files or the limits changed).
 * @param {import('./app.js').ViewContext} ctx
 */
export async function refresh(ctx) {
  if (!panel) init();
  const all = loaded();
  const ids = all.map((e) => e.summary.id);
  const s = ctx.state();
  const oKey = ids.join(',');
  if (oKey !== offerKey) {
    offerKey = oKey;
    await renderOffer(ctx, all, ids, oKey);
  }
  const fKey = JSON.stringify([ids, s.params.goroutine_limit || '', s.params.memory_limit || '']);
  if (fKey !== findingsKey) {
    findingsKey = fKey;
    await renderFindings(ctx, all, fKey);
  }
}

async function renderOffer(ctx, all, ids, key) {
  let groups = [];
  if (ids.length >= 2) {
    try {
      groups = await engine.compareGroups(ids);
    } catch {
      groups = [];
    }
  }
  if (key !== offerKey) return;
  offer.hidden = groups.length === 0;
  fill(offer, h('span', { class: 'offer-title' }, 'Compare snapshots:'), groups.map((g) => {
    const b = byId(g.ids[0]);
    const t = byId(g.ids[g.ids.length - 1]);
    if (!b || !t) return null;
    const n = g.ids.length;
    return h('button', {
      type: 'button', class: 'offer', 'data-kind': g.kind,
      title: `oldest as the base, ordered by ${g.ordered_by}${g.note ? ` (${g.note})` : ''}`,
      onclick: () => compare.open(ctx, b, t),
    }, `${g.kind}: ${b.name} → ${t.name}${n > 2 ? ` (${n} snapshots, growth)` : ''}`);
  }));
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

async function renderFindings(ctx, all, key) {
  const relevant = all.some((e) => ['goroutine', 'heap', 'allocs'].includes(e.summary.kind));
  if (!relevant) {
    panel.hidden = true;
    last = null;
    return;
  }
  let r;
  try {
    r = await engine.findings(ctx.state().params.goroutine_limit || '', ctx.state().params.memory_limit || '');
  } catch (err) {
    if (key !== findingsKey) return;
    panel.hidden = false;
    fill(panel, h('h2', { id: 'findings-title' }, 'Findings'), h('p', { class: 'error', role: 'alert' }, err.message));
    return;
  }
  if (key !== findingsKey) return;
  last = r;
  markdown = r.markdown;
  const status = h('span', { class: 'hint', role: 'status' });
  const copy = h('button', {
    type: 'button', class: 'copy-md',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(markdown);
        status.textContent = 'copied as Markdown';
      } catch (err) {
        status.textContent = `could not copy: ${err.message}`;
      }
    },
  }, 'Copy as Markdown');
  const save = h('button', {
    type: 'button', class: 'download-md',
    onclick: () => { download('profdrop-findings.md', markdown, 'text/markdown'); status.textContent = 'saved profdrop-findings.md'; },
  }, 'Download .md');
  const scope = `${r.goroutine_profiles} goroutine and ${r.heap_profiles} heap profile${r.heap_profiles === 1 ? '' : 's'}, ${r.rules} rules`;
  const body = h('div', { class: 'findings-body', id: 'findings-body', hidden: collapsed },
    r.errors.map((e) => h('p', { class: 'error', role: 'alert' }, e)),
    r.findings.length
      ? h('ol', { class: 'findings-list' }, r.findings.map((f, i) => finding(ctx, f, r.stack_profiles[i])))
      : h('p', { class: 'hint' }, 'No findings: no rule’s thresholds were met. Each rule states its thresholds; no finding is better than a wrong one.'));
  const toggle = h('button', {
    type: 'button', class: 'twisty', 'aria-controls': 'findings-body', 'aria-expanded': String(!collapsed),
    'aria-label': 'Show the findings', title: 'Show or hide the findings',
    onclick: () => {
      collapsed = !collapsed;
      body.hidden = collapsed;
      toggle.setAttribute('aria-expanded', String(!collapsed));
      toggle.textContent = collapsed ? '▸' : '▾';
    },
  }, collapsed ? '▸' : '▾');
  panel.hidden = false;
  fill(panel,
    h('div', { class: 'findings-head' },
      toggle,
      h('h2', { id: 'findings-title' }, r.findings.length ? `Findings (${r.findings.length})` : 'Findings'),
      h('span', { class: 'hint' }, scope),
      h('span', { class: 'grow' }),
      limitInput(ctx, 'goroutine_limit', 'goroutine limit', 'e.g. 30000'),
      limitInput(ctx, 'memory_limit', 'memory limit', 'e.g. 1GiB'),
      r.findings.length ? copy : null, r.findings.length ? save : null, status),
    body);
}

function finding(ctx, f, profiles) {
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

/** Test hook: the findings the panel shows. */
export const shown = () => last;
