// The engine's Worker: owns the wasm Session; messages in, results out.
import { initSync, Session } from 'profdrop-wasm';
import wasmBytes from 'profdrop-wasm-bytes';

initSync({ module: wasmBytes });
const session = new Session();

self.onmessage = (e) => {
  const { id, method, args } = e.data;
  try {
    const result = session[method](...args);
    self.postMessage({ id, result });
  } catch (err) {
    self.postMessage({ id, error: String(err && err.message ? err.message : err) });
  }
};
