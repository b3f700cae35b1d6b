// The Findings panel: dropping the t0/t1 heap and goroutine files shows it
// above the views with rule 1 (a new HTTP transport per request) first,
// without a click, its evidence equal to numbers this test computes with the
// CLI and the profiles' times; its stack link focuses the Top table on the
// stack; a limit feeds the projection; the Markdown copy; the text dumps
// give the same first finding; no request leaves the page.
import { test, expect, drop, dropFixtures, parseTop, foreign, settled, goFixture, topRows, cli } from './fixtures.js';
import { timeNanos } from './pprof-writer.js';
import { readFileSync } from 'node:fs';

/** `profdrop REPORT ARGS...` (fixtures.js's cli, arguments spread). */
const profdrop = (report, ...args) => cli(report, args);

const RL = 'net/http.(*persistConn).readLoop';
const WL = 'net/http.(*persistConn).writeLoop';
/** A function's cum in a profile, as the CLI's top prints it (a count for goroutine profiles). */
const cum = (file, name) => Number(parseTop(profdrop('top', '--nodefraction=0', goFixture(file))).find((r) => r[5] === name)[3]);
const evidence = (page, key) => page.locator(`#findings .finding >> nth=0 >> dd[data-key="${key}"]`).textContent();
const FOUR = ['heap_t0.pb.gz', 'heap_t1.pb.gz', 'goroutine_t0.pb.gz', 'goroutine_t1.pb.gz'];

test('the four t0/t1 files: rule 1 first, without a click, with the evidence computed here', async ({ page, requests, baseURL, incidents }) => {
  await page.goto('/index.html');
  await dropFixtures(page, ...FOUR);
  const first = page.locator('#findings .finding').first();
  await expect(first).toBeVisible();
  await expect(first).toHaveAttribute('data-rule', 'http-transport-per-request');
  await expect(first.locator('.severity')).toHaveText('high');
  // readLoop and writeLoop goroutines: their cum in the last goroutine profile
  expect(Number(await evidence(page, 'readloop_goroutines'))).toBe(cum('goroutine_t1.pb.gz', RL));
  expect(Number(await evidence(page, 'writeloop_goroutines'))).toBe(cum('goroutine_t1.pb.gz', WL));
  // growth per minute, from the profiles' time_nanos
  const g0 = readFileSync(goFixture('goroutine_t0.pb.gz'));
  const g1 = readFileSync(goFixture('goroutine_t1.pb.gz'));
  const minutes = Number(timeNanos(g1) - timeNanos(g0)) / 60e9;
  const rate = (cum('goroutine_t1.pb.gz', RL) - cum('goroutine_t0.pb.gz', RL)) / minutes;
  const shownRate = await evidence(page, 'readloop_growth_per_minute');
  expect(shownRate).toMatch(/^[\d.]+\/min$/);
  expect(Math.abs(parseFloat(shownRate) - rate)).toBeLessThanOrEqual(0.05);
  // the heap held by bufio buffers under dialConn: what a focus on dialConn keeps of them, in bytes
  const focused = profdrop('top', '--unit=b', '--nodefraction=0', '--focus=Transport\\)\\.dialConn$', goFixture('heap_t1.pb.gz'));
  const total = Number(focused.match(/of (\d+)B total/)[1]);
  const bufio = parseTop(focused).filter((r) => /^bufio\.New(Reader|Writer)Size\b/.test(r[5])).reduce((s, r) => s + parseInt(r[3], 10), 0);
  expect(bufio).toBeGreaterThan(0);
  expect(await evidence(page, 'dialconn_bufio_heap_share')).toBe(`${((100 * bufio) / total).toFixed(1)}%`);
  // the label that carries them: route=inventory, by the CLI's tags of the readLoop/writeLoop goroutines
  const tags = profdrop('tags', '--tagshow=route', '--focus=persistConn\\)\\.(read|write)Loop$', goFixture('goroutine_t1.pb.gz'));
  const m = tags.match(/\(\s*([\d.]+)%\): inventory\n/);
  expect(m).not.toBeNull();
  await expect(first.locator('dt', { hasText: 'route=inventory' })).toHaveCount(1);
  expect(await evidence(page, 'dominant_label_share')).toBe(`${Number(m[1]).toFixed(1)}%`);
  // nothing was clicked: the page still shows the last file's Top table
  expect(await page.evaluate(() => window.profdrop.state().view)).toBe('top');
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('the stack link focuses the Top table on the stack', async ({ page, requests, baseURL, incidents }) => {
  await page.goto('/index.html');
  await dropFixtures(page, ...FOUR);
  const link = page.locator('#findings .finding').first().locator('button.stack-link').first();
  await expect(link).toBeVisible();
  const focus = await link.getAttribute('data-focus');
  await settled(page, () => link.click());
  const s = await page.evaluate(() => window.profdrop.state());
  expect(s.view).toBe('top');
  expect(s.files).toEqual(['goroutine_t1.pb.gz']);
  expect(s.transforms).toEqual([{ op: 'focus', value: focus }]);
  await expect(page.locator('#chips')).toContainText(`focus=${focus}`);
  // every goroutine left goes through the focused frame: the CLI's own focus gives the same rows
  const want = parseTop(profdrop('top', `--focus=${focus}`, goFixture('goroutine_t1.pb.gz')), 20);
  expect(await topRows(page, 20)).toEqual(want);
  const fn = focus === `^${RL.replace(/[.()*]/g, (c) => `\\${c}`)}$` ? RL : WL;
  expect(want.find((r) => r[5] === fn)[3]).toBe(String(cum('goroutine_t1.pb.gz', fn)));
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('a goroutine limit gives the time to reach it; the findings copy as Markdown', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/index.html');
  await dropFixtures(page, ...FOUR);
  await expect(page.locator('#findings .finding').first()).toBeVisible();
  await page.locator('#findings input[name="goroutine_limit"]').fill('30000');
  await page.locator('#findings input[name="goroutine_limit"]').press('Enter');
  const mins = page.locator('#findings .finding >> nth=0 >> dd[data-key="minutes_to_limit"]');
  await expect(mins).toBeVisible();
  const total = (f) => Number(profdrop('top', goFixture(f)).match(/of (\d+) total/)[1]);
  const g0 = readFileSync(goFixture('goroutine_t0.pb.gz'));
  const g1 = readFileSync(goFixture('goroutine_t1.pb.gz'));
  const minutes = Number(timeNanos(g1) - timeNanos(g0)) / 60e9;
  const want = (30000 - total('goroutine_t1.pb.gz')) / ((total('goroutine_t1.pb.gz') - total('goroutine_t0.pb.gz')) / minutes);
  expect(await mins.textContent()).toBe(`${Math.round(want)} min`);
  expect(await page.evaluate(() => window.profdrop.state().params.goroutine_limit)).toBe('30000');
  await page.locator('#findings button.copy-md').click();
  await expect(page.locator('#findings [role=status]')).toHaveText('copied as Markdown');
  const md = await page.evaluate(() => navigator.clipboard.readText());
  expect(md.startsWith('### A new HTTP transport per request')).toBe(true);
});

test('the text dumps (debug=2 goroutines, debug=1 heap) give rule 1 first too', async ({ page, requests, baseURL, incidents }) => {
  await page.goto('/index.html');
  const t = Date.UTC(2026, 0, 1, 12, 0, 0);
  const f = (name, lastModified) => ({ name, bytes: readFileSync(goFixture(name)), lastModified });
  await drop(page, [f('goroutine_t0.debug2.txt', t), f('goroutine_t1.debug2.txt', t + 90_000), f('heap_t0.debug1.txt', t + 5_000), f('heap_t1.debug1.txt', t + 95_000)]);
  const first = page.locator('#findings .finding').first();
  await expect(first).toHaveAttribute('data-rule', 'http-transport-per-request');
  // survivors of the dumps are matched by id: the rule says how many the dumps' dialConn created
  await expect(first.locator('dd[data-key="created_by_dialconn"]')).toBeVisible();
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('profiles without the pattern: no rule-1 finding, and the panel says what it checked', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  await expect(page.locator('#findings')).toBeVisible();
  await expect(page.locator('#findings [data-rule="http-transport-per-request"]')).toHaveCount(0);
  await expect(page.locator('#findings')).toContainText('0 goroutine and 1 heap profile');
});
