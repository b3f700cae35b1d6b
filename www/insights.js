// What the page says above the views as soon as files are loaded, without a
// click: an offer to compare loaded profiles of the same kind (oldest as
// base), and the leak findings over every loaded goroutine and heap profile
// (drawn by views/findings.js, which embedded views share).
import * as engine from './engine.js';
import * as compare from './views/compare.js';
import * as findings from './views/findings.js';
import { h, fill } from './dom.js';
import * as layout from './layout.js';
import './compare.css';

let offer = null;
let panel = null;
let offerKey = '';
let findingsKey = '';
const FOLD_KEY = 'profdrop.findings';
/** The findings list folded away by the user (the heading and limits stay), remembered across reloads. */
const fold = {
  collapsed: (() => { try { return localStorage.getItem(FOLD_KEY) === 'collapsed'; } catch { return false; } })(),
  changed() { try { localStorage.setItem(FOLD_KEY, fold.collapsed ? 'collapsed' : 'open'); } catch { /* this page only */ } },
};
/** The last findings as the engine sent them (test hook). */
let last = null;

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
  const all = ctx.entries();
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
    const byId = (id) => all.find((e) => e.summary.id === id);
    const p = compare.defaultPair(g);
    const b = p && byId(p.base);
    const t = p && byId(p.target);
    if (!b || !t) {
      // No two of one binary: offered, but as what it is (never a default pair).
      const ob = byId(g.ids[0]);
      const ot = byId(g.ids[g.ids.length - 1]);
      return ob && ot ? h('button', {
        type: 'button', class: 'offer', 'data-kind': g.kind, title: 'these profiles are of different binaries',
        onclick: () => ctx.pending(compare.open(ctx, ob, ot)),
      }, `${g.kind}: ${ob.name} → ${ot.name} (different binaries)`) : null;
    }
    const n = g.ids.length - p.others.length;
    // A profile of another binary is left out of the default pair, and the offer says so.
    const others = p.others.map((id) => (byId(id) || { name: '?' }).name);
    return [h('button', {
      type: 'button', class: 'offer', 'data-kind': g.kind,
      title: `oldest of the same binary as the base, ordered by ${g.ordered_by}${g.note ? ` (${g.note})` : ''}`,
      onclick: () => ctx.pending(compare.open(ctx, b, t)),
    }, `${g.kind}: ${b.name} → ${t.name}${n > 2 ? ` (${n} snapshots, growth)` : ''}`),
    others.length ? h('span', { class: 'hint offer-others' }, `(${others.join(', ')}: another binary, not paired)`) : null];
  }));
}

async function renderFindings(ctx, all, key) {
  if (!findings.relevant(all)) {
    panel.hidden = true;
    last = null;
    fill(document.getElementById('findings-line'));
    return;
  }
  let r;
  try {
    r = await findings.compute(ctx);
  } catch (err) {
    if (key !== findingsKey) return;
    panel.hidden = false;
    fill(panel, h('h2', { id: 'findings-title' }, 'Findings'), h('p', { class: 'error', role: 'alert' }, err.message));
    return;
  }
  if (key !== findingsKey) return;
  last = r;
  panel.hidden = false;
  fill(panel, findings.content(ctx, r, fold));
  renderLine(r);
}

/**
 * The findings in one line above the view: their count and the top one's
 * title, severity-coloured; a click opens the full panel in the drawer.
 */
function renderLine(r) {
  const line = document.getElementById('findings-line');
  const top = r.findings[0];
  const openPanel = () => {
    if (fold.collapsed) panel.querySelector('.findings-head .twisty').click();
    layout.showInDrawer(panel);
    panel.querySelector('.findings-head .twisty').focus();
  };
  fill(line, h('button', { type: 'button', class: 'findings-summary', 'aria-controls': 'findings', title: 'Show the findings' },
    h('strong', {}, r.findings.length ? `Findings (${r.findings.length}):` : 'Findings: none'),
    top ? [h('span', { class: `severity ${top.severity}` }, top.severity), h('span', { class: 'line-title' }, top.title)]
      : h('span', { class: 'hint' }, `${r.rules} rules, no thresholds met`)));
  line.firstChild.addEventListener('click', openPanel);
}

/** Test hook: the findings the panel shows. */
export const shown = () => last;
