// Sharing without uploading (issue 9): a saved report reopened from file://
// in a fresh, offline browser context shows the same view; redaction leaves
// no original path, label value or user function name in the saved bytes
// (the gzipped base64 blocks decoded here); the exported pprof of a focused
// view prints the page's numbers in profdrop's CLI and in go tool pprof; the
// flame graph exports as SVG (parsed as XML, names as text) and PNG; tables
// as CSV and Markdown; the merge with provenance splits back by file. No
// request leaves the page's origin meanwhile.
import { pathToFileURL } from 'node:url';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import {
  test, expect, root, drop, dropFixtures, topRows, parseTop, cli, cliTop, goFixture, settled, foreign, parseTags,
} from './fixtures.js';
import { encodeProfile } from './pprof-writer.js';

/** Clicks `action` and returns the download it starts: {name, bytes, path}. */
async function downloaded(page, action, testInfo, as) {
  const [dl] = await Promise.all([page.waitForEvent('download'), action()]);
  const path = testInfo.outputPath(as || dl.suggestedFilename());
  await dl.saveAs(path);
  return { name: dl.suggestedFilename(), bytes: readFileSync(path), path };
}

/** Saves a report through the dialog, with the redaction boxes named in `redact` ticked. */
async function saveReport(page, testInfo, redact = [], as = 'report.html') {
  await page.getByRole('button', { name: 'Save report…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save report' });
  await expect(dialog).toBeVisible();
  for (const k of redact) await dialog.locator(`input[name="${k}"]`).check();
  await expect(dialog.locator('.kept li').first()).toBeVisible();
  const kept = await dialog.locator('.kept li').allTextContents();
  const file = await downloaded(page, () => dialog.getByRole('button', { name: 'Save', exact: true }).click(), testInfo, as);
  await expect(dialog).toBeHidden();
  return { ...file, kept, html: file.bytes.toString('utf8') };
}

/** The whole top table, by its CSV export: rows of [flat, flat%, sum%, cum, cum%, name]. */
async function tableCsv(page, testInfo, as) {
  await page.getByRole('button', { name: 'Export ▾' }).click();
  const csv = await downloaded(page, () => page.getByRole('menuitem', { name: 'Table as CSV' }).click(), testInfo, as);
  return csv.bytes.toString('utf8').trim().split('\r\n').slice(1).map((l) => l.split(','));
}

/** The report's data blocks, decoded: [{name, bytes (inflated)}]. */
function blocks(html) {
  const out = [];
  for (const m of html.matchAll(/<script type="application\/octet-stream" data-profdrop-file data-encoding="base64" data-name="([^"]*)"[^>]*>([^<]*)<\/script>/g)) {
    const raw = Buffer.from(m[2], 'base64');
    out.push({ name: m[1], gz: raw, bytes: raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw });
  }
  return out;
}

/** Opens a saved file in a fresh context with networking off; records every request and error. */
async function openOffline(browser, path) {
  const context = await browser.newContext();
  await context.setOffline(true);
  const requests = [];
  const incidents = [];
  await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  const page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => incidents.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => { incidents.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('console', (m) => { if (m.type() === 'error') incidents.push(`console: ${m.text()}`); });
  const url = pathToFileURL(path).href;
  await page.goto(url);
  return { context, page, requests, incidents, url };
}

const FOUR = ['goroutine_t0.pb.gz', 'goroutine_t1.pb.gz', 'heap_t0.pb.gz', 'heap_t1.pb.gz'];

test('a saved report reopened from file:// with networking off shows the same Top table, view and filters', async ({ page, browser, requests, baseURL, incidents }, testInfo) => {
  await page.goto('/index.html');
  await dropFixtures(page, ...FOUR);
  await expect(page.locator('#files li')).toHaveCount(4);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await settled(page, () => page.selectOption('#sample-type', 'alloc_space'));
  await settled(page, () => page.evaluate(() => { location.hash = `${location.hash.slice(1)}&focus=net%2Fhttp`; }));
  const want = await topRows(page, 1000);
  expect(want.length).toBeGreaterThan(5);
  const hash = await page.evaluate(() => location.hash);
  expect(hash).toContain('focus=net%2Fhttp');

  const report = await saveReport(page, testInfo);
  const saved = await page.evaluate(() => ({ ...window.profdrop.lastSave }));
  console.log(`saved report of the four t0/t1 files: ${(report.bytes.length / 1024).toFixed(0)} KiB in ${saved.ms.toFixed(0)} ms`);
  expect(saved.bytes).toBe(report.bytes.length);
  // The report holds each file's original bytes (gzipped already: as they were) and the page's own CSP.
  const bs = blocks(report.html);
  expect(bs.map((b) => b.name)).toEqual(FOUR);
  for (const b of bs) expect(b.gz.equals(readFileSync(goFixture(b.name)))).toBe(true);
  const csp = (html) => /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)[1];
  expect(csp(report.html)).toBe(csp(readFileSync(join(root, 'dist/profdrop.html'), 'utf8')));
  expect(csp(report.html)).toContain("connect-src 'none'");

  // Reopened from disk, offline, in a fresh context: the same table, view and filter.
  const r = await openOffline(browser, report.path);
  await expect(r.page.locator('#files li')).toHaveCount(4);
  expect(await topRows(r.page, 1000)).toEqual(want);
  expect(await r.page.locator('#sample-type').inputValue()).toBe('alloc_space');
  await expect(r.page.locator('#chips')).toContainText('net/http');
  expect(r.requests.filter((u) => u !== r.url && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
  expect(r.incidents).toEqual([]);
  // A report saved from the report holds the same files once (the old blocks are not copied).
  const again = await saveReport(r.page, testInfo, [], 'report-again.html');
  expect(blocks(again.html).map((b) => b.name)).toEqual(FOUR);
  expect(again.html.match(/<script type="application\/json" data-profdrop-report>\{/g).length).toBe(1);
  await r.context.close();

  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('with redaction on, no original file path, label value or user function name occurs in the saved file', async ({ page, browser, requests, baseURL, incidents }, testInfo) => {
  // Profiles that are not among the page's bundled examples, so nothing of them is in the viewer's own code.
  const names = ['cpu_t1.pb.gz', 'allocs_t1.pb.gz'];
  await page.goto('/index.html');
  await dropFixtures(page, ...names);
  await expect(page.locator('#files li')).toHaveCount(2);
  await settled(page, () => page.locator('#files li[data-name="cpu_t1.pb.gz"] button.show').click());
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  const plain = await tableCsv(page, testInfo, 'plain.csv');

  // The secrets, from the CLI: every source path, string label value and non-standard-library function.
  const secrets = new Set();
  for (const n of names) {
    for (const row of parseTop(cli('top', ['--lines', '--nodefraction=0', goFixture(n)]))) {
      const m = /^(\S+) (\/\S+):\d+$/.exec(row[5]);
      if (m) {
        secrets.add(m[2]);
        // Outside the standard library, by Go's rule: package main, or an import path whose first element has a dot.
        const head = m[1].includes('/') ? m[1].split('/')[0] : m[1].split('.')[0];
        if (m[1].startsWith('main.') || head.includes('.')) secrets.add(m[1]);
      }
    }
    for (const line of cli('tags', [goFixture(n)]).split('\n')) {
      const v = /^\s*\S+ \(\s*[^)]*\): (.*)$/.exec(line);
      if (v && !/^\d/.test(v[1])) secrets.add(v[1]);
    }
  }
  const list = [...secrets];
  expect(list).toContain('inventory');
  expect(list.some((s) => s.startsWith('/srv/') || s.startsWith('/usr/lib/go'))).toBe(true);
  expect(list.some((s) => s.startsWith('main.'))).toBe(true);

  // Unredacted, the saved file holds them all (so the search below can find them).
  const open = await saveReport(page, testInfo, [], 'open.html');
  const openText = [open.html, ...blocks(open.html).map((b) => b.bytes.toString('latin1'))].join('\n');
  for (const s of list) expect(openText.includes(s), s).toBe(true);

  const red = await saveReport(page, testInfo, ['file_paths', 'function_names', 'label_values', 'mappings', 'comments', 'file_names'], 'redacted.html');
  expect(red.kept.join('\n')).toContain('Go standard-library functions');
  // The key of the keyed hashes is not stored in the report's state.
  const meta = /<script type="application\/json" data-profdrop-report>([^<]*)<\/script>/.exec(red.html)[1];
  expect(meta).toContain('"redacted"');
  expect(meta).not.toContain('"key"');
  const bs = blocks(red.html);
  expect(bs.map((b) => b.name)).toEqual(['profile-1.pb.gz', 'profile-2.pb.gz']);
  const haystacks = [red.html, ...bs.map((b) => b.bytes.toString('latin1')), ...bs.map((b) => b.gz.toString('latin1'))];
  for (const s of list) {
    for (const hay of haystacks) expect(hay.includes(s), `${s} survived redaction`).toBe(false);
  }
  for (const n of names) expect(red.html.includes(n), n).toBe(false);

  // It still opens offline, with the same numbers (names hashed, standard-library names kept).
  const r = await openOffline(browser, red.path);
  await expect(r.page.locator('#files li')).toHaveCount(2);
  // the report opens on the file that was shown (cpu_t1.pb.gz, now profile-1.pb.gz)
  await expect(r.page.locator('#files li.active')).toHaveAttribute('data-name', 'profile-1.pb.gz');
  await expect(r.page.locator('table.top tbody tr.row').first()).toBeVisible();
  const shown = await tableCsv(r.page, testInfo, 'shown.csv');
  // the same numbers (the order of equal rows follows the names, which are hashed)
  // (sum% is left out: it follows that order, and the hashes are keyed by a random key)
  const numbers = (rows) => rows.map((x) => [x[0], x[1], x[3], x[4]].join(',')).sort().join('\n');
  expect(shown.length).toBe(plain.length);
  expect(numbers(shown)).toBe(numbers(plain));
  expect(shown.map((x) => x[5]).some((n) => n.startsWith('runtime.'))).toBe(true);
  expect(shown.map((x) => x[5]).some((n) => n.startsWith('fn_'))).toBe(true);
  expect(r.requests.filter((u) => u !== r.url && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
  expect(r.incidents).toEqual([]);
  await r.context.close();

  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

/** name -> [flat, cum] of a top table's rows. */
const byName = (rows) => new Map(rows.map((r) => [r[5], [r[0], r[3]]]));

test('the exported pprof of a focused view prints the page\'s numbers in profdrop top and go tool pprof -top', async ({ page, requests, baseURL, incidents }, testInfo) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await settled(page, () => page.selectOption('#sample-type', 'alloc_space'));
  await settled(page, () => page.evaluate(() => { location.hash = `${location.hash.slice(1)}&focus=net%2Fhttp`; }));
  const rows = await topRows(page, 1000);
  expect(rows.length).toBeGreaterThan(5);
  await page.getByRole('button', { name: 'Export ▾' }).click();
  const file = await downloaded(page, () => page.getByRole('menuitem', { name: 'Profile as pprof (.pb.gz)' }).click(), testInfo, 'focused.pb.gz');
  expect([file.bytes[0], file.bytes[1]]).toEqual([0x1f, 0x8b]);

  const check = (text, who) => {
    const got = byName(parseTop(text));
    expect(got.size, who).toBeGreaterThanOrEqual(rows.length);
    for (const r of rows) expect(got.get(r[5]), `${who}: ${r[5]}`).toEqual([r[0], r[3]]);
    // and nothing the focus removed
    for (const name of got.keys()) expect(rows.some((r) => r[5] === name) || got.get(name)[1] !== '0', name).toBe(true);
  };
  const ours = cliTop(['--nodefraction=0', file.path]);
  expect(ours).toMatch(/^Type: alloc_space$/m);
  check(ours, 'profdrop top');

  const go = spawnSync('go', ['tool', 'pprof', '-symbolize=none', '-top', '-nodefraction=0', file.path],
    { encoding: 'utf8', env: { ...process.env, PPROF_BINARY_PATH: '/nonexistent', HOME: testInfo.outputPath('home') } });
  if (go.error && go.error.code === 'ENOENT') {
    console.log('go is not installed: the go tool pprof half of this test did not run');
  } else {
    expect(go.status, go.stderr).toBe(0);
    expect(go.stdout).toMatch(/^Type: alloc_space$/m);
    check(go.stdout, 'go tool pprof');
  }
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('the flame graph exports as SVG (XML, names as escaped text) and PNG at the device pixel ratio', async ({ browser, baseURL }, testInfo) => {
  const context = await browser.newContext({ deviceScaleFactor: 2, baseURL });
  const page = await context.newPage();
  const requests = [];
  const incidents = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => incidents.push(e.message));
  await page.goto('/index.html');
  // A profile whose names are markup: the SVG must hold them as text.
  // "main." before the markup: pprof leaves names with ".<" as they are.
  const evil = 'main.<script>alert(1)</script>&"\'.F';
  const bytes = encodeProfile({
    sampleTypes: [['samples', 'count']],
    samples: [{ stack: [evil, 'main.main'], values: [5] }, { stack: ['main.work', 'main.main'], values: [3] }],
  });
  await drop(page, [{ name: 'evil.pb', bytes }]);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await settled(page, () => page.getByRole('tab', { name: 'Flame graph' }).click());
  await page.getByRole('button', { name: 'Export ▾' }).click();
  const svg = await downloaded(page, () => page.getByRole('menuitem', { name: 'Flame graph as SVG' }).click(), testInfo, 'flame.svg');
  const text = svg.bytes.toString('utf8');
  expect(text).not.toContain('<script>');
  const parsed = await page.evaluate((t) => {
    const d = new DOMParser().parseFromString(t, 'image/svg+xml');
    return {
      error: d.querySelector('parsererror') ? d.querySelector('parsererror').textContent : null,
      root: d.documentElement.localName,
      texts: [...d.querySelectorAll('text')].map((x) => x.textContent),
      titles: [...d.querySelectorAll('g > title')].map((x) => x.textContent),
      scripts: d.querySelectorAll('script').length,
    };
  }, text);
  expect(parsed.error).toBeNull();
  expect(parsed.root).toBe('svg');
  expect(parsed.scripts).toBe(0);
  expect(parsed.texts).toContain(evil);
  expect(parsed.texts).toContain('main.work');
  expect(parsed.texts).toContain('main.main');
  expect(parsed.titles.some((t) => t.startsWith(`${evil}: 5`))).toBe(true);

  await page.getByRole('button', { name: 'Export ▾' }).click();
  const png = await downloaded(page, () => page.getByRole('menuitem', { name: 'Flame graph as PNG' }).click(), testInfo, 'flame.png');
  expect([...png.bytes.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  const canvas = await page.locator('canvas.flame').evaluate((c) => ({ w: c.width, css: c.clientWidth }));
  expect(png.bytes.readUInt32BE(16)).toBe(canvas.w);
  expect(canvas.w).toBe(canvas.css * 2);
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
  await context.close();
});

test('tables export as CSV and Markdown, the diff flame graph as SVG and the diff profile as pprof, findings as Markdown', async ({ page, requests, baseURL, incidents }, testInfo) => {
  await page.goto('/index.html');
  await dropFixtures(page, ...FOUR);
  await expect(page.locator('#files li')).toHaveCount(4);
  const rows = await topRows(page, 1000);
  await page.getByRole('button', { name: 'Export ▾' }).click();
  const csv = await downloaded(page, () => page.getByRole('menuitem', { name: 'Table as CSV' }).click(), testInfo, 'top.csv');
  const lines = csv.bytes.toString('utf8').trim().split('\r\n');
  expect(lines[0]).toBe('flat,flat%,sum%,cum,cum%,name');
  // (the page's table keeps only the rows in view in the DOM: those are the first ones)
  expect(lines.length - 1).toBeGreaterThanOrEqual(rows.length);
  expect(lines.slice(1, rows.length + 1).map((l) => l.split(','))).toEqual(rows.map((r) => r.map((c) => c.replace(/^-/, "'-"))));
  await page.getByRole('button', { name: 'Export ▾' }).click();
  const md = await downloaded(page, () => page.getByRole('menuitem', { name: 'Table as Markdown' }).click(), testInfo, 'top.md');
  const mdLines = md.bytes.toString('utf8').trim().split('\n');
  expect(mdLines[0]).toBe('| flat | flat% | sum% | cum | cum% | name |');
  expect(mdLines.length).toBe(lines.length + 1);
  expect(mdLines[2]).toContain(rows[0][5].replace(/[*_[\]]/g, (c) => `\\${c}`));

  // The comparison of heap_t0 and heap_t1: diff table, differential flame graph, diff profile.
  await settled(page, () => page.getByRole('tab', { name: 'Compare' }).click());
  await expect(page.locator('table.top.diff tbody tr').first()).toBeVisible();
  const mode = await page.evaluate(() => window.profdrop.view().data().mode);
  await page.getByRole('button', { name: 'Export ▾' }).click();
  const dcsv = await downloaded(page, () => page.getByRole('menuitem', { name: 'Diff table as CSV' }).click(), testInfo, 'diff.csv');
  expect(dcsv.bytes.toString('utf8').split('\r\n')[0]).toContain('base flat,target flat');
  await page.getByRole('button', { name: 'Export ▾' }).click();
  const diff = await downloaded(page, () => page.getByRole('menuitem', { name: 'Diff profile as pprof (.pb.gz)' }).click(), testInfo, 'diff.pb.gz');
  const diffTop = cliTop(['--nodefraction=0', diff.path]);
  const base = mode === 'base' ? [`--base=${goFixture('heap_t0.pb.gz')}`]
    : [`--diff_base=${goFixture('heap_t0.pb.gz')}`, ...(mode === 'normalize' ? ['--normalize'] : [])];
  const want = cliTop(['--nodefraction=0', ...base, goFixture('heap_t1.pb.gz')]);
  expect(parseTop(want).length).toBeGreaterThan(3);
  expect(parseTop(diffTop)).toEqual(parseTop(want));
  await settled(page, () => page.evaluate(() => { location.hash = `${location.hash.slice(1)}&compare=flame`; }));
  await expect(page.locator('.diff-flame canvas.flame')).toBeVisible();
  const boxes = await page.evaluate(() => {
    const d = window.profdrop.view().sub().data();
    const out = [];
    for (let i = 0; i < d.frame.length; i++) if (d.width[i] > d.width[0] * 0.2) out.push(d.name.text.slice(d.name.offsets[d.frame[i]], d.name.offsets[d.frame[i] + 1]));
    return out;
  });
  expect(boxes.length).toBeGreaterThan(2);
  await page.getByRole('button', { name: 'Export ▾' }).click();
  const svg = await downloaded(page, () => page.getByRole('menuitem', { name: 'Differential flame graph as SVG' }).click(), testInfo, 'diff.svg');
  const texts = await page.evaluate((t) => {
    const d = new DOMParser().parseFromString(t, 'image/svg+xml');
    return d.querySelector('parsererror') ? null : [...d.querySelectorAll('text')].map((x) => x.textContent);
  }, svg.bytes.toString('utf8'));
  expect(texts).not.toBeNull();
  for (const b of boxes) expect(texts.some((t) => t === b || (t.endsWith('…') && b.includes(t.slice(0, -1))) || b.endsWith(t)), b).toBe(true);

  // Findings as Markdown: what the panel copies.
  await expect(page.locator('#findings .finding').first()).toBeVisible();
  const findingsMd = await downloaded(page, () => page.getByRole('button', { name: 'Download .md' }).click(), testInfo, 'findings.md');
  expect(findingsMd.bytes.toString('utf8')).toBe(await page.evaluate(() => window.profdrop.findings().markdown));
  expect(findingsMd.bytes.toString('utf8')).toMatch(/^### /);

  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('merging t0 and t1 with provenance: Tags shows each file\'s total, tagfocus on a file gives back its own top table', async ({ page, requests, baseURL, incidents }) => {
  const [t0, t1] = ['goroutine_t0.pb.gz', 'goroutine_t1.pb.gz'];
  await page.goto('/index.html');
  await dropFixtures(page, t0, t1);
  await expect(page.locator('#files li')).toHaveCount(2);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await settled(page, () => page.getByRole('button', { name: 'Merge the 2 goroutine profiles' }).click());
  await settled(page, () => page.getByLabel('label samples by file').check());
  expect(await page.evaluate(() => location.hash)).toContain('provenance=1');
  await settled(page, () => page.getByRole('tab', { name: 'Tags' }).click());
  const want = parseTags(cli('tags', ['--provenance', goFixture(t0), goFixture(t1)]));
  const file = want.find((k) => k.caption.startsWith('file '));
  // each file's total: the sum of its samples as pprof's -raw lists them (pprof's top total
  // also counts one goroutine -raw and -tags leave out of goroutine_t1: 5089 against 5088)
  const rawTotal = (n) => {
    const samples = cli('raw', [goFixture(n)]).split(/^Samples:$/m)[1].split(/^Locations$/m)[0];
    return [...samples.matchAll(/^\s*(-?\d+): /gm)].reduce((a, m) => a + Number(m[1]), 0);
  };
  expect(file.rows.map((r) => [r[2], Number(r[0])]).sort()).toEqual([[t0, rawTotal(t0)], [t1, rawTotal(t1)]].sort());
  const tables = await page.locator('table.tags').evaluateAll((ts) => ts.map((t) => ({
    caption: t.caption.textContent,
    rows: [...t.tBodies[0].rows].map((r) => [r.cells[0].textContent, r.cells[1].textContent, r.cells[2].textContent]),
  })));
  expect(tables).toEqual(want);

  for (const name of [t0, t1]) {
    await settled(page, () => page.locator('table.tags button.tag-value', { hasText: name }).click());
    await settled(page, () => page.getByRole('tab', { name: 'Top' }).click());
    const shown = await topRows(page, 1000);
    const alone = parseTop(cliTop(['--nodefraction=0', goFixture(name)]));
    const got = byName(alone);
    expect(shown.length).toBeGreaterThan(3);
    for (const r of shown) expect(got.get(r[5]), r[5]).toEqual([r[0], r[3]]);
    // the CLI with the same options prints the page's table
    const cliRows = parseTop(cliTop(['--provenance', `--tagfocus=file=^${name.replace(/\./g, '\\.')}$`, goFixture(t0), goFixture(t1)]));
    expect(shown).toEqual(cliRows);
    // back to Tags, without the filter
    await settled(page, () => page.locator('#chips button').first().click());
    await settled(page, () => page.getByRole('tab', { name: 'Tags' }).click());
  }
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('the hosted index.html is the single file, so the served page saves reports without a request', async () => {
  const index = readFileSync(join(root, 'dist/index.html'));
  expect(index.equals(readFileSync(join(root, 'dist/profdrop.html')))).toBe(true);
  expect(index.toString('utf8')).not.toMatch(/<script[^>]* src=|<link[^>]* rel="stylesheet"/);
});

test('a file name made of markup stays a name in the saved report: escaped in its block, text in the reopened page', async ({ page, browser, requests, baseURL, incidents }, testInfo) => {
  const name = '"><script>alert(1)</script><img src=x onerror=alert(2)>.pb.gz';
  await page.goto('/index.html');
  await drop(page, [{ name, bytes: readFileSync(goFixture('heap_t1.pb.gz')) }]);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  const want = await topRows(page, 1000);
  const report = await saveReport(page, testInfo, [], 'markup.html');
  expect(report.html).not.toContain('<script>alert(1)');
  expect(blocks(report.html).map((b) => b.name)).toEqual([name.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')]);
  const r = await openOffline(browser, report.path);
  await expect(r.page.locator('#files li button.show')).toHaveText(name);
  expect(await topRows(r.page, 1000)).toEqual(want);
  expect(await r.page.locator('img, script:not([type])').count()).toBe(0);
  expect(r.incidents).toEqual([]);
  await r.context.close();
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});
