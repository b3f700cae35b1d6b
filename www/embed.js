// <profdrop-view>: profdrop's views in a docs page, with one tag:
//   <script type="module" src="embed.js"></script>
//   <profdrop-view src="profiles/heap.pb.gz" view="flame"></profdrop-view>
// Attributes (pprof's names): src (one or more URLs on the page's own
// origin, merged as pprof merges sources), base (a second profile: the view
// shows the diff), view (top | flame | tree | graph | goroutines | findings),
// sample_index, focus, ignore, hide, show, show_from, prune_from, tagfocus,
// tagignore, granularity, nodecount, nodefraction, mode (diff_base | base |
// normalize; default: the kind's), height (pixels or a CSS length). Instead
// of src, the profile can sit inline in a child
//   <script type="application/octet-stream" data-encoding="base64" data-name="heap.pb.gz">…</script>
// (with a `data-base` attribute: the base). Fetching an author-written
// same-origin src is the only request profdrop makes; a cross-origin one is
// refused. Every element on a page shares one engine (one Worker); each
// draws in its own shadow root, so the page's CSS stays out and ours in, and
// follows the reader's light or dark scheme. Errors show in the element's
// box, naming the file, the stage and the position.
import styleCss from './style.css';
import compareCss from './compare.css';
import embedCss from './embed.css';
import * as engine from './engine.js';
import { FILTERS, GRANULARITIES, validFraction } from './state.js';
import { h, fill } from './dom.js';
import { decodeBase64 } from './inline-data.js';
import { VIEWS, ViewHost, viewContext, unmatchedLines, busyNotice } from './view-host.js';
import * as compare from './views/compare.js';
import * as findings from './views/findings.js';

const EMBED_VIEWS = ['top', 'flame', 'tree', 'graph', 'goroutines', 'findings'];
const HOSTED = { ...VIEWS, findings };
/** With a base, the comparison's sub-view that each view shows. */
const DIFF_SUB = { top: 'table', flame: 'flame', goroutines: 'goroutines' };
const MODES = ['diff_base', 'base', 'normalize'];
const ATTRIBUTES = ['src', 'base', 'view', 'sample_index', ...FILTERS, 'granularity', 'nodecount', 'nodefraction', 'mode', 'height'];

/** One stylesheet for every element: the page's rules, the theme on the host instead of :root, and the box's. */
let sheet = null;
function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(`${styleCss}\n${compareCss}`.replace(/:root\b/g, ':host') + embedCss);
  }
  return sheet;
}

/** Files fetched by URL ({blob, modified}), kept for the page's life: an engine restart loads them again without a request. */
const fetched = new Map();
/** Profiles loaded by URL in the current engine, shared by the elements of the page (one engine holds them). */
const byUrl = new Map();
// A restart empties the engine: its profiles are loaded again, each by the
// elements that show it (see ProfdropView.restarted).
engine.onRestart(() => byUrl.clear());

const named = (name, err) => {
  const msg = err && err.message ? err.message : String(err);
  return new Error(msg.startsWith(`${name}:`) ? msg : `${name}: ${msg}`);
};

async function loadBlob(name, blob) {
  try {
    return await engine.load(name, blob);
  } catch (err) {
    // A crash or a restart keeps its kind: the element says what crashed, or loads again.
    if (err instanceof engine.EngineCrash) err.file = name;
    if (err instanceof engine.EngineCrash || err instanceof engine.EngineRestarted) throw err;
    const e = named(name, err);
    // A failed load whose memory was returned by a restart: this element caused that restart.
    if (err.memoryReturned) e.restartEpoch = engine.currentEpoch();
    throw e;
  }
}

/** Fetches a same-origin profile (the only request profdrop makes), once per page. */
async function fetchFile(url, name) {
  let res;
  try {
    res = await fetch(url.href, { mode: 'same-origin', credentials: 'same-origin' });
  } catch (err) {
    throw new Error(`${name}: fetching ${url.pathname}: ${err.message}`);
  }
  if (!res.ok) throw new Error(`${name}: fetching ${url.pathname}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  return { blob: await res.blob(), modified: Date.parse(res.headers.get('last-modified') || '') };
}

/** Loads a fetched file into the engine. */
async function loadFetched(url, name) {
  if (!fetched.has(url.href)) {
    const p = fetchFile(url, name);
    fetched.set(url.href, p);
    p.catch(() => fetched.delete(url.href));
  }
  const { blob, modified } = await fetched.get(url.href);
  const summary = await loadBlob(name, blob);
  // Text dumps carry no time: the file's date stands in for it in comparisons.
  if (Number.isFinite(modified)) Object.assign(summary, await engine.setFileTime(summary.id, modified) || {});
  return summary;
}

/**
 * The file name of a src URL, for messages and the caption: its last path
 * segment, %-decoded when that is valid (a stray % is shown as written).
 */
function fileName(url) {
  const last = url.pathname.split('/').pop() || url.pathname;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** Loads one source: {url} (same origin only) or {script} (inline base64). Resolves to an entry {name, summary}. */
async function loadSource(source, fallbackName) {
  if (source.script) {
    const name = source.script.dataset.name || fallbackName;
    const encoding = source.script.dataset.encoding || '';
    if (encoding !== 'base64') throw new Error(`${name}: data-encoding="${encoding}" is not supported: use base64`);
    return { name, summary: await loadBlob(name, new Blob([decodeBase64(source.script.textContent, name)])) };
  }
  let url;
  try {
    url = new URL(source.url, document.baseURI);
  } catch {
    throw new Error(`src="${source.url}": not a URL`);
  }
  const name = fileName(url);
  if (url.origin !== location.origin || !/^https?:$/.test(url.protocol)) {
    throw new Error(`${source.url}: refused: profdrop reads profiles only from this page's own origin (${location.origin}), and this one is on ${url.origin}`);
  }
  url.hash = '';
  if (!byUrl.has(url.href)) {
    const p = loadFetched(url, name);
    byUrl.set(url.href, p);
    p.catch(() => { if (byUrl.get(url.href) === p) byUrl.delete(url.href); });
  }
  return { name, summary: await byUrl.get(url.href) };
}

class ProfdropView extends HTMLElement {
  static get observedAttributes() { return ATTRIBUTES; }

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [styleSheet()];
    this.caption = h('div', { class: 'embed-caption' });
    this.messages = h('p', { class: 'embed-messages', role: 'status' });
    this.busy = h('div', { class: 'busy-notice', role: 'status', hidden: true });
    this.host = new ViewHost(HOSTED, () => this.settle('error'), () => this.load());
    this.box = h('div', { class: 'embed-box', part: 'box' }, this.caption, this.busy, this.host.error, this.messages, this.host.body);
    root.append(this.box);
    /** @type {{name: string, summary: import('./engine.js').Summary}[]} */
    this.entries = [];
    this.st = null;
    this.nodecount = 0;
    this.generation = 0;
    /** The engine epoch in which this element's own load crashed the engine (0: never). */
    this.crashedAt = 0;
    this.unlisten = null;
    this.unlistenBusy = null;
    this.queued = false;
    this.refreshing = Promise.resolve();
    /** When loading started and when the view last finished rendering (performance.now()). */
    this.timings = { start: 0, rendered: 0 };
    this.ctx = viewContext({
      state: () => this.st,
      update: (patch) => { this.st = { ...this.st, ...patch }; this.refresh(); },
      entries: () => this.entries,
      header: (hd) => fill(this.messages, unmatchedLines(hd.unmatched, this.st).map((l) => h('span', { class: 'unmatched' }, l))),
      rendered: () => this.settle('rendered'),
      extra: () => (this.nodecount ? { nodecount: this.nodecount } : {}),
    });
  }

  connectedCallback() {
    if (!this.unlisten) this.unlisten = engine.onRestart((ev) => this.restarted(ev));
    if (!this.unlistenBusy) this.unlistenBusy = engine.onBusy((b) => busyNotice(this.busy, b));
    this.schedule();
  }

  attributeChangedCallback() { if (this.isConnected) this.schedule(); }

  disconnectedCallback() {
    this.generation++;
    this.host.clear();
    if (this.unlisten) this.unlisten();
    if (this.unlistenBusy) this.unlistenBusy();
    this.unlisten = null;
    this.unlistenBusy = null;
  }

  /**
   * The shared engine was restarted: this element's profiles are gone with
   * it. Each element loads its own again (its files were kept), except the
   * one whose load or view crashed it, which says so and offers to try again.
   * Decided after the calls cut off by the restart have settled, so the
   * element that caused it knows by then.
   */
  restarted(ev) {
    this.entries = [];
    setTimeout(() => {
      if (!this.isConnected || this.crashedAt === ev.epoch || this.host.crashedEpoch === ev.epoch) return;
      this.load();
    });
  }

  /** Test hook: the shown view. */
  view() { return this.host.current && this.host.current.inst; }

  /** Loads once per batch of attribute changes, after the element's children are parsed. */
  schedule() {
    if (this.queued) return;
    this.queued = true;
    const go = () => { this.queued = false; if (this.isConnected) this.load(); };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', go, { once: true });
    else queueMicrotask(go);
  }

  settle(status) {
    this.setAttribute('data-status', status);
    if (status === 'rendered') this.timings.rendered = performance.now();
  }

  /** The sources of the profile (`base` false) or of the base: attribute URLs, then inline scripts. */
  sources(base) {
    const list = [];
    const attr = (this.getAttribute(base ? 'base' : 'src') || '').trim();
    if (attr) for (const url of attr.split(/\s+/)) list.push({ url });
    for (const script of this.querySelectorAll(':scope > script[type="application/octet-stream"]')) {
      if (script.hasAttribute('data-base') === base) list.push({ script });
    }
    return list;
  }

  attr(name) { return (this.getAttribute(name) || '').trim(); }

  async load() {
    const gen = ++this.generation;
    this.timings.start = performance.now();
    this.settle('loading');
    this.host.clear();
    this.host.error.hidden = true;
    fill(this.messages);
    fill(this.caption, 'loading…');
    try {
      this.applyHeight();
      const view = this.attr('view') || 'top';
      if (!EMBED_VIEWS.includes(view)) throw new Error(`unknown view "${view}": use one of ${EMBED_VIEWS.join(', ')}`);
      const nodecount = this.attr('nodecount');
      if (nodecount && !/^[1-9]\d*$/.test(nodecount)) throw new Error(`nodecount="${nodecount}": a whole number of at least 1`);
      this.nodecount = nodecount ? Number(nodecount) : 0;
      const src = this.sources(false);
      const base = this.sources(true);
      if (!src.length) throw new Error('no profile: give a src attribute (a URL on this page\'s origin) or a <script type="application/octet-stream" data-encoding="base64"> child');
      if (base.length > 1) throw new Error('base names one profile');
      if (base.length && src.length > 1 && view !== 'findings') throw new Error('a diff compares one profile with its base: give one src');
      const loaded = await Promise.all([
        ...src.map((x, i) => loadSource(x, `inline profile${src.length > 1 ? ` ${i + 1}` : ''}`)),
        ...base.map((x) => loadSource(x, 'inline base')),
      ]);
      if (gen !== this.generation) return;
      // Names identify files in the state: the same name twice gets a number.
      const seen = new Set();
      this.entries = loaded.map((e) => {
        let name = e.name;
        for (let n = 2; seen.has(name); n++) name = `${e.name} (${n})`;
        seen.add(name);
        return { ...e, name };
      });
      const st = await this.initialState(view, this.entries.slice(0, src.length), this.entries[src.length]);
      if (gen !== this.generation) return;
      this.st = st;
      const names = this.entries.map((e) => e.name);
      fill(this.caption, h('span', { class: 'embed-files' }, base.length && view !== 'findings'
        ? `${names[src.length]} → ${names[0]}` : names.join(' + ')), ' · ', h('span', { class: 'embed-view' }, HOSTED[view].title));
    } catch (err) {
      if (gen !== this.generation) return;
      // Cut off by a restart another element caused: `restarted` loads again.
      if (err instanceof engine.EngineRestarted) return;
      fill(this.caption);
      if (err instanceof engine.EngineCrash) {
        this.crashedAt = err.epoch;
        this.host.crashed(err, err.file || 'this profile');
      } else {
        if (err.restartEpoch) this.crashedAt = err.restartEpoch;
        this.host.fail(err);
      }
      return;
    }
    this.refresh();
  }

  applyHeight() {
    const v = this.attr('height');
    if (v && !/^\d+(\.\d+)?$/.test(v) && !CSS.supports('height', v)) throw new Error(`height="${v}": pixels or a CSS length`);
    this.box.style.height = !v ? '' : /^\d+(\.\d+)?$/.test(v) ? `${v}px` : v;
  }

  /** The element's state (the page's State shape) from its attributes. */
  async initialState(view, src, base) {
    const s = {
      files: src.map((e) => e.name), sampleType: this.attr('sample_index'), transforms: [], view, selection: '',
      sort: 'flat', inverted: false, nodefraction: '', params: {}, embed: true,
    };
    for (const op of FILTERS) if (this.attr(op)) s.transforms.push({ op, value: this.attr(op) });
    const g = this.attr('granularity');
    if (g && !GRANULARITIES.includes(g)) throw new Error(`granularity="${g}": use one of ${GRANULARITIES.join(', ')}`);
    if (g) s.transforms.push({ op: 'granularity', value: g });
    const nf = this.attr('nodefraction');
    if (nf && !validFraction(nf)) throw new Error(`nodefraction="${nf}": a number from 0 to 1`);
    s.nodefraction = nf;
    if (view === 'findings') {
      s.files = this.entries.map((e) => e.name);
      return s;
    }
    if (!base) return s;
    if (!DIFF_SUB[view]) throw new Error(`view="${view}" does not show a diff: with base, use ${Object.keys(DIFF_SUB).join(', ')}`);
    let mode = this.attr('mode');
    if (mode && !MODES.includes(mode)) throw new Error(`mode="${mode}": use one of ${MODES.join(', ')}`);
    if (!mode) mode = (await engine.compareDefaultMode(src[0].summary.id, s.sampleType ? { sample_index: s.sampleType } : {})).mode;
    Object.assign(s, compare.openPatch(s, base.name, src[0].name, mode));
    s.params.compare = DIFF_SUB[view];
    return s;
  }

  refresh() {
    // A newer refresh drops this element's view queries still waiting.
    engine.supersede(this.ctx.channel);
    const run = () => this.refreshNow();
    this.refreshing = this.refreshing.then(run, run);
    return this.refreshing;
  }

  async refreshNow() {
    if (!this.st || !this.isConnected) return;
    const gen = this.generation;
    fill(this.messages);
    this.host.use(this.st.view, this.ctx);
    if (gen === this.generation) await this.host.render();
  }
}

if (!customElements.get('profdrop-view')) customElements.define('profdrop-view', ProfdropView);
