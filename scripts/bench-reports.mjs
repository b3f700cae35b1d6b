// Benchmarks of every report (figures, not tests): `profdrop REPORT` next to
// `go tool pprof -REPORT` with the same options on the 1e5-sample heap
// profile of bench.mjs (generated here if missing), wall time and peak RSS.
// Run: node scripts/bench-reports.mjs
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, run, capture, log, which } from './lib.mjs';

const dir = join(root, 'target', 'bench');
mkdirSync(dir, { recursive: true });
run('cargo', ['build', '--release', '--quiet', '--bin', 'profdrop']);
const profdrop = join(root, 'target/release/profdrop');
const go = which('go');
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** Best wall time (s) of `reps` runs and the peak RSS (MB) of a shell command. */
function measure(cmd, reps) {
  let best = Infinity;
  let rss = 0;
  for (let i = 0; i < reps; i++) {
    const t = process.hrtime.bigint();
    const r = timeBin
      ? capture(timeBin, ['-f', '%M', 'sh', '-c', `${cmd} > /dev/null 2>/dev/null`])
      : capture('sh', ['-c', `${cmd} > /dev/null 2>/dev/null`]);
    const secs = Number(process.hrtime.bigint() - t) / 1e9;
    if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
    best = Math.min(best, secs);
    if (timeBin) rss = Math.max(rss, Number(r.stderr.trim().split('\n').pop()) / 1024);
  }
  return { secs: best, rss };
}

const file = join(dir, 'heap-100000.pb.gz');
if (!existsSync(file)) {
  log(`generating ${file}`);
  run('python3', [join(root, 'scripts/gen_large_profile.py'), '--samples', '100000', '--functions', '5000',
    '--max-depth', '64', '--seed', '1', '--sample-types', 'heap', '-q', '-o', file]);
}
const reports = [
  ['top', '-top'],
  ['top --focus=render --hide=ledger', '-top -focus=render -hide=ledger'],
  ['top --tagfocus=bytes=4kb:', '-top -tagfocus=bytes=4kb:'],
  ['tree', '-tree'],
  ['peek --peek=ScanRow$', '-peek=ScanRow$'],
  ['dot', '-dot'],
  ['dot --call_tree', '-dot -call_tree'],
  ['traces', '-traces'],
  ['tags', '-tags'],
  ['callgrind', '-callgrind'],
];
const quote = (s) => s.split(' ').map((a) => `'${a}'`).join(' ');
const f = (x) => x.toFixed(2);
const cell = (m) => `${f(m.secs)} s ${m.rss.toFixed(0).padStart(5)} MB`;
console.log('\nreports on 1e5 samples (profdrop best of 3, go tool pprof 1 run):');
console.log('report                                 profdrop            go tool pprof       ratio');
for (const [ours, theirs] of reports) {
  const pd = measure(`${profdrop} ${quote(ours)} ${file}`, 3);
  const pp = go ? measure(`TZ=UTC go tool pprof ${quote(theirs)} ${file}`, 1) : null;
  const ratio = pp ? `${(pp.secs / pd.secs).toFixed(1)}x faster` : '';
  console.log(`${ours.padEnd(38)} ${cell(pd).padEnd(19)} ${(pp ? cell(pp) : 'not installed').padEnd(19)} ${ratio}`);
}
