// Goroutine dumps of newer Go in the page: the rewritten Go 1.27 dump of
// tests/fixtures/godumps shows every goroutine (the `goroutine N [` headers,
// counted here from the text) and its header labels; a goroutineleak profile
// is named in the file list and its proven leak leads the findings; a Go
// execution trace gets its one-line message next to the file.
import { test, expect, drop, foreign, settled, root, cli } from './fixtures.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dumps = (name) => ({ name, bytes: readFileSync(join(root, 'tests/fixtures/godumps', name)) });
const headers = (text) => text.split('\n').filter((l) => /^\s*goroutine \d+ (\S+=\S+ )*\[/.test(l)).length;

test('a Go 1.27 dump: every goroutine and its header labels', async ({ page, requests, baseURL, incidents }) => {
  for (const name of ['leakdemo_t0.go127.debug2.txt', 'waits.go126.debug2.txt']) {
    const f = dumps(name);
    const want = headers(f.bytes.toString('utf8'));
    expect(want).toBeGreaterThan(200);
    await page.goto('/index.html');
    await drop(page, [f]);
    await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
    await settled(page, () => page.getByRole('tab', { name: 'Goroutines' }).click());
    await expect(page.locator('.goroutines-summary')).toContainText(`${want} goroutines in`);
    await expect(page.locator('table.goroutines')).toContainText('route=inventory');
  }
  expect(incidents).toEqual([]);
  expect(foreign(requests, baseURL)).toEqual([]);
});

test('a goroutineleak profile is named, and its proven leak comes first', async ({ page, incidents }) => {
  // The profile's total, from the CLI: every goroutine in it is a proven leak.
  const total = Number(cli('top', [join(root, 'tests/fixtures/godumps/goroutineleak.pb.gz')]).match(/of (\d+) total/)[1]);
  expect(total).toBe(40);
  await page.goto('/index.html');
  await drop(page, [dumps('goroutineleak.pb.gz')]);
  await expect(page.locator('#files li[data-name="goroutineleak.pb.gz"] .kind')).toHaveText('goroutine leaks (proven by the runtime)');
  const first = page.locator('#findings .finding').first();
  await expect(first).toHaveAttribute('data-rule', 'runtime-proven-leak');
  await expect(first.locator('.severity')).toHaveText('high');
  await expect(first.locator('dd[data-key="leaked_goroutines"]')).toHaveText(String(total));
  await expect(first).toContainText('40 at main.leakyFetch.func1');
  expect(incidents).toEqual([]);
});

test('a Go execution trace gets its message next to the file', async ({ page, incidents }) => {
  await page.goto('/index.html');
  const bytes = Buffer.concat([Buffer.from('go 1.22 trace\0\0\0'), Buffer.from([1, 2, 255, 0, 16])]);
  await drop(page, [{ name: 'trace.out', bytes }]);
  await expect(page.locator('#files li[data-name="trace.out"] .error'))
    .toContainText('this is a Go execution trace (go tool trace), not a profile; profdrop does not read traces yet');
  expect(incidents).toEqual([]);
});
