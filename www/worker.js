// The engine's Worker: owns the wasm Session; messages in, results out.
// A load reports its stages ({id, stage}) before its result, so the page can
// show where a large file is. Typed arrays in results are transferred, not
// copied. After a wasm trap (a panic) the session is gone: every later call
// answers "the engine stopped" instead of pretending to work.
import { initSync, Session } from 'profdrop-wasm';
import wasmBytes from 'profdrop-wasm-bytes';

initSync({ module: wasmBytes });
const session = new Session();
let stopped = null;

const methods = {
  load(id, name, buffer) {
    const bytes = new Uint8Array(buffer);
    self.postMessage({ id, stage: 'inflating' });
    const pending = session.begin_load(name, bytes);
    session.inflate(pending);
    self.postMessage({ id, stage: 'decoding' });
    return session.finish_load(pending);
  },
  remove: (id, h) => session.remove(h),
  details: (id, h) => session.details(h),
  top: (id, ids, o) => session.top(ids, o),
  top_match: (id, ids, o, pattern) => session.top_match(ids, o, pattern),
  flame: (id, ids, o, zoom, minFraction) => session.flame(ids, o, zoom, minFraction),
  flame_search: (id, ids, o, pattern) => session.flame_search(ids, o, pattern),
  tree_children: (id, ids, o, inverted, node, limit, pattern) => session.tree_children(ids, o, inverted, node, limit, pattern),
  peek: (id, ids, o, pattern) => session.peek(ids, o, pattern),
  format: (id, ids, o, values, of) => session.format(ids, o, values, of),
  top_text: (id, ids, o) => session.top_text(ids, o),
};

/** The buffers of the typed arrays in a result (two levels deep: string columns). */
function transferables(v, out = [], depth = 0) {
  if (ArrayBuffer.isView(v)) out.push(v.buffer);
  else if (v && typeof v === 'object' && depth < 2) for (const k in v) transferables(v[k], out, depth + 1);
  return out;
}

self.onmessage = (e) => {
  const { id, method, args } = e.data;
  if (stopped) {
    self.postMessage({ id, error: stopped, stopped: true });
    return;
  }
  try {
    const result = methods[method](id, ...args);
    self.postMessage({ id, result }, transferables(result));
  } catch (err) {
    const message = String(err && err.message ? err.message : err);
    if (err instanceof WebAssembly.RuntimeError) {
      stopped = `the engine stopped (${message}): reload the page`;
      self.postMessage({ id, error: stopped, stopped: true });
    } else {
      self.postMessage({ id, error: message });
    }
  }
};
