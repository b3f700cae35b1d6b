// Benchmarks of the comparison engine as the page runs it (figures, not
// tests): the wasm Session of target/wasm-pkg under Node, on the 1e5-sample
// heap profile of bench.mjs (generated here if missing) against
//   a) itself with every value doubled, 60 s later (same stacks), and
//   b) another 1e5-sample profile (seed 2: other stacks, the worst case),
// then growth over three snapshots, findings, and the Goroutines view and
// goroutine diff of the debug=2 fixtures. Best of 3 runs, caches defeated.
// Run: node scripts/bench-compare.mjs (part of npm run bench)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, run, benchProfile } from './lib.mjs';
import { rewriteProfile, timeNanos } from '../tests/browser/pprof-writer.js';

// PROFDROP_WASM_PKG: another build's package (to compare two builds on the same machine).
const pkg = process.env.PROFDROP_WASM_PKG || join(root, 'target/wasm-pkg');
if (!existsSync(join(pkg, 'profdrop.js'))) run('node', [join(root, 'scripts/build.mjs')]);
const { initSync, Session } = await import(pathToFileURL(join(pkg, 'profdrop.js')).href);
initSync({ module: readFileSync(join(pkg, 'profdrop_bg.wasm')) });

const gen = (seed) => readFileSync(benchProfile(100_000, seed));
const base = gen(1);
const other = gen(2);
const t0 = timeNanos(base);
const doubled = rewriteProfile(base, { scale: 2, timeNanos: t0 + 60_000_000_000n });
const tripled = rewriteProfile(base, { scale: 3, timeNanos: t0 + 120_000_000_000n });
const otherLater = rewriteProfile(other, { scale: 1, timeNanos: t0 + 60_000_000_000n });

function best(fn, reps = 3) {
  let t = Infinity;
  let out;
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    out = fn(i);
    t = Math.min(t, performance.now() - s);
  }
  return [t, out];
}

const s = new Session();
const load = (name, bytes) => {
  const h = s.begin_load(name, bytes);
  s.inflate(h);
  return s.finish_load(h).id;
};
const [tLoad, b] = best(() => load('base', base), 1);
const d = load('doubled', doubled);
const tr = load('tripled', tripled);
const o = load('other', otherLater);
const row = (what, ms) => console.log(`${what.padEnd(58)} ${ms.toFixed(0).padStart(7)} ms`);

console.log('\ncomparisons on 1e5-sample heap profiles (wasm under Node, best of 3):');
row('load one profile', tLoad);
for (const [label, target] of [['same stacks, values doubled', d], ['other stacks (seed 2)', o]]) {
  // Each run asks for another nodefraction, so nothing is served from the cache.
  const opts = (i) => ({ nodefraction: 0.005 + i * 1e-6 });
  row(`${label}: diff top table`, best((i) => s.compare_top(b, target, '', opts(i)))[0]);
  row(`${label}: then sorted by cum`, best((i) => {
    s.compare_top(b, target, '', opts(i + 10));
    const t = performance.now();
    s.compare_top(b, target, '', { ...opts(i + 10), cum: true });
    return performance.now() - t;
  }).reduce((a, x) => (typeof x === 'number' ? Math.min(a, x) : a), Infinity));
  row(`${label}: differential flame graph (trees + layout)`, best((i) => s.compare_flame(b, target, '', opts(i + 20), 0, 1e-4))[0]);
  row(`${label}: new and gone stacks`, best((i) => s.compare_stacks(b, target, '', opts(i + 40), 100))[0]);
}
row('growth over 3 snapshots', best((i) => s.growth(Uint32Array.of(tr, b, d), { nodefraction: i * 1e-6 }, '1GiB', 300))[0]);
row('findings over 3 heap profiles', best(() => s.findings('', '1GiB'))[0]);

const g = new Session();
const fx = (n) => readFileSync(join(root, 'tests/fixtures/go', n));
const gb = (() => { const h = g.begin_load('t0', fx('goroutine_t0.debug2.txt')); g.inflate(h); return g.finish_load(h).id; })();
const gt = (() => { const h = g.begin_load('t1', fx('goroutine_t1.debug2.txt')); g.inflate(h); return g.finish_load(h).id; })();
console.log('\ngoroutines (debug=2 dumps of 890 and 5089 goroutines):');
row('Goroutines view of 5089 goroutines', best(() => g.goroutines(Uint32Array.of(gt), 'pointers', false, 1000))[0]);
row('goroutine diff by id', best(() => g.goroutine_compare(gb, gt, 'pointers', NaN, 500))[0]);
row('findings over the two dumps', best(() => g.findings('', ''))[0]);
