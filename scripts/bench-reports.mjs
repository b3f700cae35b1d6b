// Benchmarks of every report (figures, not tests): `profdrop REPORT` next to
// `go tool pprof -REPORT` with the same options on the 1e5-sample heap
// profile of bench.mjs (generated here if missing), wall time and peak RSS.
// Run: node scripts/bench-reports.mjs
import { join } from 'node:path';
import { root, run, which, measure, benchProfile } from './lib.mjs';

run('cargo', ['build', '--release', '--quiet', '--bin', 'profdrop']);
const profdrop = join(root, 'target/release/profdrop');
const go = which('go');


const file = benchProfile(100_000);
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
