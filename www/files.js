// The loaded files: reading, the engine's load stages, the list with each
// file's kind, sample types, time, duration, size, progress, error and a
// remove button. One file's error never disturbs the others: a file whose
// decoding outlasts the per-file deadline (60 s, or ?decode_deadline=SECONDS
// in the page's address) gets the engine restarted, and the other files are
// loaded again from the page's own File/Blob handles, so they stay loaded.
import * as engine from './engine.js';
import { h, fill } from './dom.js';

/**
 * @typedef {{key: number, name: string, size: number, stage: string | null, summary: import('./engine.js').Summary | null,
 *   error: string | null, blob: Blob, deadline: number}} Entry
 * `deadline` is set (in seconds) on a file whose decoding hit the deadline.
 */

/** The per-file decode deadline in seconds: ?decode_deadline=SECONDS in the page's address, else 60. */
export function deadlineSeconds() {
  const v = Number(new URLSearchParams(location.search).get('decode_deadline'));
  return Number.isFinite(v) && v > 0 ? v : 60;
}

const STAGES = ['reading', 'inflating', 'decoding', 'aggregating'];

/** @type {Entry[]} */
export const entries = [];
/** Every stage each file went through, in order: [name, stage, when] (for tests and the benchmark). */
export const stageLog = [];
let nextKey = 1;

/** Loaded entries whose name is in `names`. */
export function active(names) {
  return entries.filter((e) => e.summary && names.includes(e.name));
}

/**
 * Reads and decodes files one after another (a large file's bytes are freed
 * before the next is read); `onChange` is called after every stage.
 * Resolves to the entries that loaded.
 * @param {{name: string, blob: Blob}[]} inputs
 */
export async function add(inputs, onChange) {
  const added = inputs.map((f) => {
    const e = { key: nextKey++, name: f.name, size: f.blob.size, stage: 'reading', summary: null, error: null, blob: f.blob, deadline: 0 };
    // A file of the same name replaces the old one (names identify files in the URL).
    const old = entries.findIndex((x) => x.name === f.name);
    if (old >= 0) {
      if (entries[old].summary) engine.remove(entries[old].summary.id).catch(() => {});
      entries.splice(old, 1);
    }
    entries.push(e);
    return e;
  });
  for (const e of added) stageLog.push([e.name, 'reading', performance.now()]);
  onChange();
  for (const [i, f] of inputs.entries()) {
    const e = added[i];
    const seconds = f.deadline || deadlineSeconds();
    try {
      e.summary = await engine.loadWithin(f.name, f.blob, (stage) => { setStage(e, stage); onChange(); }, seconds);
    } catch (err) {
      e.error = err.message;
      if (err instanceof engine.DeadlineError) {
        e.deadline = seconds;
        e.stage = null;
        await reloadOthers(e, onChange);
        e.error = `${err.message}; the other files were loaded again. To allow more time, retry below or open the page with ?decode_deadline=SECONDS.`;
      }
    }
    e.stage = null;
    onChange();
  }
  return added.filter((e) => e.summary);
}

/** After a restart: every other loaded file into the new engine (new ids), from its File/Blob. */
async function reloadOthers(except, onChange) {
  for (const x of entries) {
    if (x === except || !x.summary) continue;
    x.summary = null;
    setStage(x, 'reading');
    onChange();
    try {
      x.summary = await engine.loadWithin(x.name, x.blob, (stage) => { setStage(x, stage); onChange(); }, deadlineSeconds());
    } catch (err) {
      x.error = err.message;
    }
    x.stage = null;
    onChange();
  }
}

export function setStage(e, stage) {
  e.stage = stage;
  if (stage) stageLog.push([e.name, stage, performance.now()]);
}

export async function remove(entry) {
  const i = entries.indexOf(entry);
  if (i >= 0) entries.splice(i, 1);
  if (entry.summary) await engine.remove(entry.summary.id).catch(() => {});
}

/**
 * Renders the list. `names` are the files the views show.
 * @param {HTMLElement} list
 * @param {string[]} names
 * @param {{show: (e: Entry) => void, remove: (e: Entry) => void, retry?: (e: Entry, seconds: number) => void}} on
 */
export function render(list, names, on) {
  fill(list, entries.map((e) => {
    const s = e.summary;
    const shown = !!s && names.includes(e.name);
    const li = h('li', { class: `file${shown ? ' active' : ''}${e.error ? ' failed' : ''}`, 'data-name': e.name });
    li.append(s
      ? h('button', { type: 'button', class: 'show', 'aria-pressed': String(shown), title: 'Show this file', onclick: () => on.show(e) }, e.name)
      : h('span', { class: 'name' }, e.name));
    if (s) {
      // Node.append would print a null or false as text: keep only elements.
      li.append(...[
        h('span', { class: 'kind' }, s.kind),
        h('span', { class: 'format' }, s.format),
        h('span', { class: 'types', title: 'sample types' }, s.sample_types.map((t) => t[0]).join(', ')),
        s.time_text && h('span', { class: 'time', title: 'time' }, s.time_text),
        !s.time_text && s.file_time_text && h('span', { class: 'time from-file', title: "the dump carries no time: comparisons use the file's date" }, `${s.file_time_text} (time from the file's date)`),
        s.duration_text && h('span', { class: 'duration', title: 'duration' }, s.duration_text),
        h('span', { class: 'size num', title: 'size' }, s.size_text),
      ].filter(Boolean));
      if (s.warnings.length) li.append(h('span', { class: 'warning', title: s.warnings.join('\n') }, `${s.warnings.length} warning${s.warnings.length > 1 ? 's' : ''}`));
      // What the pasted-text reader repaired and the lines it could not place, in full: never silent.
      if (s.repairs.length) li.append(h('ul', { class: 'repairs', 'aria-label': 'repairs' }, s.repairs.map((r) => h('li', {}, r))));
    }
    if (e.stage) {
      const n = STAGES.indexOf(e.stage);
      li.append(
        h('progress', { max: STAGES.length, value: n + 0.5, 'aria-label': `${e.name}: ${e.stage}` }),
        h('span', { class: 'stage' }, `${e.stage}…`),
      );
    }
    if (e.error) li.append(h('span', { class: 'error', role: 'alert' }, e.error));
    if (e.error && e.deadline && on.retry) {
      const more = e.deadline * 10;
      li.append(h('button', { type: 'button', class: 'retry', onclick: () => on.retry(e, more) }, `Retry with a ${more} s deadline`));
    }
    li.append(h('button', { type: 'button', class: 'remove', 'aria-label': `Remove ${e.name}`, title: 'Remove', onclick: () => on.remove(e) }, '×'));
    return li;
  }));
}
