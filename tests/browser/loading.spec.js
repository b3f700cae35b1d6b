// Loading: drop, the keyboard-reachable file dialog, "Load example"; the file
// list; the load stages; errors beside the file that caused them while a
// loaded profile keeps working; removing files.
import { readFileSync } from 'node:fs';
import { test, expect, drop, dropFixtures, goFixture, topRows, parseTop, reference, foreign, settled } from './fixtures.js';

const heapTop = () => parseTop(reference('heap_t1.pb.gz.pprof_top_nodecount=1000000.txt'), 20);

test('a dropped file is listed with its kind, sample types, time, size; its stages are reported', async ({ page, incidents }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  const li = page.locator('#files li[data-name="heap_t1.pb.gz"]');
  await expect(li.locator('.kind')).toHaveText('heap');
  await expect(li.locator('.types')).toHaveText('alloc_objects, alloc_space, inuse_objects, inuse_space');
  await expect(li.locator('.time')).toHaveText('Nov 26, 2026 at 5:14am (UTC)');
  await expect(li.locator('.size')).toHaveText('11.63kB');
  await expect(li.locator('.format')).toHaveText('pprof protobuf');
  await expect(li.getByRole('button', { name: 'Remove heap_t1.pb.gz' })).toBeVisible();
  expect(await topRows(page)).toEqual(heapTop());
  await expect(li.locator('progress')).toHaveCount(0);
  const stages = await page.evaluate(() => window.profdrop.stageLog.filter((x) => x[0] === 'heap_t1.pb.gz').map((x) => x[1]));
  expect(stages).toEqual(['reading', 'inflating', 'decoding', 'aggregating']);
  expect(incidents).toEqual([]);
});

test('a CPU profile lists its duration', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'cpu_t1.pb.gz');
  const li = page.locator('#files li[data-name="cpu_t1.pb.gz"]');
  await expect(li.locator('.kind')).toHaveText('CPU');
  await expect(li.locator('.duration')).toHaveText('5.07s');
});

test('PNG, HTML, truncated and empty files each get a clear error beside them; the loaded profile keeps working', async ({ page, requests, baseURL }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  expect(await topRows(page)).toEqual(heapTop());
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
  const html = Buffer.from('<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><script>alert(1)</script></body></html>\n');
  const cut = readFileSync(goFixture('heap_t1.pb.gz')).subarray(0, 500);
  await drop(page, [
    { name: 'screenshot.png', bytes: png },
    { name: 'login.html', bytes: html },
    { name: 'cut.pb.gz', bytes: cut },
    { name: 'empty.pb.gz', bytes: Buffer.alloc(0) },
  ]);
  const err = (name) => page.locator(`#files li[data-name="${name}"] .error`);
  await expect(err('screenshot.png')).toHaveText('parsing profile: not a profile: this looks like a PNG image');
  await expect(err('login.html')).toContainText('parsing profile: not a profile: this looks like an HTML page');
  await expect(err('cut.pb.gz')).toContainText('decompressing profile:');
  await expect(err('cut.pb.gz')).toContainText(/\(at byte \d+\)/);
  await expect(err('empty.pb.gz')).toHaveText('parsing profile: empty input file');
  // each message sits beside its own file, the loaded one has none
  await expect(page.locator('#files li[data-name="heap_t1.pb.gz"] .error')).toHaveCount(0);
  await expect(page.locator('#files li.failed')).toHaveCount(4);
  // the loaded profile is still shown and still answers
  await expect(page.locator('#files li.active')).toHaveAttribute('data-name', 'heap_t1.pb.gz');
  expect(await topRows(page)).toEqual(heapTop());
  await settled(page, () => page.selectOption('#sample-type', 'alloc_space'));
  expect(await topRows(page)).toEqual(parseTop(reference('heap_t1.pb.gz.pprof_top_nodecount=1000000_sample_index=alloc_space.txt'), 20));
  expect(foreign(requests, baseURL)).toEqual([]);
});

test('"Load example" opens the t0/t1 heap and goroutine profiles and shows heap_t1', async ({ page, requests, baseURL }) => {
  await page.goto('/index.html');
  await page.getByRole('button', { name: 'Load example' }).click();
  await expect(page.locator('#files li')).toHaveCount(4);
  await expect(page.locator('#files li .kind')).toHaveText(['goroutine', 'goroutine', 'heap', 'heap']);
  await expect(page.locator('#files li.active')).toHaveAttribute('data-name', 'heap_t1.pb.gz');
  expect(await topRows(page)).toEqual(heapTop());
  await settled(page, () => page.locator('#files li[data-name="goroutine_t1.pb.gz"] button.show').click());
  expect(await topRows(page)).toEqual(parseTop(reference('goroutine_t1.pb.gz.pprof_top_nodecount=1000000.txt'), 20));
  expect(foreign(requests, baseURL)).toEqual([]);
});

test('the file dialog is reachable with the keyboard', async ({ page }) => {
  // Listen before the page loads: Playwright intercepts the dialog only once it has been told to.
  const chosen = new Promise((resolve) => page.on('filechooser', resolve));
  await page.goto('/index.html');
  let reached = false;
  for (let i = 0; i < 10 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement && document.activeElement.id === 'open-label');
  }
  expect(reached).toBe(true);
  await page.keyboard.press('Enter');
  await (await chosen).setFiles(goFixture('goroutine_t1.pb.gz'));
  expect(await topRows(page)).toEqual(parseTop(reference('goroutine_t1.pb.gz.pprof_top_nodecount=1000000.txt'), 20));
});

test('removing the shown file shows another; removing all empties the page', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'goroutine_t1.pb.gz', 'heap_t1.pb.gz');
  await expect(page.locator('#files li.active')).toHaveAttribute('data-name', 'heap_t1.pb.gz');
  await page.getByRole('button', { name: 'Remove heap_t1.pb.gz' }).click();
  await expect(page.locator('#files li')).toHaveCount(1);
  await expect(page.locator('#files li.active')).toHaveAttribute('data-name', 'goroutine_t1.pb.gz');
  await expect.poll(() => topRows(page)).toEqual(parseTop(reference('goroutine_t1.pb.gz.pprof_top_nodecount=1000000.txt'), 20));
  await page.getByRole('button', { name: 'Remove goroutine_t1.pb.gz' }).click();
  await expect(page.locator('#files li')).toHaveCount(0);
  await expect(page.locator('#view')).toBeHidden();
  await expect(page.locator('#empty-hint')).toBeVisible();
});
