// Small helpers shared by the build, serve, test and bench scripts.
import { spawnSync, spawn } from 'node:child_process';
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function log(msg) {
  process.stderr.write(`[profdrop] ${msg}\n`);
}

/** Runs a command, inheriting stdio; throws on failure. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
  return r;
}

/** Runs a command and returns {status, stdout, stderr} without throwing. */
export function capture(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  return { status: r.error ? -1 : r.status, stdout: r.stdout || '', stderr: r.stderr || (r.error ? r.error.message : '') };
}

/** Runs a command, teeing its output to ours, and returns it when it ends. */
export function tee(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    child.on('error', (e) => resolve({ status: -1, out: out + e.message }));
    child.on('close', (status) => resolve({ status, out }));
  });
}

/** The wasm-bindgen version pinned in Cargo.lock (CLI and crate must match). */
export function wasmBindgenVersion() {
  const lock = readFileSync(join(root, 'Cargo.lock'), 'utf8');
  const m = lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/);
  if (!m) throw new Error('wasm-bindgen not found in Cargo.lock');
  return m[1];
}

export function which(cmd) {
  return capture('sh', ['-c', `command -v ${cmd}`]).stdout.trim() || null;
}

export const chromiumPath = '/usr/bin/chromium';
export const chromedriverPath = '/usr/bin/chromedriver';
export const exists = existsSync;

/**
 * The benchmarks' heap profile of `samples` samples from gen_large_profile.py
 * (5000 functions, depth up to 64; made once in target/bench/): its path.
 */
export function benchProfile(samples, seed = 1) {
  const dir = join(root, 'target', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, seed === 1 ? `heap-${samples}.pb.gz` : `heap-${samples}-seed${seed}.pb.gz`);
  if (!existsSync(file)) {
    log(`generating ${file}`);
    run('python3', [join(root, 'scripts/gen_large_profile.py'), '--samples', String(samples), '--functions', '5000',
      '--max-depth', '64', '--seed', String(seed), '--sample-types', 'heap', '-q', '-o', file]);
  }
  return file;
}

/** Best wall time (s) of `reps` runs of a shell command, and its peak RSS (MB) when /usr/bin/time exists. */
export function measure(cmd, reps = 3) {
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
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
