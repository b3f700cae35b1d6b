// Benchmarks (figures, not tests). For heap profiles made by
// gen_large_profile.py at 1e5 and 1e6 samples: `profdrop top` (native,
// release) wall time and peak RSS, next to `gzip -dc` of the same file (the
// floor) and `go tool pprof -top` when Go is installed, with the ratios.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, run, capture, log, which, measure, benchProfile } from './lib.mjs';

const dir = join(root, 'target', 'bench');
mkdirSync(dir, { recursive: true });
run('cargo', ['build', '--release', '--quiet', '--bin', 'profdrop']);
// PROFDROP_BIN: another build's CLI (to compare two builds on the same machine).
const profdrop = process.env.PROFDROP_BIN || join(root, 'target/release/profdrop');
const go = which('go');


const rows = [];
for (const samples of [100_000, 1_000_000]) {
  const file = benchProfile(samples);
  const gz = measure(`gzip -dc ${file}`);
  const pd = measure(`${profdrop} top ${file}`);
  const row = { samples, gzip: gz, profdrop: pd };
  if (go) row.pprof = measure(`TZ=UTC go tool pprof -top ${file}`, 1);
  rows.push(row);
}

const f = (x) => x.toFixed(2);
console.log('\nnative decode + top (heap, --functions 5000 --max-depth 64), best of 3:');
console.log('samples    gzip -dc   profdrop top  ratio  peak RSS    go tool pprof -top        profdrop vs pprof');
for (const r of rows) {
  const pprof = r.pprof ? `${f(r.pprof.secs)} s ${r.pprof.rss.toFixed(0).padStart(5)} MB` : 'not installed';
  const vs = r.pprof ? `${(r.pprof.secs / r.profdrop.secs).toFixed(1)}x faster, ${(r.pprof.rss / r.profdrop.rss).toFixed(1)}x less memory` : '';
  console.log(`${String(r.samples).padEnd(10)} ${f(r.gzip.secs)} s     ${f(r.profdrop.secs)} s        ${f(r.profdrop.secs / r.gzip.secs)}x  ${r.profdrop.rss.toFixed(0).padStart(4)} MB     ${pprof.padEnd(24)}  ${vs}`);
}
console.log('targets (1e6): profdrop top <= 1.5x gzip -dc, peak RSS <= 400 MB');

// ---------------------------------------------------------------------------
// Goroutine dump (debug=2) parsing speed, native and wasm, in MB/s, on a
// ~50 MB dump made of the real debug=2 dumps of tests/fixtures/go repeated
// with their goroutine ids renumbered (written to target/bench, not committed).
{
  const { readFileSync, writeFileSync } = await import('node:fs');
  const dump = join(dir, 'goroutines-50MB.debug2.txt');
  if (!existsSync(dump)) {
    log(`generating ${dump}`);
    const sources = ['goroutine_t1.debug2.txt', 'goroutine_t0.debug2.txt']
      .map((f) => readFileSync(join(root, 'tests/fixtures/go', f), 'utf8'));
    const parts = [];
    let size = 0;
    for (let copy = 1; size < 50e6; copy++) {
      for (const s of sources) {
        const off = copy * 10_000_000;
        let t = s.replace(/^goroutine (\d+) /gm, (_, id) => `goroutine ${Number(id) + off} `)
          .replace(/ in goroutine (\d+)$/gm, (_, id) => ` in goroutine ${Number(id) + off}`);
        t = t.replace(/\n*$/, '\n\n');
        parts.push(t);
        size += Buffer.byteLength(t);
      }
    }
    writeFileSync(dump, parts.join(''));
  }
  const bytes = readFileSync(dump);
  const mb = bytes.length / 1e6;

  run('cargo', ['build', '--release', '--quiet', '--example', 'decode_bench']);
  const nat = JSON.parse(capture(join(root, 'target/release/examples/decode_bench'), [dump, '5']).stdout);

  // wasm: the package the page uses, in Node.
  // PROFDROP_WASM_PKG: another build's package (to compare two builds on the same machine).
  const pkg = process.env.PROFDROP_WASM_PKG || join(root, 'target/wasm-pkg');
  if (!existsSync(join(pkg, 'profdrop.js'))) run('node', [join(root, 'scripts/build.mjs')]);
  const wasm = await import(join(pkg, 'profdrop.js'));
  wasm.initSync({ module: readFileSync(join(pkg, 'profdrop_bg.wasm')) });
  let best = Infinity;
  let summary = null;
  for (let i = 0; i < 5; i++) {
    const session = new wasm.Session();
    const t = process.hrtime.bigint();
    summary = session.load('goroutines.txt', bytes);
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
    session.free();
  }
  console.log(`\ngoroutine dump (debug=2) parsing, ${mb.toFixed(1)} MB, ${nat.goroutines} goroutines, ${nat.samples} samples, best of 5:`);
  console.log('engine   time      speed        vs native');
  console.log(`native   ${nat.secs.toFixed(3)} s   ${nat.mb_per_s.toFixed(0).padStart(5)} MB/s   1.00x`);
  console.log(`wasm     ${best.toFixed(3)} s   ${(mb / best).toFixed(0).padStart(5)} MB/s   ${(best / nat.secs).toFixed(2)}x  (Node ${process.versions.node}, ${summary.samples} samples)`);
  console.log('target: native >= 200 MB/s');
}
