// A test build of the engine's Worker, for tests/browser/isolation.spec.js
// and responsive.spec.js only: the crate with the `test-trap` feature
// (crate/src/session/testhooks.rs: files and a focus value that crash,
// exhaust or stall the engine on purpose), in the dev profile, through
// wasm-bindgen, bundled from www/worker.js exactly as scripts/build.mjs
// bundles it. Written to target/test-engine/worker.js; never part of dist/.
// Incremental: cargo and esbuild are quick when nothing changed, and
// wasm-bindgen runs only when the module did.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, run, log } from './lib.mjs';

const t0 = Date.now();
run('cargo', ['rustc', '-p', 'profdrop', '--lib', '--target', 'wasm32-unknown-unknown',
  '--features', 'test-trap', '--crate-type', 'cdylib', '--quiet']);
const wasmIn = join(root, 'target/wasm32-unknown-unknown/debug/profdrop.wasm');
const pkg = join(root, 'target/wasm-pkg-test-engine');
const hash = createHash('sha256').update(readFileSync(wasmIn)).digest('hex');
const stamp = join(pkg, '.stamp');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash) {
  rmSync(pkg, { recursive: true, force: true });
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', pkg, wasmIn]);
  writeFileSync(stamp, hash);
}
const esbuild = await import('esbuild');
const out = join(root, 'target/test-engine');
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: [join(root, 'www/worker.js')], bundle: true, minify: true, format: 'iife', target: 'es2022',
  outfile: join(out, 'worker.js'), logLevel: 'warning', logOverride: { 'empty-import-meta': 'silent' },
  loader: { '.wasm': 'binary' },
  alias: { 'profdrop-wasm': join(pkg, 'profdrop.js'), 'profdrop-wasm-bytes': join(pkg, 'profdrop_bg.wasm') },
});
log(`built target/test-engine/worker.js (test-trap engine) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
