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
export function viewContext(o) {
  const noop = () => {};
  return {
    query() {
      const s = o.state();
      const shown = o.entries().filter((e) => s.files.includes(e.name));
      return {
        ids: shown.map((e) => e.summary.id), kinds: shown.map((e) => e.summary.kind),
        options: { ...options(s), ...(o.extra ? o.extra() : {}) },
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
 * One view at a time in `body`, its errors in `error` (with a Reload button
 * once the engine has stopped). `onError` hears every error shown.
 */
export class ViewHost {
  /** @param {Record<string, {create: Function}>} views @param {(err: Error) => void} [onError] */
  constructor(views, onError = () => {}) {
    this.views = views;
    this.onError = onError;
    this.error = h('div', { class: 'view-error', role: 'alert', hidden: true });
    this.body = h('div', { class: 'view-body' });
    /** @type {{id: string, inst: any} | null} */
    this.current = null;
  }

  /** Makes view `id` with `ctx` unless it is the one shown; true when it made a new one. */
  use(id, ctx) {
    if (this.current && this.current.id === id) return false;
    if (this.current) this.current.inst.destroy();
    this.current = { id, inst: this.views[id].create(ctx) };
    fill(this.body, this.current.inst.el);
    return true;
  }

  /** Renders the shown view; an error (or a stopped engine) shows in the error box. */
  async render() {
    if (engine.stopped) {
      // Nothing computed before the stop stays on show as if it were current.
      this.clear();
      this.fail(new Error(engine.stopped));
      return;
    }
    this.error.hidden = true;
    try {
      await this.current.inst.render();
    } catch (err) {
      this.fail(err);
    }
  }

  fail(err) {
    const msg = err && err.message ? err.message : String(err);
    fill(this.error, h('span', {}, msg), engine.stopped
      ? h('button', { type: 'button', onclick: () => location.reload() }, 'Reload')
      : null);
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
