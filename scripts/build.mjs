// Builds the app: the Rust crate to wasm (release, wasm-bindgen, wasm-opt
// -O3), then the shell with esbuild into
//   dist/            a static folder for any host (index.html is the single file below)
//   dist/profdrop.html  one self-contained file (wasm inlined) that works from file://
//   dist/embed.js    the <profdrop-view> element for docs pages (engine inlined), with
//                    dist/embed-example.html and the profiles it shows in dist/examples/
// The engine runs in a Worker made from a Blob, so both forms share one code path.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { root, run, log } from './lib.mjs';

const t0 = Date.now();
const wasmIn = join(root, 'target/wasm32-unknown-unknown/wasm/profdrop.wasm');
const pkg = join(root, 'target/wasm-pkg');
const dist = join(root, 'dist');

// 1. Rust -> wasm (cargo is incremental: a no-op costs well under a second).
// The `wasm` profile (Cargo.toml): release, with the crate itself optimised for size.
run('cargo', ['rustc', '-p', 'profdrop', '--lib', '--profile', 'wasm', '--target', 'wasm32-unknown-unknown',
  '--features', 'wasm', '--crate-type', 'cdylib', '--quiet']);

// 2. wasm-bindgen + wasm-opt, only when the module changed.
const hash = createHash('sha256').update(readFileSync(wasmIn)).digest('hex');
const stamp = join(pkg, '.stamp');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash) {
  rmSync(pkg, { recursive: true, force: true });
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', pkg, wasmIn]);
  const wasmOpt = join(root, 'node_modules/binaryen/bin/wasm-opt');
  const bg = join(pkg, 'profdrop_bg.wasm');
  // Rust's default wasm32 features; wasm-opt must be told they are allowed.
  run(wasmOpt, ['-O3', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
    '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', bg, '-o', bg]);
  writeFileSync(stamp, hash);
}

// 3. The shell.
const esbuild = await import('esbuild');
const common = {
  bundle: true, minify: true, write: false, target: 'es2022', logLevel: 'warning',
  loader: { '.wasm': 'binary', '.gz': 'binary' },
  alias: { 'profdrop-wasm': join(pkg, 'profdrop.js'), 'profdrop-wasm-bytes': join(pkg, 'profdrop_bg.wasm') },
};
// A classic (not module) worker: module workers from a blob fail in file:// pages.
// wasm-bindgen's default wasm URL uses import.meta, unused since the bytes are inlined.
const worker = await esbuild.build({
  ...common, entryPoints: [join(root, 'www/worker.js')], format: 'iife',
  logOverride: { 'empty-import-meta': 'silent' },
});
const workerSource = worker.outputFiles[0].text;
// The page imports the worker's code as a string from this virtual module.
const workerPlugin = {
  name: 'worker-source',
  setup(b) {
    b.onResolve({ filter: /^profdrop:worker-source$/ }, () => ({ path: 'worker-source', namespace: 'profdrop' }));
    b.onLoad({ filter: /.*/, namespace: 'profdrop' }, () => ({
      contents: `export default ${JSON.stringify(workerSource)};`, loader: 'js',
    }));
  },
};
// The Graphviz Worker (www/graphviz-worker.js with @viz-js/viz): bundled
// like the engine's, then gzipped (its wasm is a 1.1 MB string that JSON
// escaping would double) and imported as bytes from profdrop:graphviz-source;
// the page inflates and starts it when the Graph view first opens.
const graphviz = await esbuild.build({
  ...common, entryPoints: [join(root, 'www/graphviz-worker.js')], format: 'iife', charset: 'utf8',
  logOverride: { 'empty-import-meta': 'silent' },
});
const graphvizGz = gzipSync(graphviz.outputFiles[0].contents, { level: 9 });
const graphvizPlugin = {
  name: 'graphviz-source',
  setup(b) {
    b.onResolve({ filter: /^profdrop:graphviz-source$/ }, () => ({ path: 'graphviz-source', namespace: 'profdrop-graphviz' }));
    b.onLoad({ filter: /.*/, namespace: 'profdrop-graphviz' }, () => ({ contents: graphvizGz, loader: 'binary' }));
  },
};
const app = await esbuild.build({
  ...common, entryPoints: [join(root, 'www/app.js')], format: 'esm', outdir: dist,
  plugins: [workerPlugin, graphvizPlugin],
});
// The element: the same views and engine in one module; its CSS arrives as
// text, for the shadow root of each element.
const embed = await esbuild.build({
  ...common, entryPoints: [join(root, 'www/embed.js')], format: 'esm',
  loader: { ...common.loader, '.css': 'text' }, plugins: [workerPlugin, graphvizPlugin],
  // the views' own `import '../compare.css'` add nothing here: embed.js takes the text itself
  logOverride: { 'ignored-bare-import': 'silent' },
});
const js = app.outputFiles.find((f) => f.path.endsWith('.js')).text;
const cssFile = app.outputFiles.find((f) => f.path.endsWith('.css'));
const css = cssFile ? cssFile.text : '';

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const html = readFileSync(join(root, 'www/index.html'), 'utf8');
const sha = (s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

// Content-Security-Policy: no network connections, no remote code; the
// engine worker comes from a blob, wasm needs 'wasm-unsafe-eval'.
function csp(scriptSrc, styleSrc) {
  return [
    "default-src 'none'", `script-src ${scriptSrc} 'wasm-unsafe-eval'`, 'worker-src blob:',
    `style-src ${styleSrc}`, 'img-src blob: data:', "connect-src 'none'", "font-src 'none'",
    "object-src 'none'", "base-uri 'none'", "form-action 'none'",
  ].join('; ');
}
// The single file: same page, everything inline, CSP by hash. The hosted
// index.html is this same file: "Save report" writes a copy of the page's
// own document (www/share.js), which only a page holding all of its code
// inline can do without a request.
const safeJs = js.replace(/<\/script/gi, '<\\/script');
const single = html
  .replace('<!--CSP-->', `<meta http-equiv="Content-Security-Policy" content="${csp(sha(safeJs), sha(css))}">`)
  .replace('<!--STYLE-->', () => `<style>${css}</style>`)
  .replace('<!--SCRIPT-->', () => `<script type="module">${safeJs}</script>`);
writeFileSync(join(dist, 'profdrop.html'), single);
writeFileSync(join(dist, 'index.html'), single);

// The embeddable element, and the docs page example with the profiles it fetches (from tests/fixtures/go).
writeFileSync(join(dist, 'embed.js'), embed.outputFiles[0].text);
copyFileSync(join(root, 'www/embed-example.html'), join(dist, 'embed-example.html'));
mkdirSync(join(dist, 'examples'));
for (const f of ['cpu_t1.pb.gz', 'heap_t0.pb.gz', 'heap_t1.pb.gz', 'goroutine_t0.pb.gz', 'goroutine_t1.pb.gz']) {
  copyFileSync(join(root, 'tests/fixtures/go', f), join(dist, 'examples', f));
}

const kb = (p) => (statSync(p).size / 1024).toFixed(0);
log(`built dist/ (the page's code ${(js.length / 1024).toFixed(0)} KiB, of which Graphviz ${(graphvizGz.length * 4 / 3 / 1024).toFixed(0)} KiB; wasm ${kb(join(pkg, 'profdrop_bg.wasm'))} KiB; embed.js ${kb(join(dist, 'embed.js'))} KiB) and dist/profdrop.html (${kb(join(dist, 'profdrop.html'))} KiB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
