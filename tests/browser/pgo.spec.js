// The Export menu's PGO profile: the shown CPU profiles merged into
// default.pgo (gzipped pprof, as `go tool pprof -proto a b` writes it), read
// back by profdrop's CLI and by go tool pprof with the inputs' merged numbers
// (the latter half says so and does not run when `go` is absent); a heap
// profile is refused with the reason.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { test, expect, dropFixtures, cliTop, goFixture } from './fixtures.js';

test('Export › PGO profile merges the shown CPU profiles into default.pgo', async ({ page }, testInfo) => {
  await page.goto('/index.html#file=cpu_t0.pb.gz&file=cpu_t1.pb.gz');
  await dropFixtures(page, 'cpu_t0.pb.gz', 'cpu_t1.pb.gz');
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await page.getByRole('button', { name: 'Export ▾' }).click();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'PGO profile (default.pgo)' }).click()]);
  expect(dl.suggestedFilename()).toBe('default.pgo');
  const path = testInfo.outputPath('default.pgo');
  await dl.saveAs(path);
  expect([...readFileSync(path).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
  // Go 1.19 profiles carry no start lines: the page says the compiler would reject them.
  await expect(page.locator('.export-status')).toContainText('2 profiles merged');
  await expect(page.locator('.export-status')).toContainText('no function has a start line');
  const both = cliTop(['--nodefraction=0', goFixture('cpu_t0.pb.gz'), goFixture('cpu_t1.pb.gz')]);
  expect(cliTop(['--nodefraction=0', path])).toBe(both);
  expect(both).toContain('Total samples = 1.09s');
  const go = spawnSync('go', ['tool', 'pprof', '-top', '-nodefraction=0', path], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  if (go.error) {
    console.log('go is not on the PATH: the go tool pprof half of this test did not run');
    return;
  }
  expect(go.stdout).toBe(both);
});

test('Export › PGO profile refuses a heap profile with the reason', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await page.getByRole('button', { name: 'Export ▾' }).click();
  await page.getByRole('menuitem', { name: 'PGO profile (default.pgo)' }).click();
  await expect(page.locator('.export-status')).toContainText('could not export: heap_t1.pb.gz: not a CPU profile');
  await expect(page.locator('.export-status')).toContainText("Go's PGO takes CPU profiles");
});
