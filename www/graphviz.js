// Graphviz in the page: the gzipped code of graphviz-worker.js is part of
// the bundle (see scripts/build.mjs); the first layout inflates it with the
// browser's DecompressionStream and starts it as a classic Worker from a Blob
// (the CSP allows workers from blob: and nothing from the network; module
// workers from blobs fail in file:// pages). Later layouts reuse the Worker.
import gzipped from 'profdrop:graphviz-source';

let worker = null;
let nextId = 1;
const pending = new Map();
/** Figures for the benchmark and tests: when the Worker was asked for and when its first layout came back. */
export const timings = { requested: 0, started: 0, firstLayout: 0 };

async function source() {
  const reader = new Blob([gzipped]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const parts = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return new Blob(parts, { type: 'text/javascript' });
}

let starting = null;
function start() {
  if (!starting) {
    timings.requested = performance.now();
    starting = source().then((blob) => {
      const url = URL.createObjectURL(blob);
      const w = new Worker(url);
      URL.revokeObjectURL(url);
      w.onmessage = (e) => {
        const p = pending.get(e.data.id);
        if (!p) return;
        pending.delete(e.data.id);
        if (!timings.firstLayout) timings.firstLayout = performance.now();
        if (e.data.error !== undefined) p.reject(new Error(`graph layout: ${e.data.error}`));
        else p.resolve(e.data.svg);
      };
      w.onerror = (e) => {
        e.preventDefault();
        const err = new Error(`graph layout stopped: ${e.message || 'worker error'}`);
        for (const p of pending.values()) p.reject(err);
        pending.clear();
        worker = null;
        starting = null;
      };
      timings.started = performance.now();
      worker = w;
      return w;
    });
  }
  return starting;
}

/** Lays out DOT text; resolves to Graphviz's SVG as a string (to be checked by svg-safe.js, never inserted as markup). */
export async function layout(dot) {
  const w = worker || await start();
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    w.postMessage({ id, dot });
  });
}
