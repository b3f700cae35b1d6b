// The details panel: metadata, mappings, label keys; MemStats for heap text.
import { test, expect, dropFixtures } from './fixtures.js';

test('details list period, time, mappings with build ids and label keys', async ({ page, incidents }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'cpu_t1.pb.gz');
  await page.locator('#details summary').click();
  const body = page.locator('#details-body');
  const meta = body.locator('table', { hasText: 'Profile' }).first();
  await expect(meta.locator('tr', { hasText: 'kind' })).toContainText('CPU');
  await expect(meta.locator('tr', { hasText: 'period' })).toContainText('10ms (10000000 nanoseconds, cpu)');
  await expect(meta.locator('tr', { hasText: 'duration' })).toContainText('5.07s');
  await expect(meta.locator('tr', { hasText: 'time' })).toContainText('Nov 26, 2026 at 5:14am (UTC)');
  const maps = body.locator('table', { hasText: 'Mappings' });
  await expect(maps.locator('tbody tr').first()).toContainText('/srv/leakdemo/leakdemo');
  await expect(maps.locator('tbody tr', { hasText: 'libc.so.6' })).toContainText(/[0-9a-f]{40}/);
  await expect(body.locator('table', { hasText: 'Label keys' }).locator('tbody tr', { hasText: 'route' })).toContainText('string');
  expect(incidents).toEqual([]);
});

test('heap debug=1 text shows the runtime.MemStats table', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.debug1.txt');
  await expect(page.locator('#files li[data-name="heap_t1.debug1.txt"] .kind')).toHaveText('heap');
  await page.locator('#details summary').click();
  const ms = page.locator('table.memstats');
  await expect(ms).toBeVisible();
  await expect(ms.locator('tbody tr', { hasText: /^\s*HeapAlloc/ }).first()).toBeVisible();
});
