// Every test: the house rules (rustfmt, clippy), Rust unit, integration and golden tests (native), the wasm
// tests (wasm-bindgen-test under Node), the browser tests (Playwright in
// Debian's Chromium). Ends with one line: "N passed, N failed".
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { root, tee, log, which } from './lib.mjs';

let passed = 0;
let failed = 0;
const notes = [];

/** Adds up cargo's "test result:" lines; a run that printed none failed to build or crashed. */
function countCargo(name, { status, out }) {
  let any = false;
  for (const m of out.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored/g)) {
    any = true;
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
  if (!any || (status !== 0 && !/test result: FAILED/.test(out))) {
    failed += 1;
    notes.push(`${name}: did not complete (exit ${status})`);
  }
}

/** One check that passes when its command exits 0 (house rules: formatting, lints). */
async function check(name, cmd, args) {
  const r = await tee(cmd, args);
  if (r.status === 0) passed += 1;
  else {
    failed += 1;
    notes.push(`${name}: failed (exit ${r.status})`);
  }
}

// 0. House rules: rustfmt (rustfmt.toml) and clippy with every warning an
//    error (the allowed lints, with their reasons, are in clippy.toml and
//    beside the few #[allow]s), natively and for the wasm build.
log('house rules: cargo fmt --check, cargo clippy -D warnings');
await check('cargo fmt --check', 'cargo', ['fmt', '--all', '--check']);
await check('cargo fmt --check (fuzz targets)', 'cargo', ['fmt', '--manifest-path', 'fuzz/Cargo.toml', '--check']);
await check('cargo clippy', 'cargo', ['clippy', '--all-targets', '--color', 'never', '--', '-D', 'warnings']);
await check('cargo clippy (wasm)', 'cargo', ['clippy', '--lib', '--features', 'wasm', '--target', 'wasm32-unknown-unknown',
  '--color', 'never', '--', '-D', 'warnings']);

// 1. Native Rust tests.
log('native Rust tests');
countCargo('cargo test', await tee('cargo', ['test', '--workspace', '--no-fail-fast', '--color', 'never']));

// 2. The extra suite over fixtures that stay outside the repository (AGPL /
//    CC-BY-SA peers), only where ../shared exists.
const shared = join(root, '..', 'shared', 'fixtures', 'external');
if (existsSync(shared)) {
  log(`extra suite over ${shared}`);
  countCargo('extra suite', await tee('cargo', ['test', '--workspace', '--no-fail-fast', '--color', 'never', '--', '--ignored', 'shared_']));
  notes.push(`extra suite (fixtures read from ${shared}): ran`);
} else {
  notes.push(`extra suite not run: ${shared} does not exist (it reads AGPL/CC-BY-SA fixtures that stay out of the repository)`);
}

// 3. wasm tests under Node.
log('wasm tests (wasm-bindgen-test under Node)');
countCargo('wasm tests', await tee('cargo', ['test', '--target', 'wasm32-unknown-unknown', '--features', 'wasm',
  '--test', 'wasm', '--no-fail-fast', '--color', 'never'], {
  env: { ...process.env, CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: which('wasm-bindgen-test-runner') || 'wasm-bindgen-test-runner' },
}));

// 4. Browser tests.
log('browser tests (Playwright, Debian Chromium)');
const summary = join(root, 'target', 'browser-summary.json');
rmSync(summary, { force: true });
const pw = await tee(join(root, 'node_modules', '.bin', 'playwright'), ['test']);
if (existsSync(summary)) {
  const s = JSON.parse(readFileSync(summary, 'utf8'));
  passed += s.passed;
  failed += s.failed;
  if (s.skipped) notes.push(`browser tests: ${s.skipped} skipped (not counted as passed)`);
} else {
  failed += 1;
  notes.push(`browser tests did not run (exit ${pw.status})`);
}

for (const n of notes) console.log(n);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
