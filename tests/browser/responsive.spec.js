// Views that can be huge stay responsive (issue 19): a label with 100,000
// values (a request id per sample) draws the heaviest 200 in the Tags view,
// says how many more there are, and shows more on request, with the CLI's
// numbers; the Goroutines view draws 200 groups of a dump with more and
// offers the rest.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, drop, settled, cli, parseTags } from './fixtures.js';
import { encodeProfile } from './pprof-writer.js';

test('Tags: 100,000 values of a label draw 200 rows, say how many more, and show more on request', async ({ page, incidents }) => {
  test.setTimeout(120_000);
  const N = 100_000;
  const samples = [];
  for (let i = 0; i < N; i++) {
    samples.push({ stack: [`main.handler${i % 7}`, 'main.main'], values: [1000 + i], labels: { request_id: `req-${i}`, route: `/r${i % 3}` } });
  }
  const bytes = encodeProfile({ sampleTypes: [['cpu', 'nanoseconds']], samples });
  const dir = mkdtempSync(join(tmpdir(), 'profdrop-tags-'));
  writeFileSync(join(dir, 'many-labels.pb.gz'), bytes);
  const want = parseTags(cli('tags', [join(dir, 'many-labels.pb.gz')]));
  const wantIds = want.find((k) => k.caption.startsWith('request_id'));
  expect(wantIds.rows).toHaveLength(N);

  await page.goto('/index.html');
  await drop(page, [{ name: 'many-labels.pb.gz', bytes }]);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible({ timeout: 60_000 });
  const t0 = await page.evaluate(() => performance.now());
  await settled(page, () => page.getByRole('tab', { name: 'Tags' }).click());
  const ms = await page.evaluate((t) => window.profdrop.timings.settled - t, t0);
  console.log(`Tags view of 100,000 label values: drawn ${ms.toFixed(0)} ms after the click`);
  const table = page.locator('table.tags').filter({ has: page.locator('.tag-key', { hasText: 'request_id' }) });
  const shown = () => table.evaluate((t) => [...t.tBodies[0].rows].filter((r) => !r.classList.contains('more'))
    .map((r) => [r.cells[0].textContent, r.cells[1].textContent, r.cells[2].textContent]));
  // the heaviest 200, as the CLI prints them, and the count of the rest
  expect(await shown()).toEqual(wantIds.rows.slice(0, 200));
  await expect(table.locator('caption')).toContainText('(200 of 100000 values shown)');
  const more = table.getByRole('button', { name: '99800 more values…' });
  await expect(more).toBeVisible();
  // the small key is whole
  const route = page.locator('table.tags').filter({ has: page.locator('.tag-key', { hasText: 'route' }) });
  await expect(route.locator('tbody tr')).toHaveCount(3);
  await expect(route.getByRole('button', { name: /more values/ })).toHaveCount(0);

  // more on request: four times as many
  await settled(page, () => more.click());
  expect(await shown()).toEqual(wantIds.rows.slice(0, 800));
  await expect(table.locator('caption')).toContainText('(800 of 100000 values shown)');
  await expect(table.getByRole('button', { name: '99200 more values…' })).toBeVisible();
  expect(incidents).toEqual([]);
});

test('Goroutines: a dump of 1,000 kinds of goroutine draws 200 groups and offers the rest', async ({ page, incidents }) => {
  const parts = [];
  for (let i = 1; i <= 1000; i++) {
    parts.push(`goroutine ${i} [chan receive]:\nmain.worker${i}(0x1)\n\t/app/main.go:${i + 10} +0x1d\ncreated by main.start${i} in goroutine 1\n\t/app/main.go:12 +0x45\n\n`);
  }
  await page.goto('/index.html');
  await drop(page, [{ name: 'many.txt', bytes: Buffer.from(parts.join('')) }]);
  // (each function holds 0.1%: pprof's nodefraction leaves the top table empty)
  await expect(page.locator('.view-body .count').first()).toHaveText('0 rows');
  await settled(page, () => page.getByRole('tab', { name: 'Goroutines' }).click());
  await expect(page.locator('.goroutines-summary')).toContainText('1000 goroutines in 1000 groups');
  const count = page.locator('.goroutines-view > p.count');
  await expect(count).toContainText('200 of 1000 groups shown');
  await expect(page.locator('section.creators')).toContainText('200 of 1000 creation sites shown');
  await expect(page.locator('table.creators tbody tr')).toHaveCount(200);
  const data = () => page.evaluate(() => window.profdrop.view().data().groups.length);
  expect(await data()).toBe(200);
  await settled(page, () => count.getByRole('button', { name: '600 more…' }).click());
  expect(await data()).toBe(800);
  await expect(count).toContainText('800 of 1000 groups shown');
  await settled(page, () => count.getByRole('button', { name: '200 more…' }).click());
  expect(await data()).toBe(1000);
  await expect(count).toHaveText('');
  expect(incidents).toEqual([]);
});

test('Peek: a function called from 150 places lists its 100 heaviest callers and says how many more', async ({ page, incidents }) => {
  const samples = [];
  for (let i = 0; i < 150; i++) samples.push({ stack: ['main.target', `main.caller${String(i).padStart(3, '0')}`, 'main.main'], values: [1000 + i] });
  const bytes = encodeProfile({ sampleTypes: [['cpu', 'nanoseconds']], samples });
  await page.goto('/index.html');
  await drop(page, [{ name: 'callers.pb.gz', bytes }]);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await settled(page, () => page.evaluate(() => { location.hash = `${location.hash}&view=peek&sel=main.target`; }));
  const table = page.locator('table.peek');
  await expect(table).toHaveCount(1);
  await expect(table.locator('tr.caller')).toHaveCount(100);
  await expect(table.locator('tr.caller-more')).toHaveText('50 lighter callers not listed');
  // the heaviest first: caller149 weighs the most
  await expect(table.locator('tr.caller').first()).toContainText('main.caller149');
  await expect(table.locator('tr.caller').last()).toContainText('main.caller050');
  await expect(table.locator('tr.callee')).toHaveCount(0);
  expect(incidents).toEqual([]);
});
