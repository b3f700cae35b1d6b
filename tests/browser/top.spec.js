// Top table: pprof's numbers, row for row, for every kind of fixture and
// sample type; sorting; the regex search; virtual scrolling of 100,000 rows.
import { test, expect, dropFixtures, drop, topRows, parseTop, parseLabels, reference, foreign, settled } from './fixtures.js';
import { encodeProfile } from './pprof-writer.js';

const cases = [
  ['heap_t1.pb.gz', '', 'heap_t1.pb.gz.pprof_top_nodecount=1000000.txt'],
  ['heap_t1.pb.gz', 'alloc_space', 'heap_t1.pb.gz.pprof_top_nodecount=1000000_sample_index=alloc_space.txt'],
  ['goroutine_t1.pb.gz', '', 'goroutine_t1.pb.gz.pprof_top_nodecount=1000000.txt'],
  ['cpu_t1.pb.gz', '', 'cpu_t1.pb.gz.pprof_top_nodecount=1000000.txt'],
  ['cpu_t1.pb.gz', 'samples', 'cpu_t1.pb.gz.pprof_top_nodecount=1000000_sample_index=samples.txt'],
  ['block_t1.pb.gz', 'contentions', 'block_t1.pb.gz.pprof_top_nodecount=1000000_sample_index=contentions.txt'],
];

for (const [file, sampleIndex, ref] of cases) {
  test(`${file}${sampleIndex ? ` ${sampleIndex}` : ''}: the first 20 rows and the summary equal go tool pprof -top`, async ({ page, requests, baseURL, incidents }) => {
    await page.goto('/index.html');
    await dropFixtures(page, file);
    await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
    if (sampleIndex) {
      await settled(page, () => page.selectOption('#sample-type', sampleIndex));
    }
    const want = parseTop(reference(ref), 20);
    expect(want.length).toBe(Math.min(20, parseTop(reference(ref)).length));
    expect(await topRows(page, 20)).toEqual(want);
    // pprof's lines above the table (File, Type, Time, Showing nodes..., Dropped...)
    expect((await page.locator('.labels').textContent()).split('\n')).toEqual(parseLabels(reference(ref)));
    expect(foreign(requests, baseURL)).toEqual([]);
    expect(incidents).toEqual([]);
  });
}

test('sorting by cum orders rows by cum, as pprof -cum; sorting by flat goes back', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await settled(page, () => page.getByRole('button', { name: 'cum', exact: true }).click());
  await expect(page.locator('th:has(button[data-sort=cum])')).toHaveAttribute('aria-sort', 'descending');
  const cums = await page.evaluate(() => Array.from(window.profdrop.view().data().cum));
  expect(cums.length).toBeGreaterThan(20);
  for (let i = 1; i < cums.length; i++) expect(Math.abs(cums[i - 1])).toBeGreaterThanOrEqual(Math.abs(cums[i]));
  // the root of every stack in this heap profile: runtime.main or runtime.goexit carries most of the total
  const rows = await topRows(page, 1);
  expect(rows[0][3]).not.toBe('0');
  await settled(page, () => page.getByRole('button', { name: 'flat', exact: true }).click());
  expect(await topRows(page, 20)).toEqual(parseTop(reference('heap_t1.pb.gz.pprof_top_nodecount=1000000.txt'), 20));
});

test('the search box keeps rows whose name matches the regexp', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'goroutine_t1.pb.gz');
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await page.keyboard.press('/');
  await expect(page.locator('#search')).toBeFocused();
  await page.keyboard.type('persistConn\\)\\.(read|write)Loop$');
  await page.keyboard.press('Enter');
  await expect(page.locator('table.top tbody tr.row')).toHaveCount(2);
  const names = await page.locator('table.top tbody tr.row td.name').allTextContents();
  expect(names).toEqual(['net/http.(*persistConn).readLoop', 'net/http.(*persistConn).writeLoop']);
  await expect(page.locator('#search-status')).toContainText('2 of');
  await page.fill('#search', '(unclosed');
  await page.keyboard.press('Enter');
  await expect(page.locator('#search-status')).toContainText('regex');
});

test('100,000 rows: only the rows in view are in the DOM, and scrolling reaches the last', async ({ page, incidents }) => {
  const n = 100_000;
  const samples = [];
  for (let i = 0; i < n; i++) samples.push({ stack: [`pkg.f${String(i).padStart(6, '0')}`, 'main.main'], values: [n - i] });
  const bytes = encodeProfile({ sampleTypes: [['samples', 'count']], samples });
  await page.goto('/index.html');
  await drop(page, [{ name: 'wide.pb.gz', bytes }]);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible({ timeout: 30_000 });
  // pprof's default nodefraction keeps the few big ones; 0 keeps every function
  await settled(page, async () => { await page.fill('#nodefraction', '0'); await page.press('#nodefraction', 'Enter'); });
  expect(await page.evaluate(() => window.profdrop.view().data().rows)).toBe(n + 1);
  await expect(page.locator('#count, .count')).toHaveText(`${n + 1} rows`);
  expect(await page.locator('table.top tbody tr.row').count()).toBeLessThan(200);
  expect((await topRows(page, 2)).map((r) => r[5])).toEqual(['pkg.f000000', 'pkg.f000001']);
  const scroller = page.locator('.scroller');
  await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(page.locator('table.top tbody tr.row').last()).toHaveText(/main\.main$/);
  await expect(page.locator('table.top tbody tr.row').filter({ hasText: 'pkg.f099999' })).toHaveCount(1);
  expect(await page.locator('table.top tbody tr.row').count()).toBeLessThan(200);
  expect(page.url()).toContain('nodefraction=0');
  expect(incidents).toEqual([]);
});
