// The only module that talks to the wasm engine. It runs the engine in a
// Worker (made from a Blob, so the hosted folder and the single offline file
// behave the same) and turns calls into promises. Numbers arrive formatted
// with pprof's units; nothing here or in the views formats units itself.
import workerSource from 'profdrop:worker-source';

/**
 * A string column: entry i is `text.slice(offsets[i], offsets[i + 1])`.
 * @typedef {{text: string, offsets: Uint32Array}} StrCol
 */
/**
 * pprof's options, by pprof's names (see crate/src/view/report.rs `Options`).
 * @typedef {{sample_index?: string, granularity?: string, cum?: boolean, nodefraction?: number, focus?: string, ignore?: string,
 *   hide?: string, show?: string, show_from?: string, prune_from?: string}} Options
 */
/** @typedef {{ids: number[], kinds?: string[], options: Options}} Query  kinds: the profiles' kinds (heap, goroutine, …), for views that need one kind */
/**
 * @typedef {{id: number, name: string, kind: string, format: string, sample_types: [string, string][],
 *   default_sample_index: number, samples: number, time_nanos: number, time_text: string,
 *   duration_nanos: number, duration_text: string, size: number, size_text: string, warnings: string[]}} Summary
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
 * @typedef {Header & {node: number, more: number, ids: Uint32Array, name: StrCol, inline: Uint8Array,
 *   has_children: Uint8Array, matched: Uint8Array, total: Float64Array, self: Float64Array,
 *   total_text: StrCol, total_pct: StrCol, self_text: StrCol, parent: {total: number, self: number, total_text: string}}} TreeChildren
 */
/**
 * @typedef {{name: string, weight: number, weight_text: string, pct: string, inline: boolean, residual: boolean}} PeekEdge
 * @typedef {{name: string, flat: number, cum: number, flat_text: string, flat_pct: string, cum_text: string,
 *   cum_pct: string, callers: PeekEdge[], callees: PeekEdge[]}} PeekEntry
 * @typedef {Header & {entries: PeekEntry[]}} PeekView
 */

let worker = null;
let nextId = 1;
const pending = new Map();
/** Set once the engine has stopped (a wasm trap); every later call rejects with it. */
export let stopped = null;

function start() {
  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  worker = new Worker(url);
  URL.revokeObjectURL(url);
  worker.onmessage = (e) => {
    const { id, stage, result, error } = e.data;
    const p = pending.get(id);
    if (!p) return;
    if (stage !== undefined) {
      if (p.onStage) p.onStage(stage);
      return;
    }
    pending.delete(id);
    if (e.data.stopped) stopped = error;
    if (error !== undefined) p.reject(new Error(error));
    else p.resolve(result);
  };
  worker.onerror = (e) => {
    stopped = `the engine stopped: ${e.message || 'worker error'}; reload the page`;
    for (const p of pending.values()) p.reject(new Error(stopped));
    pending.clear();
  };
}

function call(method, args, { transfer = [], onStage } = {}) {
  if (!worker) start();
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject, onStage });
    worker.postMessage({ id, method, args }, transfer);
  });
}

/**
 * Warms the engine up on a small profile (see worker.js); loads queued
 * behind it wait for it.
 */
export function warmup(bytes, rounds = 40) {
  const copy = bytes.slice().buffer;
  return call('warmup', [copy, rounds], { transfer: [copy] });
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
  return call('load', [name, blob], { onStage });
}

/** Forgets a loaded profile. */
export function remove(id) {
  return call('remove', [id]);
}

/** The details panel's data for one loaded profile. */
export function details(id) {
  return call('details', [id]);
}

const ids = (q) => Uint32Array.from(q.ids);

/** @returns {Promise<TopView>} */
export function top(q) {
  return call('top', [ids(q), q.options]);
}

/** Which top rows match a regular expression. @returns {Promise<Uint8Array>} */
export function topMatch(q, pattern) {
  return call('top_match', [ids(q), q.options, pattern]);
}

/** @returns {Promise<FlameView>} */
export function flame(q, zoom, minFraction) {
  return call('flame', [ids(q), q.options, zoom, minFraction]);
}

/** @returns {Promise<FlameSearch>} */
export function flameSearch(q, pattern) {
  return call('flame_search', [ids(q), q.options, pattern]);
}

/** @returns {Promise<TreeChildren>} */
export function treeChildren(q, inverted, node, limit, pattern) {
  return call('tree_children', [ids(q), q.options, inverted, node, limit, pattern]);
}

/** @returns {Promise<PeekView>} */
export function peek(q, pattern) {
  return call('peek', [ids(q), q.options, pattern]);
}

/**
 * Formats values in the report's unit and as percentages of `of[i]` (of the total where 0).
 * @returns {Promise<{values: string[], percents: string[]}>}
 */
export function format(q, values, of) {
  return call('format', [ids(q), q.options, Float64Array.from(values), Float64Array.from(of)]);
}

/** pprof's -top text (the CLI's output). */
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
 * pprof's -tags: per label key its values heaviest first, weights as pprof prints them, shares of the key's total.
 * @typedef {{key: string, numeric: boolean, total: number, total_text: string, name: StrCol, weight: Float64Array,
 *   weight_text: StrCol, pct: StrCol}} TagKey
 * @typedef {Header & {keys: TagKey[]}} TagsView
 */

/** @returns {Promise<DotView>} `options` may carry nodecount, nodefraction, edgefraction. */
export function dot(q) {
  return call('dot', [ids(q), q.options]);
}

/** @returns {Promise<TagsView>} */
export function tags(q) {
  return call('tags', [ids(q), q.options]);
}

/**
 * Ends the engine Worker at once (what it held is gone) and rejects every
 * call in flight with `reason`; the next call starts a fresh, empty engine.
 */
export function restart(reason) {
  if (worker) worker.terminate();
  worker = null;
  const waiting = [...pending.values()];
  pending.clear();
  for (const p of waiting) p.reject(new Error(reason));
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
    call('load', [name, blob], { onStage: stage }).then(
      (v) => { clearTimeout(timer); if (!over) resolve(v); },
      (e) => { clearTimeout(timer); if (!over) reject(e); },
    );
  });
}

// Comparisons, goroutines and findings (crate/src/wasm.rs, last section).

/**
 * The diff top table of a comparison (pprof's diff columns plus each side): per row `name`, `inline`,
 * `presence` (0 both, 1 new, 2 gone), `flat`/`cum` (target − base), `base_flat`, `base_cum`, `target_flat`,
 * `target_cum`, `flat_change`/`cum_change` (delta / |base|, ±Infinity when new), and their texts; the header
 * says the `mode`, the kind's `default_mode` and why, both times (`from_file`: the file's date), `minutes`
 * between them and the rates per minute (`*_rate_text`) when known.
 * @typedef {Header & {labels: string[], kind: string, mode: string, default_mode: string, default_reason: string,
 *   mode_reason: string, warnings: string[], base_total_text: string, target_total_text: string, delta_total_text: string,
 *   total_change: string, from_file: Uint8Array, time_text: string[], time_note?: string, minutes?: number, minutes_text?: string,
 *   total_rate_text?: string, rows: number, name: StrCol, inline: Uint8Array, presence: Uint8Array, flat: Float64Array, cum: Float64Array,
 *   base_flat: Float64Array, base_cum: Float64Array, target_flat: Float64Array, target_cum: Float64Array,
 *   flat_change: Float64Array, cum_change: Float64Array, flat_text: StrCol, flat_pct: StrCol, sum_pct: StrCol, cum_text: StrCol,
 *   cum_pct: StrCol, base_flat_text: StrCol, base_cum_text: StrCol, target_flat_text: StrCol, target_cum_text: StrCol,
 *   flat_change_text: StrCol, cum_change_text: StrCol, flat_rate_text?: StrCol, cum_rate_text?: StrCol}} DiffTopView
 */
/** @typedef {{base: number, target: number, mode: string}} Pair  mode: diff_base | base | normalize | '' (the kind's default) */

/** Tells the engine the date of the file a profile came from (`File.lastModified`). */
export function setFileTime(id, millis) {
  return call('set_file_time', [id, millis]);
}

/** Loaded profiles that can be compared, by kind, oldest first. */
export function compareGroups(ids) {
  return call('compare_groups', [Uint32Array.from(ids)]);
}

/** @param {Pair} pair @param {Options} options @returns {Promise<DiffTopView>} */
export function compareTop(pair, options) {
  return call('compare_top', [pair.base, pair.target, pair.mode, options]);
}

/** The differential flame graph: a FlameView plus per box `base`, `target`, `change` (−1 … +1). */
export function compareFlame(pair, options, zoom, minFraction) {
  return call('compare_flame', [pair.base, pair.target, pair.mode, options, zoom, minFraction]);
}

/** Frames of the last differential flame graph matching a regular expression. @returns {Promise<Uint8Array>} */
export function compareFlameSearch(pattern) {
  return call('compare_flame_search', [pattern]);
}

/** Base, target, delta and change of one box, in the comparison's unit. */
export function compareDescribe(base, target) {
  return call('compare_describe', [base, target]);
}

/** Stacks only in the target (`new`) or only in the base (`gone`). */
export function compareStacks(pair, options, limit) {
  return call('compare_stacks', [pair.base, pair.target, pair.mode, options, limit]);
}

/** The goroutine diff (by goroutine id for two debug=2 dumps). `interval` NaN: from the times. */
export function goroutineCompare(pair, similarity, interval, maxRows) {
  return call('goroutine_compare', [pair.base, pair.target, similarity, interval, maxRows]);
}

/** Growth over N snapshots (ordered by time in the engine), with the projection to `limit`. */
export function growth(ids, options, limit, maxRows) {
  return call('growth', [Uint32Array.from(ids), options, limit, maxRows]);
}

/** The Goroutines view of the merge of `q.ids`. */
export function goroutines(q, similarity, foldBackground, maxGroups) {
  return call('goroutines', [ids(q), similarity, foldBackground, maxGroups]);
}

/** Leak findings over the goroutine and heap profiles among `ids` (every loaded one when omitted). */
export function findings(goroutineLimit, memoryLimit, ids) {
  return call('findings', [goroutineLimit, memoryLimit, ids ? Uint32Array.from(ids) : null]);
}

/** The mode a comparison defaults to for the target's kind and sample type: `{mode, reason, kind}`. */
export function compareDefaultMode(target, options) {
  return call('compare_default_mode', [target, options]);
}

/** The diff top table as `csv` or `markdown` text. */
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
