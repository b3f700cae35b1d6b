// What the page (app.js) and an embedded <profdrop-view> (embed.js) share to
// show a view: the views by id, the ViewContext built from a state and the
// loaded files, and the host that makes, swaps and renders one view with its
// error box. Nothing here looks anything up in the document, so a view works
// the same inside a shadow root.
import * as engine from './engine.js';
import { options } from './state.js';
import { h, fill } from './dom.js';
import * as top from './views/top.js';
import * as flame from './views/flame.js';
import * as tree from './views/tree.js';
import * as peek from './views/peek.js';
import * as graph from './views/graph.js';
import * as tags from './views/tags.js';
import * as compare from './views/compare.js';
import * as goroutines from './views/goroutines.js';

/** The page's views, in the order of its tabs. */
export const VIEWS = { top, flame, tree, peek, graph, tags, compare, goroutines };

/**
 * A ViewContext (see app.js) over a state and the loaded files: `query` is
 * the files the state names (merged, as pprof merges sources; with their
 * kinds) with pprof's options for the state; `extra` adds options (an
 * embed's nodecount).
 * @param {{state: () => import('./state.js').State, update: (patch: object, opts?: {push?: boolean}) => void,
 *   entries: () => import('./files.js').Entry[], menu?: (x: number, y: number, name: string) => void,
 *   header?: (h: import('./engine.js').Header) => void, searchPattern?: () => string,
 *   searchStatus?: (msg: string | Node) => void, rendered?: () => void, pending?: (p: Promise<any>) => Promise<any>,
 *   extra?: () => object}} o
 * @returns {import('./app.js').ViewContext}
 */
let contexts = 0;

export function viewContext(o) {
  const noop = () => {};
  // The context's view queries share a channel: a newer refresh drops the waiting ones (engine.supersede).
  const channel = `view-${++contexts}`;
  return {
    channel,
    query() {
      const s = o.state();
      const shown = o.entries().filter((e) => s.files.includes(e.name));
      return {
        ids: shown.map((e) => e.summary.id), kinds: shown.map((e) => e.summary.kind),
        options: { ...options(s), ...(o.extra ? o.extra() : {}) }, channel,
      };
    },
    state: o.state,
    update: o.update,
    select: (name) => o.update({ selection: name }),
    entries: o.entries,
    menu: o.menu || noop,
    header: o.header || noop,
    searchPattern: o.searchPattern || (() => ''),
    searchStatus: o.searchStatus || noop,
    rendered: o.rendered || noop,
    pending: o.pending || ((p) => p),
  };
}

/**
 * Fills `box` with the query deadline's notice (engine.onBusy: `b` null
 * hides it): which query is still running, and a button that restarts the
 * engine (the files are loaded again and the view drawn again).
 */
export function busyNotice(box, b) {
  box.hidden = !b;
  if (!b) { fill(box); return; }
  fill(box, `The engine is still busy with an earlier query (${b.what}) after ${b.seconds} s; newer ones wait for it. `,
    h('button', { type: 'button', class: 'restart-engine', onclick: () => engine.restart(`restarted by the reader: ${b.what} ran past ${b.seconds} s`) },
      'Restart the engine'));
}

/** What the engine's "matched nothing" list says, one line each (names are option names or sentences). */
export function unmatchedLines(list, s) {
  return (list || []).map((u) => {
    if (/^[a-z_]+$/.test(u)) {
      const v = options(s)[u];
      return `${u}${v ? `=${v}` : ''} matched nothing`;
    }
    return u;
  });
}

/**
 * One view at a time in `body`, its errors in `error`. `onError` hears every
 * error shown; `retry` is what the "Try again" button after an engine crash
 * does (the files were loaded again by then).
 */
export class ViewHost {
  /** @param {Record<string, {create: Function, title: string}>} views @param {(err: Error) => void} [onError] @param {() => void} [retry] */
  constructor(views, onError = () => {}, retry = () => this.render()) {
    this.views = views;
    this.onError = onError;
    this.retry = retry;
    this.error = h('div', { class: 'view-error', role: 'alert', hidden: true });
    this.body = h('div', { class: 'view-body' });
    /** @type {{id: string, inst: any, ctx: any, epoch: number, broken?: boolean} | null} */
    this.current = null;
    /** The engine epoch in which the shown view crashed the engine (0: never). */
    this.crashedEpoch = 0;
  }

  /**
   * Makes view `id` with `ctx` unless it is the one shown, made in this
   * engine's epoch (a view keys what it keeps by profile ids, which a
   * restart reuses), and its last render did not fail or get cut off: then
   * it is made again, so nothing it kept is taken for current. True when it
   * made a new one.
   */
  use(id, ctx) {
    const c = this.current;
    if (c && c.id === id && !c.broken && c.epoch === engine.currentEpoch()) return false;
    if (this.current) this.current.inst.destroy();
    this.current = { id, inst: this.views[id].create(ctx), ctx, epoch: engine.currentEpoch() };
    fill(this.body, this.current.inst.el);
    return true;
  }

  /** What the shown view shows, for a crash's sentence: "the Tags view of heap.pb.gz". */
  what() {
    if (!this.current) return 'this view';
    const files = this.current.ctx.state().files;
    return `the ${this.views[this.current.id].title} view${files.length ? ` of ${files.join(', ')}` : ''}`;
  }

  /**
   * Renders the shown view; an error shows in the error box. A call cut off
   * by a restart someone else caused shows nothing: the files are loaded
   * again and the view rendered again.
   */
  async render() {
    if (!this.current) return;
    this.error.hidden = true;
    const current = this.current;
    try {
      await current.inst.render();
    } catch (err) {
      current.broken = true;
      if (err instanceof engine.EngineRestarted || err instanceof engine.Superseded) return;
      if (err instanceof engine.EngineCrash) this.crashed(err, this.what());
      else this.fail(err);
    }
  }

  /**
   * The engine crashed on `what`: the view is cleared (what it showed came
   * from the engine that is gone) and the sentence offers to try again.
   */
  crashed(crash, what) {
    this.crashedEpoch = crash.epoch;
    this.clear();
    this.fail(new Error(`${crash.describe(what)}; the engine was restarted and the files loaded again`), h('button', {
      type: 'button', class: 'retry',
      onclick: () => { this.error.hidden = true; this.retry(); },
    }, 'Try again'));
  }

  fail(err, action = null) {
    const msg = err && err.message ? err.message : String(err);
    fill(this.error, h('span', {}, msg), action);
    this.error.hidden = false;
    this.onError(err);
  }

  clear() {
    if (this.current) { this.current.inst.destroy(); this.current = null; }
    fill(this.body);
  }

  /** Searches the shown view; resolves when its matches are shown. */
  async search(pattern) {
    if (this.current) await this.current.inst.search(pattern);
  }
}
