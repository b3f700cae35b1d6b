// Short fuzz runs of every target (cargo-fuzz / libFuzzer), seeded from all
// fixtures. `npm run fuzz` (not part of `npm test`); PROFDROP_FUZZ_SECONDS sets
// the time per target (default 60). Crashes land in fuzz/artifacts/<target>/;
// turn each into a regression test under crate/tests/ with the input checked in.
import { mkdirSync, readdirSync, statSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { root, run, capture, log, which } from './lib.mjs';

const seconds = Number(process.env.PROFDROP_FUZZ_SECONDS || 60);
const only = process.argv.slice(2);
const fuzz = join(root, 'fuzz');
const env = { ...process.env, RUSTC_BOOTSTRAP: '1' }; // cargo-fuzz needs -Z flags; the machine has stable Rust only

if (!which('cargo-fuzz')) run('cargo', ['install', 'cargo-fuzz', '--locked']);
const targets = readdirSync(join(fuzz, 'fuzz_targets')).map((f) => basename(f, '.rs')).filter((t) => !only.length || only.includes(t));

function fixtures(dir, out = []) {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) fixtures(p, out);
    else if (statSync(p).size <= 256 << 10) out.push(p);
  }
  return out;
}
const seeds = fixtures(join(root, 'tests', 'fixtures'));

const results = [];
for (const t of targets) {
  const corpus = join(fuzz, 'corpus', t);
  mkdirSync(corpus, { recursive: true });
  for (const s of seeds) {
    let data = readFileSync(s);
    // The raw protobuf target wants inflated bytes.
    if (t === 'pprof' && data[0] === 0x1f && data[1] === 0x8b) {
      try { data = gunzipSync(data); } catch { continue; }
    }
    if (t === 'gzip' && !(data[0] === 0x1f && data[1] === 0x8b)) continue;
    const name = join(corpus, `seed-${basename(s)}`);
    if (!existsSync(name)) writeFileSync(name, data);
  }
  log(`fuzzing ${t} for ${seconds} s`);
  const r = capture('cargo', ['fuzz', 'run', '-O', t, corpus, '--', `-max_total_time=${seconds}`, '-max_len=262144',
    '-rss_limit_mb=2048', '-timeout=10', '-print_final_stats=1'], { cwd: fuzz, env });
  const out = r.stdout + r.stderr;
  const execs = (out.match(/stat::number_of_executed_units:\s*(\d+)/) || [])[1];
  const crashed = r.status !== 0;
  results.push({ t, execs: execs ? Number(execs) : 0, crashed });
  if (crashed) process.stderr.write(out.split('\n').slice(-40).join('\n') + '\n');
}
for (const r of results) console.log(`${r.t}: ${r.execs} execs in ${seconds} s${r.crashed ? ' — CRASH (see fuzz/artifacts/' + r.t + ')' : ''}`);
const crashes = results.filter((r) => r.crashed).length;
console.log(`fuzz: ${results.length} targets, ${crashes} crashed, ${results.reduce((a, r) => a + r.execs, 0)} execs`);
process.exit(crashes ? 1 : 0);
