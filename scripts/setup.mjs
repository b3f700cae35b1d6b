// Installs what the build and the tests need, once; quick when all is there.
//   rustup target wasm32-unknown-unknown, rustfmt and clippy, wasm-bindgen-cli (the version in
//   Cargo.lock), npm packages (esbuild, binaryen's wasm-opt, Playwright's test
//   runner), and, with --browser, Debian's chromium and chromium-driver.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { root, run, capture, log, which, wasmBindgenVersion, chromiumPath, chromedriverPath } from './lib.mjs';

const t0 = Date.now();
const wantBrowser = process.argv.includes('--browser');

function step(name, done, install) {
  if (done()) return;
  const t = Date.now();
  log(`installing ${name}...`);
  install();
  if (!done()) throw new Error(`installing ${name} did not work`);
  log(`installed ${name} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

step('the wasm32-unknown-unknown Rust target',
  () => capture('rustup', ['target', 'list', '--installed']).stdout.includes('wasm32-unknown-unknown'),
  () => run('rustup', ['target', 'add', 'wasm32-unknown-unknown']));

// The house rules in npm test: rustfmt and clippy (in rustup's default profile; added when missing).
step('the rustfmt and clippy components',
  () => capture('cargo', ['fmt', '--version']).status === 0 && capture('cargo', ['clippy', '--version']).status === 0,
  () => run('rustup', ['component', 'add', 'rustfmt', 'clippy']));

const wbv = wasmBindgenVersion();
step(`wasm-bindgen-cli ${wbv}`,
  () => capture('wasm-bindgen', ['--version']).stdout.trim() === `wasm-bindgen ${wbv}`,
  () => {
    // --locked first; the registry mirror can lack a locked transitive version.
    const args = ['install', 'wasm-bindgen-cli', '--version', `=${wbv}`, '--force'];
    const r = capture('cargo', [...args, '--locked'], { stdio: 'inherit' });
    if (r.status !== 0) run('cargo', args);
  });

const lockHash = () => createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');
const stamp = join(root, 'node_modules', '.profdrop-installed');
step('npm packages',
  () => existsSync(stamp) && readFileSync(stamp, 'utf8') === lockHash(),
  () => {
    run('npm', ['ci', '--no-audit', '--no-fund']);
    writeFileSync(stamp, lockHash());
  });

if (wantBrowser) {
  step("Debian's chromium and chromium-driver",
    () => existsSync(chromiumPath) && existsSync(chromedriverPath),
    () => {
      const sudo = process.getuid && process.getuid() !== 0 && which('sudo') ? ['sudo'] : [];
      const apt = (args) => sudo.length ? run('sudo', ['apt-get', ...args]) : run('apt-get', args);
      apt(['update']);
      apt(['install', '-y', 'chromium', 'chromium-driver']);
    });
}

log(`setup ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
