// The only module that talks to the wasm engine. It runs the engine in a
// Worker (made from a Blob, so the hosted folder and the single offline file
// behave the same) and turns calls into promises, sent one at a time (a
// newer view query can replace a waiting one). A crash, a deadline or memory
// to return restarts the Worker; whoever loaded files loads them again
// (`onRestart`). Numbers arrive formatted
// with pprof's units; nothing here or in the views formats units itself.
import workerSource from 'profdrop:worker-source';

/**
 * A string column: entry i is `text.slice(offsets[i], offsets[i + 1])`.
 * @typedef {{text: string, offsets: Uint32Array}} StrCol
 */
/**
 * pprof's options, by pprof's names (see crate/src/report/mod.rs `Options`).
 * @typedef {{sample_index?: string, granularity?: string, cum?: boolean, nodefraction?: number, focus?: string, ignore?: string,
 *   hide?: string, show?: string, show_from?: string, prune_from?: string}} Options
 */
/**
 * @typedef {{ids: number[], kinds?: string[], options: Options, channel?: string}} Query  kinds: the profiles' kinds (heap,
 * goroutine, …), for views that need one kind; channel: the view context's, whose waiting queries a newer refresh drops (`supersede`)
 */
/**
 * @typedef {{id: number, name: string, kind: string, kind_text: string, format: string, sample_types: [string, string][],
 *   default_sample_index: number, samples: number, time_nanos: number, time_text: string,
 *   duration_nanos: number, duration_text: string, size: number, size_text: string, warnings: string[],
 *   file_time_nanos?: number, file_time_text?: string}} Summary  file_time_*: the file's date, for a profile without a time; kind_text: the kind as shown
 */
/**
 * What every view result carries: the report total (sum of |values|), its sample type, and the
 * filters that matched nothing.
 * @typedef {{total: number, sample_type: string, unmatched: string[]}} Header
 */
/**
 * pprof's top table as columns; `inline` is 0, 1 "(inline)" or 2 "(partial-inline)".
 * @typedef {Header & {labels: string[], rows: number, name: StrCol, inline: Uint8Array, flat: Float64Array,
 *   cum: Float64Array, flat_text: StrCol, flat_pct: StrCol, sum_pct: StrCol, cum_text: StrCol, cum_pct: StrCol}} TopView
 */
/**
 * A flame graph layout (crate/src/view/flame.rs): per frame `name`, `short`, `inline`, `package`
 * (index into `packages`); per box `frame`, `node` (call-tree node), `depth`, `parent` (box index,
 * 0xffffffff for the root), `x`/`width` in value units, `value`/`self` (signed); boxes of row d are
 * `row_start[d]..row_start[d + 1]`, left to right.
 * @typedef {Header & {zoom: number, name: StrCol, short: StrCol, inline: Uint8Array, package: Uint32Array,
 *   packages: StrCol, frame: Uint32Array, node: Uint32Array, depth: Uint32Array, parent: Uint32Array,
 *   x: Float64Array, width: Float64Array, value: Float64Array, self: Float64Array, row_start: Uint32Array}} FlameView
 */
/** @typedef {{frames: Uint8Array, value: number, value_text: string, pct: string}} FlameSearch */
/**
 * Children of a call-tree node as columns (`total` here is the children's column, not the report total).
 * @typedef {{sample_type: string, unmatched: string[], node: number, more: number, ids: Uint32Array, name: StrCol, inline: Uint8Array,
 *   has_children: Uint8Array, matched: Uint8Array, total: Float64Array, self: Float64Array,
 *   total_text: StrCol, total_pct: StrCol, self_text: StrCol, parent: {total: number, self: number, total_text: string}}} TreeChildren
 */
/**
 * @typedef {{name: string, weight: number, weight_text: string, pct: string, inline: boolean}} PeekEdge
 * @typedef {{name: string, flat: number, cum: number, flat_text: string, flat_pct: string, cum_text: string,
 *   cum_pct: string, callers: PeekEdge[], callees: PeekEdge[], more_callers: number, more_callees: number}} PeekEntry
 * @typedef {Header & {entries: PeekEntry[], more: number}} PeekView  more_*: left out by the engine's caps
 */
/**
 * The details panel (crate/src/view/details.rs `Details`).
 * @typedef {{id: number, start: string, limit: string, offset: string, file: string, build_id: string, has: string}} MappingRow
 * @typedef {{key: string, kind: string, values: number, units: string[], samples: number}} LabelKey
 * @typedef {{kind: string, format: string, sample_types: [string, string][], default_sample_type: string,
 *   period_type: [string, string], period: number, period_text: string, time: string, duration: string,
 *   comments: string[], drop_frames: string, keep_frames: string, doc_url: string, samples: number, stacks: number,
 *   locations: number, functions: number, mappings: MappingRow[], label_keys: LabelKey[], memstats: [string, string][],
 *   warnings: string[]}} Details
 */
/** @typedef {{file_time_nanos: number, file_time_text: string}} FileTime */

let worker = null;
let nextId = 1;
/** Calls sent to the Worker and not yet answered, in the order sent (the first is the one running). */
const pending = new Map();
/** Bumped at every restart: a Summary's id names a profile only in the engine of its epoch. */
let epoch = 0;
const restartListeners = new Set();
/** Methods sent to the Worker, in order (read by tests: a superseded query is never sent). */
export const sentLog = [];

/** The engine's epoch (see `onRestart`). */
export function currentEpoch() {
  return epoch;
}

/**
 * @typedef {{epoch: number, reason: string, method: string, what: string, crash: EngineCrash | null}} RestartEvent
 * `method` and `what` (a file's name for a load) name the call that caused the restart ('' for a deadline);
 * `crash` is set when it crashed.
 */
/**
 * Calls `fn(event)` synchronously whenever the engine is restarted (a crash,
 * a deadline, memory returned): every profile it held is gone, and whoever
 * loaded one loads it again (files.js for the page, each <profdrop-view> for
 * itself). Returns the unsubscribe function.
 * @param {(event: RestartEvent) => void} fn
 */
export function onRestart(fn) {
  restartListeners.add(fn);
  return () => restartListeners.delete(fn);
}

/**
 * The engine crashed (a wasm trap: a panic, an allocation that failed) while
 * running this call; it has been restarted empty. `kind` is 'memory' or
 * 'internal'; `detail` the panic's message without its source position.
 */
export class EngineCrash extends Error {
  constructor(kind, detail, crashEpoch) {
    super(kind === 'memory' ? 'the engine ran out of memory' : `the engine failed (${detail})`);
    this.kind = kind;
    this.detail = detail;
    this.epoch = crashEpoch;
  }

  /** The sentence for the person: what crashed on what. */
  describe(what) {
    return this.kind === 'memory'
      ? `the engine ran out of memory on ${what}`
      : `the engine failed on ${what} (${this.detail})`;
  }
}

/** A call that was waiting or running when the engine was restarted for another reason; load or ask again. */
export class EngineRestarted extends Error {}

/** A view query dropped because a newer one on the same channel replaced it (see `latest`). */
export class Superseded extends Error {
  constructor() { super('superseded by a newer query'); }
}

/**
 * A trap as a person reads it: the panic's message without "panicked at
 * FILE:LINE:COL:" (std's source paths mean nothing to a reader). A capacity
 * overflow or a failed allocation is the engine running out of memory; so is
 * a trap with no panic at `unreachable`, which is how Rust's wasm aborts when
 * an allocation fails. `trap` is the RuntimeError's own message.
 */
export function crashOf(panic, trap = '') {
  // (the engine's panic hook may already have made it a sentence: session::panic_sentence)
  const text = String(panic || '').replace(/^panicked at [^\n]*?:\d+:\d+:\s*/, '').replace(/^an internal error in the engine:\s*/, '')
    .replace(/\/rustc\/[0-9a-f]+\/\S*/g, '').trim();
  const memory = text ? /capacity overflow|memory allocation of \d+ bytes failed|out of memory/i.test(text) : /unreachable|out of memory/i.test(trap);
  if (memory) return { kind: 'memory', detail: 'out of memory' };
  return { kind: 'internal', detail: (text || String(trap)).split('\n')[0].slice(0, 200) };
}

/** Ends the Worker, bumps the epoch, rejects what was sent or queued (`culprit`: the call that caused it gets `error`). */
function restartWith(reason, culprit, error) {
  if (worker) worker.terminate();
  worker = null;
  clearTimeout(busyTimer);
  epoch++;
  const waiting = [...pending.values(), ...queue.splice(0)];
  pending.clear();
  running = null;
  const cause = waiting.find((c) => c.id === culprit);
  for (const c of waiting) c.reject(c.id === culprit && error ? error : new EngineRestarted(reason));
  const event = { epoch, reason, method: cause ? cause.method : '', what: cause ? cause.what : '', crash: error };
  for (const fn of [...restartListeners]) fn(event);
  setBusy(null);
}

/** Memory a failed call may leave grown before the engine is restarted to return it. */
const RETURN_MEMORY_BYTES = 128 << 20;

function start() {
  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  worker = new Worker(url, { name: 'profdrop-engine' });
  URL.revokeObjectURL(url);
  worker.onmessage = (e) => {
    const { id, stage, result, error } = e.data;
    const p = pending.get(id);
    if (!p) return;
    if (stage !== undefined) {
      if (p.onStage) p.onStage(stage);
      return;
    }
    if (e.data.crashed) {
      const { kind, detail } = crashOf(e.data.panic, error);
      restartWith(`the engine was restarted after it crashed on ${p.what}`, id, new EngineCrash(kind, detail, epoch + 1));
      return;
    }
    finished(p);
    if (error === undefined) {
      p.resolve(result);
      return;
    }
    const err = new Error(error);
    // wasm memory never shrinks: a failed load that grew it a lot gets a fresh engine.
    if (e.data.grew >= RETURN_MEMORY_BYTES) {
      err.memoryReturned = true;
      p.reject(err);
      restartWith(`the engine was restarted to return the memory ${p.what} took`, id, null);
      return;
    }
    p.reject(err);
  };
  // The Worker itself died (not a trap the Worker caught): the call it was running is the culprit.
  worker.onerror = (e) => {
    e.preventDefault();
    const { kind, detail } = crashOf('', e.message);
    restartWith('the engine was restarted after its Worker stopped', running ? running.id : -1, new EngineCrash(kind, detail, epoch + 1));
  };
}

// Calls wait here and go to the Worker one at a time, so that a newer view
// query can take the place of an older one that has not started (`supersede`).
/** @type {{id: number, method: string, args: any[], transfer: Transferable[], resolve: Function, reject: Function,
 *   onStage?: Function, what: string, channel: string, dropped?: boolean}[]} */
const queue = [];
/** The call the Worker is running (also in `pending`). */
let running = null;

function call(method, args, { transfer = [], onStage, what = method, channel = '' } = {}) {
  return new Promise((resolve, reject) => {
    queue.push({ id: nextId++, method, args, transfer, resolve, reject, onStage, what, channel });
    pump();
  });
}

function pump() {
  if (running || !queue.length) return;
  if (!worker) start();
  const c = queue.shift();
  running = c;
  pending.set(c.id, c);
  sentLog.push(c.method);
  worker.postMessage({ id: c.id, method: c.method, args: c.args }, c.transfer);
  // A load has its own deadline (loadWithin); any other call past the query deadline is reported.
  if (c.method !== 'load' && c.method !== 'warmup') busyTimer = setTimeout(() => setBusy(c), queryDeadlineSeconds() * 1000);
}

function finished(c) {
  pending.delete(c.id);
  if (running === c) running = null;
  clearTimeout(busyTimer);
  setBusy(null);
  pump();
}

/**
 * Drops every view query of `channel` (a view context's own: see
 * view-host.js) that is waiting, and the result of the one running: the
 * reader asked for something newer. They reject with Superseded.
 */
export function supersede(channel) {
  for (let i = queue.length - 1; i >= 0; i--) {
    if (queue[i].channel === channel) queue.splice(i, 1)[0].reject(new Superseded());
  }
  if (running && running.channel === channel && !running.dropped) {
    running.dropped = true;
    running.reject(new Superseded());
  }
}

// ---------------------------------------------------------------------------
// The query deadline: a query still running after it is reported (the engine
// cannot be interrupted; the page offers to restart it).
// ---------------------------------------------------------------------------

/** Seconds a query may run before the page says the engine is busy: ?query_deadline=SECONDS, else 10. */
export function queryDeadlineSeconds() {
  const v = Number(new URLSearchParams(location.search).get('query_deadline'));
  return Number.isFinite(v) && v > 0 ? v : 10;
}

let busyTimer = 0;
/** @type {{method: string, what: string, seconds: number} | null} */
let busy = null;
const busyListeners = new Set();

function setBusy(c) {
  const next = c ? { method: c.method, what: c.what, seconds: queryDeadlineSeconds() } : null;
  if (!busy && !next) return;
  busy = next;
  for (const fn of [...busyListeners]) fn(busy);
}

/**
 * Calls `fn(busy)` when a query has run past the deadline (`{method, what,
 * seconds}`) and `fn(null)` when it ends (or the engine is restarted).
 * Returns the unsubscribe function.
 */
export function onBusy(fn) {
  busyListeners.add(fn);
  return () => busyListeners.delete(fn);
}

/**
 * Warms the engine up on a small profile (see worker.js), one round per
 * call: a file or a query asked for meanwhile goes first, and ends the
 * warm-up (a reader's file never waits behind the remaining rounds).
 */
export async function warmup(bytes, rounds = 40) {
  for (let i = 0; i < rounds; i++) {
    if (i > 0 && queue.length) return;
    const copy = bytes.slice().buffer;
    await call('warmup', [copy, 1], { transfer: [copy] });
  }
}

/** The engine's wasm memory size in bytes (for the benchmark). */
export function memory() {
  return call('memory', []);
}

/** Entry `i` of a string column. */
export function str(col, i) {
  return col.text.slice(col.offsets[i], col.offsets[i + 1]);
}

/**
 * Reads and decodes a file (a File or Blob: the engine reads it itself).
 * `onStage` hears 'inflating' and 'decoding'. Rejects with the stage and position.
 * @param {string} name
 * @param {Blob} blob
 * @returns {Promise<Summary>}
 */
export function load(name, blob, onStage) {
  return call('load', [name, blob], { onStage, what: name });
}

/** Forgets a loaded profile. @returns {Promise<void>} */
export function remove(id) {
  return call('remove', [id]);
}

/** The details panel's data for one loaded profile. @returns {Promise<Details>} */
export function details(id) {
  return call('details', [id]);
}

const ids = (q) => Uint32Array.from(q.ids);
/** A view query's call options: its context's channel. */
const viewCall = (q) => ({ channel: q.channel || '' });

/**
 * Calls the Session method `method` (crate/src/wasm.rs) with a query's ids and options and
 * `args` after them: what a typed wrapper below does, for a view whose call needs nothing more.
 * @param {string} method
 * @param {Query} q
 * @returns {Promise<any>}
 */
export function query(method, q, ...args) {
  return call(method, [ids(q), q.options, ...args], viewCall(q));
}

/** @returns {Promise<TopView>} */
export function top(q) {
  return call('top', [ids(q), q.options], viewCall(q));
}

/** Which top rows match a regular expression. @returns {Promise<Uint8Array>} */
export function topMatch(q, pattern) {
  return call('top_match', [ids(q), q.options, pattern], viewCall(q));
}

/** @returns {Promise<FlameView>} */
export function flame(q, zoom, minFraction) {
  return call('flame', [ids(q), q.options, zoom, minFraction], viewCall(q));
}

/** @returns {Promise<FlameSearch>} */
export function flameSearch(q, pattern) {
  return call('flame_search', [ids(q), q.options, pattern], viewCall(q));
}

/** @returns {Promise<TreeChildren>} */
export function treeChildren(q, inverted, node, limit, pattern) {
  return call('tree_children', [ids(q), q.options, inverted, node, limit, pattern], viewCall(q));
}

/** @returns {Promise<PeekView>} */
export function peek(q, pattern) {
  return call('peek', [ids(q), q.options, pattern], viewCall(q));
}

/**
 * Formats values in the report's unit and as percentages of `of[i]` (of the total where 0).
 * @typedef {{values: string[], percents: string[]}} Formatted
 * @returns {Promise<Formatted>}
 */
export function format(q, values, of) {
  return call('format', [ids(q), q.options, Float64Array.from(values), Float64Array.from(of)]);
}

/** pprof's -top text (the CLI's output). @returns {Promise<string>} */
export function topText(q) {
  return call('top_text', [ids(q), q.options]);
}

// ---------------------------------------------------------------------------
// Call graph, tags, and the per-file decode deadline.
// ---------------------------------------------------------------------------

/**
 * pprof's -dot for a query, and the drawn nodes as columns: `ids[i]` is the
 * DOT node `N{ids[i]}`; flat/cum signed, with texts in the report's unit.
 * @typedef {Header & {dot: string, ids: Uint32Array, name: StrCol, flat: Float64Array, cum: Float64Array,
 *   flat_text: StrCol, flat_pct: StrCol, cum_text: StrCol, cum_pct: StrCol}} DotView
 */
/**
 * pprof's -tags: per label key its values heaviest first, weights as pprof prints them, shares of the key's total;
 * `more`: the values left out by the cap (the lightest).
 * @typedef {{key: string, numeric: boolean, total: number, total_text: string, more: number, name: StrCol, weight: Float64Array,
 *   weight_text: StrCol, pct: StrCol}} TagKey
 * @typedef {Header & {keys: TagKey[]}} TagsView
 */

/** @returns {Promise<DotView>} `options` may carry nodecount, nodefraction, edgefraction. */
export function dot(q) {
  return call('dot', [ids(q), q.options], viewCall(q));
}

/** At most `maxValues` values per key. @returns {Promise<TagsView>} */
export function tags(q, maxValues) {
  return call('tags', [ids(q), q.options, maxValues], viewCall(q));
}

/**
 * Ends the engine Worker at once (what it held is gone) and rejects every
 * call in flight with an EngineRestarted(`reason`); the next call starts a
 * fresh, empty engine, and `onRestart` listeners load their files again.
 */
export function restart(reason) {
  restartWith(reason, -1, null);
}

/**
 * Test-only: a browser test sets `globalThis.profdropTestHooks = {stallLoads: [names]}`
 * before the page loads; the next load of each name then never answers, so the
 * deadline's path is deterministic instead of a race with the machine's speed.
 * Nothing in the page or in a profile sets it.
 */
function takeStall(name) {
  const names = globalThis.profdropTestHooks && globalThis.profdropTestHooks.stallLoads;
  const i = Array.isArray(names) ? names.indexOf(name) : -1;
  if (i >= 0) names.splice(i, 1);
  return i >= 0;
}

/** Thrown by `loadWithin` when decoding one file outlasted the deadline (the engine was restarted). */
export class DeadlineError extends Error {
  constructor(message, seconds) {
    super(message);
    this.seconds = seconds;
  }
}

/**
 * `load` with a deadline: counted from when the engine starts reading the
 * file (not while it finishes earlier work). Past it the Worker is
 * terminated and restarted empty, and this rejects with a DeadlineError;
 * the caller loads the other files again.
 */
export function loadWithin(name, blob, onStage, seconds) {
  const args = takeStall(name) ? [name, blob, { stall: true }] : [name, blob];
  return new Promise((resolve, reject) => {
    let timer = 0;
    let over = false;
    const stage = (s) => {
      if (s === 'reading') {
        timer = setTimeout(() => {
          over = true;
          const msg = `${name}: decoding took longer than the ${seconds} s per-file deadline, so the engine was restarted`;
          restart(msg);
          reject(new DeadlineError(msg, seconds));
        }, seconds * 1000);
      } else if (onStage) {
        onStage(s);
      }
    };
    call('load', args, { onStage: stage, what: name }).then(
      (v) => { clearTimeout(timer); if (!over) resolve(v); },
      (e) => { clearTimeout(timer); if (!over) reject(e); },
    );
  });
}

// Comparisons, goroutines and findings (crate/src/session/comparisons.rs, goroutines.rs).

/**
 * The diff top table of a comparison (pprof's diff columns plus each side): per row `name`, `inline`,
 * `presence` (0 both, 1 new, 2 gone), `flat`/`cum` (target − base), `base_flat`, `base_cum`, `target_flat`,
 * `target_cum`, `flat_change`/`cum_change` (delta / |base|, ±Infinity when new), and their texts; the header
 * says the `mode`, the kind's `default_mode` and why, both times (`from_file`: the file's date), `minutes`
 * between them and the rates per minute (`*_rate_text`) when known.
 * @typedef {Header & {labels: string[], kind: string, mode: string, default_mode: string, default_reason: string,
 *   mode_reason: string, warnings: string[], base_total: number, base_total_text: string, target_total: number,
 *   target_total_text: string, delta_total: number, delta_total_text: string,
 *   total_change: string, from_file: Uint8Array, time_text: string[], time_note?: string, minutes?: number, minutes_text?: string,
 *   total_rate_text?: string, rows: number, name: StrCol, inline: Uint8Array, presence: Uint8Array, flat: Float64Array, cum: Float64Array,
 *   base_flat: Float64Array, base_cum: Float64Array, target_flat: Float64Array, target_cum: Float64Array,
 *   flat_change: Float64Array, cum_change: Float64Array, flat_text: StrCol, flat_pct: StrCol, sum_pct: StrCol, cum_text: StrCol,
 *   cum_pct: StrCol, base_flat_text: StrCol, base_cum_text: StrCol, target_flat_text: StrCol, target_cum_text: StrCol,
 *   flat_change_text: StrCol, cum_change_text: StrCol, flat_rate_text?: StrCol, cum_rate_text?: StrCol}} DiffTopView
 */
/** @typedef {{base: number, target: number, mode: string}} Pair  mode: diff_base | base | normalize | '' (the kind's default) */
/**
 * The differential flame graph: a FlameView plus per box both sides and the change (−1 … +1).
 * @typedef {FlameView & {base: Float64Array, target: Float64Array, change: Float64Array}} DiffFlameView
 */
/**
 * Loaded profiles of one kind that can be compared, oldest first; `ordered_by`: time | the files' dates | load order.
 * @typedef {{kind: string, ids: Uint32Array, time_text: string[], from_file: Uint8Array, ordered_by: string,
 *   binaries: string[], note?: string}} CompareGroup  binaries: each member's main binary (build id, else file; "" unknown)
 */
/** @typedef {{mode: string, reason: string, kind: string}} DefaultMode */
/** @typedef {{base: string, target: string, delta: string, change: string}} CompareDescription */
/**
 * Stacks on one side only (function names, root first).
 * @typedef {{frames: string[], value: number, text: string}} StackChange
 * @typedef {{new: StackChange[], gone: StackChange[]}} StackChanges
 */
/**
 * Growth over snapshots ordered by time: `values`/`value_text` hold `snapshots` entries per row; with a limit,
 * the projection (or `limit_error`).
 * @typedef {{sample_type: string, unit: string, ids: Uint32Array, time_text: string[], from_file: Uint8Array,
 *   minutes: Float64Array, minutes_text: string[], totals: Float64Array, totals_text: string[], total_slope: number,
 *   total_slope_text: string, row_count: number, rows: number, snapshots: number, name: StrCol, values: Float64Array,
 *   value_text: StrCol, slope: Float64Array, slope_text: StrCol, monotonic: Uint8Array, limit_error?: string,
 *   limit?: number, limit_text?: string, minutes_to_limit?: number, projection?: string}} GrowthView
 */
/**
 * The Goroutines view (crate/src/view/goroutines.rs); absent values are null.
 * @typedef {{function: string, file: string, line: number}} Site
 * @typedef {{function: string, file: string, line: number, args: string|null}} GoFrame
 * @typedef {{state: string, count: number}} StateCount
 * @typedef {{key: string, value: string, count: number}} LabelCount
 * @typedef {{neighbour: number, field: string, frame: number|null, this: string, other: string, text: string}} NotMerged
 * @typedef {{id: number, count: number, share: number, states: StateCount[], wait_minutes: [number, number]|null,
 *   locked_to_thread: number, created_by: Site|null, first_user_frame: string|null, entry: string|null,
 *   labels: LabelCount[], frames: GoFrame[], frames_elided: boolean, stack_unavailable: boolean, ids: number[],
 *   first: boolean, background: string|null, not_merged: NotMerged|null}} GoroutineGroup
 * @typedef {{count: number, share: number, by_rule: StateCount[], groups: GoroutineGroup[]}} BackgroundRow
 * @typedef {{id: string, title: string, entry: string[], all_of: string[], any_of: string[], stdlib_only: boolean,
 *   why: string}} BackgroundRule
 * @typedef {{basis: string, function: string, file: string, line: number, count: number, share: number,
 *   groups: number, states: StateCount[]}} CreatorRow
 * @typedef {{source_format: string, tracebacks: boolean, similarity: string, total: number, group_count: number,
 *   groups: GoroutineGroup[], background: BackgroundRow|null, background_rules: BackgroundRule[],
 *   by_creator: CreatorRow[], notes: string[], share_text: string[], creator_share_text: string[],
 *   background_share_text?: string, row_count: number, creator_count: number, similarity_text: string,
 *   rules_text: string[]}} GoroutinesView  row_count, creator_count: groups and creation sites before the cut
 */
/**
 * The goroutine diff (crate/src/view/goroutine_diff.rs): by goroutine id for two debug=2 dumps.
 * @typedef {{survived: number, stayed: number, moved_in: number, new: number, gone: number, moved_out: number,
 *   kept_waiting: number|null, wait_growth: [number, number]|null}} IdCounts
 * @typedef {{minutes: number|null, source: string, range: [number, number]|null, text: string}} Interval
 * @typedef {{group: GoroutineGroup, base: number, target: number, delta: number, status: string,
 *   ids: IdCounts|null}} GoroutineDiffRow
 * @typedef {{by_id: boolean, similarity: string, base_total: number, target_total: number, interval: Interval|null,
 *   totals: IdCounts|null, rows: GoroutineDiffRow[], warnings: string[], row_count: number, interval_from: string,
 *   time_note?: string}} GoroutineDiff
 */
/**
 * Leak findings (crate/src/view/findings.rs); `stack_profiles[i][j]` is the loaded profile stack j of finding i is in.
 * @typedef {{key: string, label: string, value: number, text: string}} Evidence
 * @typedef {{frames: string[], value: number, focus: string, function: string, source: string}} StackRef
 * @typedef {{rule: string, title: string, severity: string, summary: string, evidence: Evidence[], stacks: StackRef[],
 *   fix: string, thresholds: string}} Finding
 * @typedef {{findings: Finding[], stack_profiles: (number|null)[][], markdown: string, goroutine_profiles: number,
 *   heap_profiles: number, errors: string[], rules: number}} Findings
 */

/** Tells the engine the date of the file a profile came from (`File.lastModified`). @returns {Promise<FileTime|null>} */
export function setFileTime(id, millis) {
  return call('set_file_time', [id, millis]);
}

/** Loaded profiles that can be compared, by kind, oldest first. @returns {Promise<CompareGroup[]>} */
export function compareGroups(ids) {
  return call('compare_groups', [Uint32Array.from(ids)]);
}

/** @param {Pair} pair @param {Options} options @returns {Promise<DiffTopView>} */
export function compareTop(pair, options) {
  return call('compare_top', [pair.base, pair.target, pair.mode, options]);
}

/** The differential flame graph. @returns {Promise<DiffFlameView>} */
export function compareFlame(pair, options, zoom, minFraction) {
  return call('compare_flame', [pair.base, pair.target, pair.mode, options, zoom, minFraction]);
}

/** Frames of the last differential flame graph matching a regular expression. @returns {Promise<Uint8Array>} */
export function compareFlameSearch(pattern) {
  return call('compare_flame_search', [pattern]);
}

/** Base, target, delta and change of one box, in the comparison's unit. @returns {Promise<CompareDescription>} */
export function compareDescribe(base, target) {
  return call('compare_describe', [base, target]);
}

/** Stacks only in the target (`new`) or only in the base (`gone`). @returns {Promise<StackChanges>} */
export function compareStacks(pair, options, limit) {
  return call('compare_stacks', [pair.base, pair.target, pair.mode, options, limit]);
}

/** The goroutine diff (by goroutine id for two debug=2 dumps). `interval` NaN: from the times. @returns {Promise<GoroutineDiff>} */
export function goroutineCompare(pair, similarity, interval, maxRows) {
  return call('goroutine_compare', [pair.base, pair.target, similarity, interval, maxRows]);
}

/** Growth over N snapshots (ordered by time in the engine), with the projection to `limit`. @returns {Promise<GrowthView>} */
export function growth(ids, options, limit, maxRows) {
  return call('growth', [Uint32Array.from(ids), options, limit, maxRows]);
}

/** The Goroutines view of the merge of `q.ids`. @returns {Promise<GoroutinesView>} */
export function goroutines(q, similarity, foldBackground, maxGroups) {
  return call('goroutines', [ids(q), similarity, foldBackground, maxGroups], viewCall(q));
}

/** Leak findings over the goroutine and heap profiles among `ids` (every loaded one when omitted). @returns {Promise<Findings>} */
export function findings(goroutineLimit, memoryLimit, ids) {
  if (ids) return call('findings_of', [Uint32Array.from(ids), goroutineLimit, memoryLimit]);
  return call('findings', [goroutineLimit, memoryLimit]);
}

/** The mode a comparison defaults to for the target's kind and sample type. @returns {Promise<DefaultMode>} */
export function compareDefaultMode(target, options) {
  return call('compare_default_mode', [target, options]);
}

/** The diff top table as `csv` or `markdown` text. @returns {Promise<string>} */
export function compareExport(pair, options, format) {
  return call('compare_export', [pair.base, pair.target, pair.mode, options, format]);
}

/** Which diff top rows match a regular expression. @returns {Promise<Uint8Array>} */
export function compareTopMatch(pair, options, pattern) {
  return call('compare_top_match', [pair.base, pair.target, pair.mode, options, pattern]);
}

// ---------------------------------------------------------------------------
// Sharing without uploading: table and profile exports, redacted copies.
// ---------------------------------------------------------------------------

/** The top table as `csv` or `markdown` text (sorted as `q.options.cum` says). @returns {Promise<string>} */
export function topExport(q, format) {
  return call('top_export', [ids(q), q.options, format]);
}

/** The shown profile (after sample_index and filters) as pprof protobuf bytes (not gzipped). @returns {Promise<Uint8Array>} */
export function exportPprof(q) {
  return call('export_pprof', [ids(q), q.options]);
}

/** A comparison's diff profile (filtered) as pprof protobuf bytes (not gzipped). @returns {Promise<Uint8Array>} */
export function compareExportPprof(pair, options) {
  return call('compare_export_pprof', [pair.base, pair.target, pair.mode, options]);
}

/**
 * @typedef {{file_paths?: boolean, function_names?: boolean, label_values?: boolean, mappings?: boolean}} RedactOptions
 */
/** Loaded profile `id` redacted, as pprof protobuf bytes (not gzipped). @param {RedactOptions} options @returns {Promise<Uint8Array>} */
export function redacted(id, options) {
  return call('redacted', [id, options]);
}

/** What a profile redacted with `options` still holds (sentences for the save dialog). @returns {Promise<string[]>} */
export function redactionKept(options) {
  return call('redaction_kept', [options]);
}
