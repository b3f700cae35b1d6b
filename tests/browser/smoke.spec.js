import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { test, expect, goFixture, foreign, root } from './fixtures.js';

const reference = (name) => readFileSync(goFixture(name), 'utf8');

test('a dropped heap profile shows pprof\'s top output, and nothing leaves the origin', async ({ page, requests, baseURL }) => {
  await page.goto('/index.html');
  await page.setInputFiles('#file-input', goFixture('heap_t1.pb.gz'));
  await expect(page.locator('#report')).toContainText('Showing nodes accounting for');
  const text = await page.locator('#report').textContent();
  // The page renders with pprof's default nodefraction; compare with that reference.
  expect(text).toBe(reference('heap_t1.pb.gz.pprof_top_nodecount=1000000.txt'));
  expect(foreign(requests, baseURL)).toEqual([]);
});

test('a broken file shows its error beside it and the loaded profile keeps working', async ({ page }) => {
  await page.goto('/index.html');
  await page.setInputFiles('#file-input', goFixture('goroutine_t1.pb.gz'));
  await expect(page.locator('#report')).toContainText('runtime.gopark');
  await page.setInputFiles('#file-input', { name: 'cut.pb.gz', mimeType: 'application/gzip', buffer: readFileSync(goFixture('heap_t1.pb.gz')).subarray(0, 500) });
  await expect(page.locator('#files .error')).toContainText('cut.pb.gz: decompressing profile');
  await expect(page.locator('#report')).toContainText('runtime.gopark');
});

test('the single-file build works from file://', async ({ page }) => {
  await page.goto(pathToFileURL(join(root, 'dist/profdrop.html')).href);
  await page.setInputFiles('#file-input', goFixture('heap_t1.pb.gz'));
  await expect(page.locator('#report')).toContainText('bufio.NewReaderSize (inline)');
});
