// The page: loading (drop anywhere, file dialog, "Load example"), the file
// list, the controls, the view tabs and the details panel, all driven by
// state.js (mirrored to location.hash). Views live in views/, one file each.
// First: keeps the pristine document and applies a saved report's view (report-file.js).
import * as reportFile from './report-file.js';
import './style.css';
import * as engine from './engine.js';
import * as state from './state.js';
import * as files from './files.js';
import * as controls from './controls.js';
import * as menu from './menu.js';
import * as breadcrumbs from './breadcrumbs.js';
import * as details from './details.js';
import { examples } from './examples.js';
import { hashInputs } from './inline-data.js';
import { h, fill } from './dom.js';
import { VIEWS, ViewHost, viewContext, busyNotice } from './view-host.js';
import * as insights from './insights.js';
import * as share from './share.js';
import * as merge from './merge.js';
import * as layout from './layout.js';
import * as keys from './keys.js';

/**
 * What a view gets from the page.
 * @typedef {{
 *   query: () => import('./engine.js').Query,
 *   state: () => import('./state.js').State,
 *   update: (patch: object, opts?: {push?: boolean}) => void,
 *   select: (name: string) => void,
 *   menu: (x: number, y: number, name: string, path?: string[]) => void,
 *   header: (h: import('./engine.js').Header) => void,
 *   searchPattern: () => string,
 *   searchStatus: (msg: string | Node) => void,
 *   rendered: () => void,
 *   pending: (p: Promise<any>) => Promise<any>,
 *   entries: () => import('./files.js').Entry[],
 * }} ViewContext
 * `entries` are the loaded files (the page's, or an embedded view's own); `pending`
 * marks an action whose state change is still on its way (the page is not settled before it lands).
 */

const $ = (id) => document.getElementById(id);
const list = $('files');
const viewEl = $('view');
const host = new ViewHost(VIEWS, () => {
  settle();
  for (const e of files.entries) if (e.stage === 'aggregating') e.stage = null;
  renderFiles();
}, () => refresh());
// A query past the deadline (engine.onBusy): the engine cannot be interrupted, so the reader may restart it.
const busyBox = h('div', { class: 'busy-notice', role: 'status', hidden: true });
viewEl.append(busyBox, host.error, host.body);

/**
 * Figures the benchmark and tests read: when loading started, when a view last finished rendering,
 * when the state last changed, and when the page last settled (rendered or showed an error).
 */
const timings = { start: 0, rendered: 0, action: 0, firstRendered: 0, settled: 0, warm: 0 };

// The page has settled when the latest refresh asked for is done and no action
// is still on its way to the state: a render of an older state never counts.
let requested = 0;
let running = 0;
let actions = 0;
function settle() {
  if (running === requested && actions === 0) timings.settled = performance.now();
}
/** Marks an action whose state change follows once `p` resolves (opening a comparison asks the engine first). */
function pending(p) {
  actions++;
  const done = () => { actions--; settle(); };
  p.then(done, done);
  return p;
}
const emptyHint = [...$('empty-hint').childNodes];
let searchPattern = '';
let detailsKey = '';

/** @type {ViewContext} */
const ctx = viewContext({
  state: state.get,
  update: (patch, opts) => {
    state.update(patch, opts);
    // A step the user took (a compare button, a finding's stack link): its result comes into sight.
    if (opts && opts.push) layout.reveal();
  },
  entries: () => files.entries.filter((e) => e.summary),
  menu: (x, y, name, path) => menu.open(x, y, name, path),
  header: (hd) => controls.unmatched(hd.unmatched, state.get()),
  searchPattern: () => searchPattern,
  searchStatus: (msg) => fill($('search-status'), msg),
  pending,
  rendered: () => {
    timings.rendered = performance.now();
    settle();
    if (!timings.firstRendered) timings.firstRendered = timings.rendered;
    let changed = false;
    for (const e of files.entries) if (e.stage === 'aggregating') { e.stage = null; changed = true; }
    if (changed) renderFiles();
  },
});

function renderFiles() {
  files.render(list, state.get().files, { show, remove, retry: (e, deadline) => open([{ name: e.name, blob: e.blob, deadline }]) });
  $('empty-hint').hidden = files.entries.length > 0;
  document.body.classList.toggle('no-files', files.entries.length === 0);
  document.body.classList.toggle('files-loaded', files.entries.some((e) => e.summary));
  merge.render();
  share.refresh();
}

function renderTabs(active) {
  const tabs = $('tabs');
  if (!tabs.childElementCount) {
    for (const [id, v] of Object.entries(VIEWS)) {
      tabs.append(h('button', {
        type: 'button', role: 'tab', id: `tab-${id}`, 'aria-controls': 'view', 'data-view': id,
        onclick: () => { state.update({ view: id }, { push: true }); layout.reveal({ focus: false }); },
      }, v.title));
    }
    tabs.addEventListener('keydown', (e) => {
      const ids = Object.keys(VIEWS);
      const i = ids.indexOf(state.get().view);
      const j = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: ids.length - 1 }[e.key];
      if (j === undefined) return;
      e.preventDefault();
      const id = ids[(j + ids.length) % ids.length];
      state.update({ view: id }, { push: true });
      $(`tab-${id}`).focus();
    });
  }
  for (const b of tabs.children) {
    const on = b.dataset.view === active;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  viewEl.setAttribute('aria-labelledby', `tab-${active}`);
}

/** Fills the details panel when it is open (it costs a pass over the samples). */
async function renderDetails(act) {
  if (!$('details').open) return;
  const k = act.map((e) => e.summary.id).join(',');
  if (k === detailsKey) return;
  detailsKey = k;
  const list = [];
  for (const e of act) list.push({ name: e.name, d: await engine.details(e.summary.id) });
  if (k === detailsKey) details.render($('details-body'), list);
}

let refreshing = Promise.resolve();
/** Runs `step` after the renders and searches asked for before it; the page settles when the last is done. */
function queue(step) {
  const n = ++requested;
  const run = async () => {
    running = n;
    try {
      await step();
    } finally {
      settle();
    }
  };
  refreshing = refreshing.then(run, run);
  return refreshing;
}
/** Draws the state; a newer call drops the view queries the previous one still waits for. */
function refresh() {
  engine.supersede(ctx.channel);
  return queue(refreshNow);
}

async function refreshNow() {
  const s = state.get();
  document.body.classList.toggle('embed', s.embed);
  renderFiles();
  insights.refresh(ctx).catch(() => {});
  const act = files.active(s.files);
  const has = act.length > 0;
  for (const id of ['controls', 'tabs-bar', 'view', 'details']) $(id).hidden = !has;
  if (!has) {
    const missing = s.files.filter((n) => !files.entries.some((e) => e.name === n));
    $('empty-hint').hidden = false;
    document.title = 'profdrop';
    if (missing.length) {
      fill($('empty-hint'), `This link shows ${missing.join(', ')}: drop ${missing.length > 1 ? 'those files' : 'that file'} here to restore the view.`);
    } else {
      fill($('empty-hint'), emptyHint);
    }
    return;
  }
  // The transform chips first: the filters' render decides whether the line above the view shows.
  breadcrumbs.render(s);
  controls.render(s, act[0].summary);
  renderTabs(s.view);
  // The browser's tab says what it shows (several profdrop tabs stay apart).
  document.title = `${s.files.join(' + ')} · ${VIEWS[s.view] ? VIEWS[s.view].title : s.view} — profdrop`;
  renderDetails(act);
  if (host.use(s.view, ctx)) fill($('search-status'));
  await host.render();
}

function validSampleType(s, entry) {
  return !s.sampleType || entry.summary.sample_types.some((t) => t[0] === s.sampleType) ? s.sampleType : '';
}

function show(entry) {
  const s = state.get();
  state.update({ files: [entry.name], sampleType: validSampleType(s, entry) }, { push: true });
  layout.reveal();
}

async function remove(entry) {
  await files.remove(entry);
  const s = state.get();
  if (s.files.includes(entry.name)) {
    const rest = s.files.filter((n) => n !== entry.name && files.active([n]).length);
    const last = files.entries.filter((e) => e.summary).pop();
    const next = rest.length ? rest : last ? [last.name] : [];
    state.update({ files: next, sampleType: last && !rest.length ? validSampleType(s, last) : s.sampleType });
  } else {
    refresh();
  }
}

/** @param {{name: string, blob: Blob}[]} inputs */
async function open(inputs) {
  if (!inputs.length) return;
  timings.start = performance.now();
  timings.firstRendered = 0;
  const loaded = await files.add(inputs, renderFiles);
  // A file that failed says so where the user is looking, not only in the list.
  for (const e of files.entries) {
    if (e.error && inputs.some((x) => x.name === e.name)) layout.notice(`load:${e.name}`, `${e.name}: ${e.error}`);
    else if (loaded.includes(e)) layout.dismiss(`load:${e.name}`);
  }
  const s = state.get();
  const present = s.files.filter((n) => files.active([n]).length);
  let next = s.files;
  if (!(present.length && present.length === s.files.length)) {
    const last = loaded[loaded.length - 1];
    if (!last) { refresh(); return; }
    next = [last.name];
  }
  for (const e of files.active(next)) if (loaded.includes(e)) files.setStage(e, 'aggregating');
  // Back from the first loaded state asks before it leaves the page (state.js).
  if (!s.embed) state.guard(() => (files.entries.some((e) => e.summary) ? layout.confirmLeave(files.entries.filter((e) => e.summary).length) : null));
  if (next === s.files) refresh();
  else state.update({ files: next, sampleType: validSampleType(s, files.active(next)[0]) });
  layout.reveal({ focus: false });
}

// Loading: the dialog, drop anywhere, the bundled example.
$('file-input').addEventListener('change', (e) => {
  const picked = [...e.target.files].map((f) => ({ name: f.name, blob: f }));
  e.target.value = '';
  open(picked);
});
$('open-label').addEventListener('click', () => $('file-input').click());
// The skip link moves the focus; following its #main would replace the state in the address.
document.querySelector('.skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  ($('view').hidden ? $('main') : $('view')).focus();
});
const overlay = $('drop-overlay');
let dragDepth = 0;
const hasFiles = (e) => e.dataTransfer && [...e.dataTransfer.types].includes('Files');
document.addEventListener('dragenter', (e) => { if (hasFiles(e)) { dragDepth++; overlay.hidden = false; } });
document.addEventListener('dragleave', () => { if (--dragDepth <= 0) { dragDepth = 0; overlay.hidden = true; } });
document.addEventListener('dragover', (e) => e.preventDefault());
document.addEventListener('drop', (e) => {
  e.preventDefault();
  dragDepth = 0;
  overlay.hidden = true;
  const dropped = [...(e.dataTransfer ? e.dataTransfer.files : [])];
  open(dropped.map((f) => ({ name: f.name, blob: f })));
});
$('load-example').addEventListener('click', () => {
  open(examples.map((x) => ({ name: x.name, blob: new Blob([x.bytes]) })));
});

// Search: "/" focuses it; typing searches the current view.
const searchInput = $('search');
let searchTimer = 0;
const runSearch = () => {
  clearTimeout(searchTimer);
  searchPattern = searchInput.value;
  queue(() => host.search(searchPattern));
};
searchInput.addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(runSearch, 200); });
searchInput.addEventListener('keydown', (e) => { if (e.key === 'Enter') runSearch(); });
document.addEventListener('keydown', (e) => {
  if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  if (t.closest && t.closest('input, textarea, select, [contenteditable]')) return;
  if (searchInput.offsetParent === null) return;
  e.preventDefault();
  searchInput.focus();
  searchInput.select();
});

// A restart (a crash, a deadline, memory returned): files.js loads the files
// again. Then the view is drawn again, unless a view's own query crashed the
// engine: that one says so and waits for the reader (drawing it again would
// crash again).
files.onRecoveryChange(() => renderFiles());
engine.onBusy((b) => busyNotice(busyBox, b));
engine.onRestart((ev) => {
  detailsKey = '';
  files.recovered().then(() => {
    renderFiles();
    if (ev.method === 'load' || !ev.crash) refresh();
    else if (host.crashedEpoch !== ev.epoch) host.crashed(ev.crash, ev.what);
  });
});
layout.init();
keys.init({ views: Object.keys(VIEWS) });
$('details').addEventListener('toggle', () => renderDetails(files.active(state.get().files)));
controls.init();
breadcrumbs.init($('chips'));
menu.init();
merge.init();
share.init({ view: () => host.current });
engine.warmup(examples.find((x) => x.name === 'heap_t1.pb.gz').bytes)
  .then(() => { timings.warm = performance.now(); }, () => {});
// The iframe form: profiles inline in the address (#data=<base64>&name=...),
// decoded here, never fetched; they leave the address once loaded.
const inline = hashInputs(location.hash);
if (inline.error) emptyHint.unshift(h('strong', { class: 'error', role: 'alert' }, inline.error), h('br'));
state.subscribe(() => { timings.action = performance.now(); refresh(); });
refresh();
// A saved report opens the profiles it carries, as if they were dropped (report-file.js).
open([...inline.inputs, ...reportFile.savedFiles()]);

// Hooks for tests and benchmarks (read-only views of what the page shows).
window.profdrop = { state: state.get, view: () => host.current && host.current.inst, timings, query: ctx.query, stageLog: files.stageLog, sentLog: engine.sentLog, memory: engine.memory, findings: insights.shown, lastSave: share.lastSave };
