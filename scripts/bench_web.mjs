// Browser benchmark (figures, not a test): the built page in headless
// Chromium, fed the heap profiles gen_large_profile.py makes at 1e6 and 2e6
// samples. For each: drop -> first Top table (the page's own clock, from
// the moment it starts reading the file to the table's first rows), a change
// of sample type, a focus, the flame graph, and the renderer's peak memory
// (VmHWM of the renderer processes, which hold the engine's Worker).
// Run by `npm run bench` after the native figures, or alone:
//   node scripts/bench_web.mjs [--samples 1000000,2000000] [--runs 3]
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { root, run, chromiumPath, benchProfile } from './lib.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const sampleCounts = arg('samples', '1000000,2000000').split(',').map(Number);
const runs = Number(arg('runs', '3'));
const port = Number(process.env.PROFDROP_BENCH_PORT || 8097);

if (!existsSync(join(root, 'dist', 'index.html'))) run('node', [join(root, 'scripts/build.mjs')]);
const profiles = sampleCounts.map((samples) => {
  const file = benchProfile(samples);
  return { samples, file, mb: statSync(file).size / 1e6 };
});

/** Peak RSS (VmHWM, MB) of the renderer processes under the browser that uses `userDir`. */
function rendererPeakMB(userDir) {
  const procs = new Map();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      // Chromium rewrites its argv into one space-separated string.
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]);
      procs.set(Number(pid), { cmd, ppid });
    } catch { /* gone */ }
  }
  const browser = [...procs].find(([, p]) => p.cmd.includes(userDir) && !/ --type=/.test(p.cmd));
  if (!browser) return NaN;
  const under = new Set([browser[0]]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, p] of procs) if (!under.has(pid) && under.has(p.ppid)) { under.add(pid); grew = true; }
  }
  let peak = 0;
  for (const pid of under) {
    const p = procs.get(pid);
    if (!/ --type=renderer( |$)/.test(p.cmd)) continue;
    try {
      const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch { /* gone */ }
  }
  return peak;
}

// The native CLI on the same file at the same moment: the machine's load moves both.
run('cargo', ['build', '--release', '--quiet', '--bin', 'profdrop']);
function nativeTop(file) {
  const t = process.hrtime.bigint();
  const r = spawnSync(join(root, 'target/release/profdrop'), ['top', file], { stdio: 'ignore' });
  if (r.status !== 0) return NaN;
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const server = spawn('node', [join(root, 'scripts/serve.mjs'), '--port', String(port)], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 700));
const { chromium } = await import('@playwright/test');

/** Waits for the page to settle after `action`; returns ms from the state change to the view's render, or the error shown. */
async function timed(page, action) {
  const before = await page.evaluate(() => window.profdrop.timings.settled);
  await action();
  await page.waitForFunction((b) => window.profdrop.timings.settled > b, before, { timeout: 120_000, polling: 20 });
  const err = await page.locator('.view-error').isVisible() ? await page.locator('.view-error').textContent() : null;
  const t = await page.evaluate(() => window.profdrop.timings);
  return err ? { error: err } : { ms: t.rendered - t.action };
}

const results = [];
try {
  for (const prof of profiles) {
    const r = { ...prof, first: [], sampleType: [], focus: [], flame: [], peak: 0, crashed: null };
    r.native = [];
    for (let i = 0; i < runs && !r.crashed; i++) {
      r.native.push(nativeTop(prof.file));
      // A fresh browser per run: peak memory is per load, not cumulative.
      const userDir = mkdtempSync(join(tmpdir(), 'profdrop-bench-'));
      const context = await chromium.launchPersistentContext(userDir, {
        executablePath: chromiumPath, headless: true, viewport: { width: 1400, height: 900 },
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
          '--disable-component-update', '--disable-sync'],
      });
      try {
        const page = context.pages()[0] || await context.newPage();
        let crashed = false;
        page.on('crash', () => { crashed = true; });
        await page.goto(`http://127.0.0.1:${port}/index.html`);
        // A user opens the page, then drops a file: measure from a ready page
        // (the engine warms up on a small bundled profile right after it loads).
        await page.waitForFunction(() => window.profdrop.timings.warm > 0, null, { timeout: 30_000 });
        r.warm = Math.max(r.warm || 0, await page.evaluate(() => window.profdrop.timings.warm));
        r.idle = Math.max(r.idle || 0, rendererPeakMB(userDir));
        await page.setInputFiles('#file-input', prof.file);
        await page.waitForFunction(() => window.profdrop.timings.firstRendered > 0 || document.querySelector('#files .error'),
          null, { timeout: 300_000, polling: 20 });
        const failed = await page.locator('#files .error').count();
        if (failed) throw new Error(await page.locator('#files .error').first().textContent());
        const t = await page.evaluate(() => window.profdrop.timings);
        r.first.push(t.firstRendered - t.start);
        r.rows = await page.locator('table.top tbody tr.row').count();
        r.wasm = Math.max(r.wasm || 0, (await page.evaluate(() => window.profdrop.memory())) / 2 ** 20);
        r.sampleType.push(await timed(page, () => page.selectOption('#sample-type', 'alloc_space')));
        r.focus.push(await timed(page, async () => {
          await page.fill('#filters input[name=focus]', 'render');
          await page.press('#filters input[name=focus]', 'Enter');
        }));
        await timed(page, () => page.locator('#chips button').first().click());
        r.peak = Math.max(r.peak, rendererPeakMB(userDir));
        r.flame.push(await timed(page, () => page.getByRole('tab', { name: 'Flame graph' }).click()));
        if (crashed) throw new Error('the renderer crashed');
        r.peakFlame = Math.max(r.peakFlame || 0, rendererPeakMB(userDir));
      } catch (e) {
        r.crashed = e.message;
      } finally {
        await context.close().catch(() => {});
        rmSync(userDir, { recursive: true, force: true });
      }
    }
    results.push(r);
  }
} finally {
  server.kill();
}

const best = (v) => Math.min(...v);
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const step = (v) => {
  if (!v.length) return 'not run';
  const errs = v.filter((x) => x.error);
  if (errs.length) return `not measured: ${errs[0].error.trim().slice(0, 80)}`;
  return `${best(v.map((x) => x.ms)).toFixed(0)} ms`;
};
console.log(`\nbrowser (headless Chromium, best of ${runs}; the page's clock from reading the file to the first table;`);
console.log(`  ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end):`);
for (const r of results) {
  console.log(`heap ${r.samples} samples (${r.mb.toFixed(0)} MB gz):`);
  if (r.crashed && !r.first.length) { console.log(`  FAILED: ${r.crashed}`); continue; }
  console.log(`  drop -> Top table     ${fmt(best(r.first))}   (${r.rows} rows drawn; runs: ${r.first.map(fmt).join(', ')}; native \`profdrop top\` meanwhile: ${fmt(best(r.native))}, ratio ${(best(r.first) / best(r.native)).toFixed(2)})`);
  console.log(`  change sample type    ${step(r.sampleType)}`);
  console.log(`  apply a focus         ${step(r.focus)}`);
  console.log(`  peak renderer memory  ${r.peak.toFixed(0)} MB (through the steps above; ${(r.idle || 0).toFixed(0)} MB before the drop; wasm memory ${(r.wasm || 0).toFixed(0)} MB after it)`);
  console.log(`  flame graph           ${step(r.flame)}, peak renderer memory then ${(r.peakFlame || 0).toFixed(0)} MB`);
  console.log(`  (page ready, engine warmed up, ${(r.warm || 0).toFixed(0)} ms after navigation)`);
  if (r.crashed) console.log(`  a later run failed: ${r.crashed}`);
}
const r1 = results.find((r) => r.samples === 1_000_000);
if (r1 && r1.first.length) {
  const miss = [];
  if (best(r1.first) > 1500) miss.push(`first table ${fmt(best(r1.first))} > 1.5 s`);
  const st = r1.sampleType.filter((x) => !x.error).map((x) => x.ms);
  if (st.length && best(st) > 150) miss.push(`re-filter (sample type) ${best(st).toFixed(0)} ms > 150 ms`);
  const fo = r1.focus.filter((x) => !x.error).map((x) => x.ms);
  if (fo.length && best(fo) > 150) miss.push(`re-filter (focus) ${best(fo).toFixed(0)} ms > 150 ms`);
  if (!fo.length) miss.push('focus not measured (no filters in this build)');
  if (r1.peak > 400) miss.push(`peak renderer memory ${r1.peak.toFixed(0)} MB > 400 MB`);
  console.log(`targets (1e6): first table <= 1.5 s, re-filter <= 150 ms, peak renderer memory <= 400 MB: ${miss.length ? `missed: ${miss.join('; ')}` : 'all met'}`);
}
const r2 = results.find((r) => r.samples === 2_000_000);
if (r2) console.log(`2e6 samples: ${r2.first.length && !r2.crashed ? 'loaded without a crash' : `FAILED: ${r2.crashed}`}`);
