// The loaded files: reading, the engine's load stages, the list with each
// file's kind, sample types, time, duration, size, progress, error and a
// remove button. One file's error never disturbs the others: whenever the
// engine is restarted (a file or a view crashed it: a panic, memory run out;
// a file's decoding outlasted the per-file deadline, 60 s or
// ?decode_deadline=SECONDS in the page's address; a failed load left its
// memory grown), every loaded file is loaded again into the new engine from
// the page's own File/Blob handles, so they stay loaded; the file that caused
// it says so.
import * as engine from './engine.js';
import { h, fill } from './dom.js';

/**
 * @typedef {{key: number, name: string, size: number, stage: string | null, summary: import('./engine.js').Summary | null,
 *   error: string | null, blob: Blob, deadline: number, reload: boolean}} Entry
 * `deadline` is set (in seconds) on a file whose decoding hit the deadline; `reload` on a loaded file whose
 * engine was restarted, until it is loaded into the new one.
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
    const e = { key: nextKey++, name: f.name, size: f.blob.size, stage: 'reading', summary: null, error: null, blob: f.blob, deadline: 0, reload: false };
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
    for (let attempt = 0; attempt < 3 && !e.summary && entries.includes(e); attempt++) {
      try {
        e.error = null;
        e.summary = await engine.loadWithin(f.name, f.blob, (stage) => { setStage(e, stage); onChange(); }, seconds);
      } catch (err) {
        e.error = err.message;
        e.stage = null;
        // Waiting behind another call that restarted the engine: load it into the new one.
        if (err instanceof engine.EngineRestarted) continue;
        const others = entries.some((x) => x !== e && (x.summary || x.reload)) ? '; the other files were loaded again' : '';
        if (err instanceof engine.DeadlineError) {
          e.deadline = seconds;
          await recovery;
          e.error = `${err.message}${others}. To allow more time, retry below or open the page with ?decode_deadline=SECONDS.`;
        } else if (err instanceof engine.EngineCrash) {
          await recovery;
          e.error = `${err.describe(f.name)}${others}`;
        } else if (err.memoryReturned) {
          await recovery;
          e.error = `${err.message} (the engine was restarted to return the memory this file took${others})`;
        }
        break;
      }
    }
    e.stage = null;
    onChange();
  }
  return added.filter((e) => e.summary);
}

/** The reload after the last restart (resolves at once when there was none). */
let recovery = Promise.resolve();
/** Who hears that files changed during a reload (the page's list). */
let recoveryChange = () => {};

/** The page's list re-renders as a reload goes (app.js). */
export function onRecoveryChange(fn) {
  recoveryChange = fn;
}

/** A promise that settles when the files are loaded again after the last restart. */
export function recovered() {
  return recovery;
}

// A restart: every loaded file's id is gone with the old engine. Forget them
// now (no view may ask with them), then load the files again, one at a time.
engine.onRestart(({ epoch }) => {
  for (const x of entries) {
    if (!x.summary && !x.reload) continue;
    x.summary = null;
    x.reload = true;
    setStage(x, 'reading');
  }
  recovery = reloadMarked(epoch);
  recoveryChange();
});

/** Loads every entry marked `reload`; stops when the engine is restarted again (the next reload takes over). */
async function reloadMarked(epoch) {
  for (const x of entries) {
    if (!x.reload) continue;
    if (engine.currentEpoch() !== epoch) return;
    try {
      x.summary = await engine.loadWithin(x.name, x.blob, (stage) => { setStage(x, stage); recoveryChange(); }, deadlineSeconds());
      x.reload = false;
    } catch (err) {
      if (engine.currentEpoch() !== epoch) return;
      x.reload = false;
      x.error = err instanceof engine.EngineCrash ? err.describe(x.name) : err.message;
    }
    x.stage = null;
    recoveryChange();
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
        h('span', { class: 'kind' }, s.kind_text || s.kind),
        h('span', { class: 'format' }, s.format),
        h('span', { class: 'types', title: 'sample types' }, s.sample_types.map((t) => t[0]).join(', ')),
        s.time_text && h('span', { class: 'time', title: 'time' }, s.time_text),
        !s.time_text && s.file_time_text && h('span', { class: 'time from-file', title: "the dump carries no time: comparisons use the file's date" }, `${s.file_time_text} (time from the file's date)`),
        s.duration_text && h('span', { class: 'duration', title: 'duration' }, s.duration_text),
        h('span', { class: 'size num', title: 'size' }, s.size_text),
      ].filter(Boolean));
      if (s.warnings.length) li.append(h('span', { class: 'warning', title: s.warnings.join('\n') }, `${s.warnings.length} warning${s.warnings.length > 1 ? 's' : ''}`));
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
