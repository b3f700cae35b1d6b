// The engine's Worker: owns the wasm Session; messages in, results out.
// A load reports its stages ({id, stage}) before its result, so the page can
// show where a large file is. Typed arrays in results are transferred, not
// copied. After a wasm trap (a panic, a failed allocation) the session is
// gone: the answer says so ({crashed, panic}) and engine.js ends this Worker
// and starts a fresh one; any call that still arrives is refused.
import { initSync, Session } from 'profdrop-wasm';
import wasmBytes from 'profdrop-wasm-bytes';

// The engine's panic hook (wasm.rs) leaves the panic's message here before the module traps.
let panicMessage = '';
self.profdropPanic = (message) => { panicMessage = String(message); };
const wasm = initSync({ module: wasmBytes });
const session = new Session();
let stopped = null;
/** A call that answers nothing (the test-only stalled load). */
const NO_REPLY = Symbol('no reply');

// Calls that are more than one engine method: a load with its stages, the
// warm-up, the memory figure. Every other message names a Session method
// (crate/src/wasm.rs) and carries its arguments.
const special = {
  // The file is read here, in chunks, straight into wasm memory: no copy of
  // it is ever held by the page.
  load(id, name, blob, testHooks) {
    self.postMessage({ id, stage: 'reading' });
    // Test-only (engine.js passes it only when a test asked): a load that never
    // answers, so the decode deadline's path runs the same on any machine.
    if (testHooks && testHooks.stall) return NO_REPLY;
    const pending = session.begin_load_sized(name, blob.size);
    const reader = new FileReaderSync();
    const chunk = 4 << 20;
    try {
      for (let off = 0; off < blob.size; off += chunk) {
        const part = new Uint8Array(reader.readAsArrayBuffer(blob.slice(off, Math.min(blob.size, off + chunk))));
        new Uint8Array(wasm.memory.buffer, session.input_ptr(pending) + off, part.length).set(part);
      }
    } catch (err) {
      session.cancel_load(pending);
      throw new Error(`reading: ${err.message}`);
    }
    self.postMessage({ id, stage: 'inflating' });
    session.inflate(pending);
    self.postMessage({ id, stage: 'decoding' });
    const summary = session.finish_load(pending);
    // Text dumps carry no time: the file's date stands in for it in comparisons.
    if (blob.lastModified) Object.assign(summary, session.set_file_time(summary.id, blob.lastModified) || {});
    return summary;
  },
  // Runs the hot paths on a small profile so the engine's code is compiled
  // by the optimizing tier before a large file arrives: V8 first runs wasm
  // from a baseline compiler and does not replace a long-running call's code.
  warmup(id, buffer, rounds) {
    const bytes = new Uint8Array(buffer);
    for (let i = 0; i < rounds; i++) {
      const s = new Session();
      const h = s.begin_load('warmup', bytes);
      s.inflate(h);
      const summary = s.finish_load(h);
      const ids = Uint32Array.of(summary.id);
      s.top(ids, {});
      s.top(ids, { sample_index: 'alloc_space' });
      s.free();
    }
  },
  /** Bytes of wasm memory (it grows, never shrinks): for the benchmark. */
  memory: () => wasm.memory.buffer.byteLength,
};

/** The Session's own methods, by name (not the constructor, `free`, or wasm-bindgen's internals). */
const methods = new Set(
  Object.getOwnPropertyNames(Session.prototype).filter(
    (m) => typeof Session.prototype[m] === 'function' && m !== 'constructor' && m !== 'free' && !m.startsWith('_'),
  ),
);

function dispatch(id, method, args) {
  if (Object.hasOwn(special, method)) return special[method](id, ...args);
  if (!methods.has(method)) throw new Error(`the engine has no method ${method}`);
  return session[method](...args);
}

/** The buffers of the typed arrays in a result (two levels deep: string columns). */
function transferables(v, out = [], depth = 0) {
  if (ArrayBuffer.isView(v)) out.push(v.buffer);
  else if (v && typeof v === 'object' && depth < 2) for (const k in v) transferables(v[k], out, depth + 1);
  return out;
}

self.onmessage = (e) => {
  const { id, method, args } = e.data;
  if (stopped) {
    self.postMessage({ id, error: stopped, crashed: true, panic: stopped });
    return;
  }
  const before = wasm.memory.buffer.byteLength;
  try {
    const result = dispatch(id, method, args);
    if (result === NO_REPLY) return;
    self.postMessage({ id, result }, transferables(result));
  } catch (err) {
    const message = String(err && err.message ? err.message : err);
    if (err instanceof WebAssembly.RuntimeError) {
      stopped = panicMessage || message;
      self.postMessage({ id, error: message, crashed: true, panic: panicMessage });
    } else {
      // How much the failed call grew the memory (it never shrinks): engine.js may restart to return it.
      self.postMessage({ id, error: message, grew: wasm.memory.buffer.byteLength - before });
    }
  }
};
