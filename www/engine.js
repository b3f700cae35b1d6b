// The only module that talks to the wasm engine. It runs the engine in a
// Worker (made from a Blob, so the hosted folder and the single offline file
// behave the same) and turns calls into promises.
import workerSource from 'profdrop:worker-source';

let worker = null;
let nextId = 1;
const pending = new Map();

function start() {
  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  worker = new Worker(url);
  URL.revokeObjectURL(url);
  worker.onmessage = (e) => {
    const { id, result, error } = e.data;
    const p = pending.get(id);
    pending.delete(id);
    if (error !== undefined) p.reject(new Error(error));
    else p.resolve(result);
  };
  worker.onerror = (e) => {
    for (const p of pending.values()) p.reject(new Error(`the engine stopped: ${e.message}`));
    pending.clear();
  };
}

function call(method, ...args) {
  if (!worker) start();
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, method, args });
  });
}

/** Decodes a file; resolves to its summary, rejects with the stage and position. */
export function load(name, bytes) {
  return call('load', name, bytes);
}

/** pprof's -top text for the merge of the given profiles. */
export function topText(ids, options) {
  return call('top_text', Uint32Array.from(ids), options);
}
