// Shared helpers for browser tests: a page whose every request is recorded
// (and whose dialogs and script errors fail the test), real drops of files,
// the top table as text, and the go tool pprof references.
import { test as base, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { readFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const goFixture = (name) => join(root, 'tests/fixtures/go', name);

export const test = base.extend({
  // Every request the page makes; tests assert none leaves the origin.
  requests: async ({ page }, use) => {
    const seen = [];
    page.on('request', (r) => seen.push(r.url()));
    await use(seen);
  },
  // Dialogs (alert from injected markup) and uncaught page errors, asserted empty.
  incidents: async ({ page }, use) => {
    const seen = [];
    page.on('dialog', (d) => { seen.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
    page.on('pageerror', (e) => seen.push(`pageerror: ${e.message}`));
    // CSP violations and other script errors are logged as console errors.
    page.on('console', (m) => { if (m.type() === 'error') seen.push(`console: ${m.text()}`); });
    await use(seen);
  },
});

/** Requests that went anywhere but the page's own origin (blob:/data: are local). */
export function foreign(requests, origin) {
  return requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
}

/**
 * Drops files on the page the way a user does: a DataTransfer with File
 * objects, dispatched as dragenter/dragover/drop on the document.
 * @param {import('@playwright/test').Page} page
 * @param {{name: string, bytes: Buffer | Uint8Array, lastModified?: number}[]} files  lastModified: the file's date (ms)
 */
export async function drop(page, files) {
  const payload = files.map((f) => ({ name: f.name, b64: Buffer.from(f.bytes).toString('base64'), lastModified: f.lastModified }));
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bin = atob(f.b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new File([bytes], f.name, f.lastModified ? { lastModified: f.lastModified } : {}));
    }
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, payload);
}

/** Drops fixture files from tests/fixtures/go by name. */
export function dropFixtures(page, ...names) {
  return drop(page, names.map((n) => ({ name: n, bytes: readFileSync(goFixture(n)) })));
}

/** The first `n` rows of the page's top table: [flat, flat%, sum%, cum, cum%, name]. */
export async function topRows(page, n = 20) {
  const rows = page.locator('table.top tbody tr.row');
  await expect(rows.first()).toBeVisible();
  return rows.evaluateAll((trs, n) => trs.slice(0, n).map((tr) => [...tr.cells].map((td) => td.textContent)), n);
}

/** The rows of a pprof -top text: [flat, flat%, sum%, cum, cum%, name]. */
export function parseTop(text, n = Infinity) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s*flat\s+flat%\s+sum%\s+cum\s+cum%/.test(l));
  const rows = [];
  for (const l of lines.slice(start + 1)) {
    const m = l.match(/^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(.*)$/);
    if (m && rows.length < n) rows.push(m.slice(1, 7));
  }
  return rows;
}

/** The header lines of a pprof -top text (everything above the column header). */
export function parseLabels(text) {
  const lines = text.split('\n');
  return lines.slice(0, lines.findIndex((l) => /^\s*flat\s+flat%/.test(l)));
}

export const reference = (name) => readFileSync(goFixture(name), 'utf8');

/** `profdrop top ARGS...` from the CLI (built by cargo test, or built here). */
export function cliTop(args) {
  return cli('top', args);
}

/** Waits until the shown view finished rendering (or showed an error) after `action` (the page's own hook). */
export async function settled(page, action) {
  const before = await page.evaluate(() => window.profdrop.timings.settled);
  await action();
  await page.waitForFunction((b) => window.profdrop.timings.settled > b, before, { timeout: 20_000 });
}

export { expect };

/** `profdrop REPORT ARGS...` from the CLI (built by cargo test, or built here), in UTC. */
export function cli(report, args) {
  for (const p of ['target/debug/profdrop', 'target/release/profdrop']) {
    const bin = join(root, p);
    if (existsSync(bin)) {
      const r = spawnSync(bin, [report, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, TZ: 'UTC' } });
      if (r.status !== 0) throw new Error(`profdrop ${report} ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    }
  }
  const r = spawnSync('cargo', ['run', '--quiet', '--bin', 'profdrop', '--', report, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  if (r.status !== 0) throw new Error(`profdrop ${report} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * The function nodes of a DOT text as pprof writes it: DOT id -> the label's
 * lines (escapes resolved, as Graphviz draws them) and the full name (from the tooltip).
 */
export function dotNodes(dot) {
  const nodes = new Map();
  for (const line of dot.split('\n')) {
    const m = /^N(\d+) \[label="((?:[^"\\]|\\.)*)" id="node\d+" .* tooltip="((?:[^"\\]|\\.)*)" color=/.exec(line);
    if (!m) continue;
    const unescape = (s) => s.replace(/\\(.)/g, (_, c) => ({ n: '\n', l: '\n', r: '\n' }[c] || c));
    const lines = unescape(m[2]).split('\n').filter((l) => l !== '');
    const tooltip = unescape(m[3]);
    nodes.set(Number(m[1]), { lines, name: tooltip.replace(/ \([^()]*\)$/, ''), tooltip });
  }
  return nodes;
}

/** pprof's -tags text as [{caption, rows: [[value, share, weight]]}], one per label key. */
export function parseTags(text) {
  const keys = [];
  for (const line of text.split('\n')) {
    const k = /^\s*(\S.*): Total (.*)$/.exec(line);
    const v = /^\s*(\S+) \(\s*([^)]*)\): (.*)$/.exec(line);
    if (v) keys[keys.length - 1].rows.push([v[1], v[2], v[3]]);
    else if (k) keys.push({ caption: `${k[1]} Total ${k[2]}`, rows: [] });
  }
  return keys;
}
