// The engine's Worker: owns the wasm Session; messages in, results out.
// A load reports its stages ({id, stage}) before its result, so the page can
// show where a large file is. Typed arrays in results are transferred, not
// copied. After a wasm trap (a panic) the session is gone: every later call
// answers "the engine stopped" instead of pretending to work.
import { initSync, Session } from 'profdrop-wasm';
import wasmBytes from 'profdrop-wasm-bytes';

// The engine's panic hook (wasm.rs) leaves the panic's message here before the module traps.
let panicMessage = '';
self.profdropPanic = (message) => { panicMessage = String(message); };
const wasm = initSync({ module: wasmBytes });
const session = new Session();
let stopped = null;

const methods = {
  // The file is read here, in chunks, straight into wasm memory: no copy of
  // it is ever held by the page.
  load(id, name, blob) {
    self.postMessage({ id, stage: 'reading' });
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
  dot: (id, ids, o) => session.dot(ids, o),
  tags: (id, ids, o) => session.tags(ids, o),
  // Comparisons, goroutines, findings.
  set_file_time: (id, h, millis) => session.set_file_time(h, millis),
  compare_groups: (id, ids) => session.compare_groups(ids),
  compare_top: (id, b, t, mode, o) => session.compare_top(b, t, mode, o),
  compare_flame: (id, b, t, mode, o, zoom, minFraction) => session.compare_flame(b, t, mode, o, zoom, minFraction),
  compare_flame_search: (id, pattern) => session.compare_flame_search(pattern),
  compare_describe: (id, base, target) => session.compare_describe(base, target),
  compare_stacks: (id, b, t, mode, o, limit) => session.compare_stacks(b, t, mode, o, limit),
  goroutine_compare: (id, b, t, sim, interval, max) => session.goroutine_compare(b, t, sim, interval, max),
  growth: (id, ids, o, limit, max) => session.growth(ids, o, limit, max),
  goroutines: (id, ids, sim, fold, max) => session.goroutines(ids, sim, fold, max),
  findings: (id, gl, ml, ids) => (ids ? session.findings_of(ids, gl, ml) : session.findings(gl, ml)),
  compare_default_mode: (id, t, o) => session.compare_default_mode(t, o),
  compare_export: (id, b, t, mode, o, format) => session.compare_export(b, t, mode, o, format),
  compare_top_match: (id, b, t, mode, o, pattern) => session.compare_top_match(b, t, mode, o, pattern),
  // Sharing: exports and redacted copies.
  top_export: (id, ids, o, format) => session.top_export(ids, o, format),
  export_pprof: (id, ids, o) => session.export_pprof(ids, o),
  compare_export_pprof: (id, b, t, mode, o) => session.compare_export_pprof(b, t, mode, o),
  redacted: (id, h, o) => session.redacted(h, o),
  redaction_kept: (id, o) => session.redaction_kept(o),
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
      stopped = `the engine stopped (${panicMessage || message}): reload the page`;
      self.postMessage({ id, error: stopped, stopped: true });
    } else {
      self.postMessage({ id, error: message });
    }
  }
};
