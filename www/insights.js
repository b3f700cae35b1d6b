// What the page says above the views as soon as files are loaded, without a
// click: an offer to compare loaded profiles of the same kind (oldest as
// base), and the leak findings over every loaded goroutine and heap profile
// (drawn by views/findings.js, which embedded views share).
import * as engine from './engine.js';
import * as compare from './views/compare.js';
import * as findings from './views/findings.js';
import { h, fill } from './dom.js';
import './compare.css';

let offer = null;
let panel = null;
let offerKey = '';
let findingsKey = '';
/** The findings list folded away by the user (the heading and limits stay). */
const fold = { collapsed: false };
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
    const b = byId(g.ids[0]);
    const t = byId(g.ids[g.ids.length - 1]);
    if (!b || !t) return null;
    const n = g.ids.length;
    return h('button', {
      type: 'button', class: 'offer', 'data-kind': g.kind,
      title: `oldest as the base, ordered by ${g.ordered_by}${g.note ? ` (${g.note})` : ''}`,
      onclick: () => ctx.pending(compare.open(ctx, b, t)),
    }, `${g.kind}: ${b.name} → ${t.name}${n > 2 ? ` (${n} snapshots, growth)` : ''}`);
  }));
}

async function renderFindings(ctx, all, key) {
  if (!findings.relevant(all)) {
    panel.hidden = true;
    last = null;
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
}

/** Test hook: the findings the panel shows. */
export const shown = () => last;
