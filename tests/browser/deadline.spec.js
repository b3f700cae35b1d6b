// The per-file decode deadline (issue 8): a file whose decoding outlasts it
// gets the engine Worker terminated and restarted; the files loaded before
// are loaded again into the new engine from the page's own File/Blob
// handles, so they stay loaded and shown with the same numbers; the slow
// file says which limit it hit and how to raise it, and a retry with a
// longer deadline loads it. The slow decode is a test-only stalled load
// (engine.js `takeStall`): it never answers, so the deadline passes on any
// machine, however fast or loaded; the retry is a small file with ten times
// the deadline.
import { test, expect, dropFixtures, topRows, parseTop, reference, settled } from './fixtures.js';

/** Drops a goroutine dump of `n` goroutines (about 160 bytes each), made in the page. */
function dropBigDump(page, name, n) {
  return page.evaluate(([name, n]) => {
    const parts = [];
    for (let i = 1; i <= n; i++) {
      parts.push(`goroutine ${i} [chan receive, 5 minutes]:\nmain.worker${i % 50}(0xc000123456)\n\t/app/main.go:${(i % 900) + 10} +0x1d\ncreated by main.start in goroutine 1\n\t/app/main.go:12 +0x45\n\n`);
    }
    const dt = new DataTransfer();
    dt.items.add(new File(parts, name));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, [name, n]);
}

test('a file over the decode deadline restarts the engine; the other files stay loaded; a retry with more time loads it', async ({ page, incidents }) => {
  await page.addInitScript(() => { globalThis.profdropTestHooks = { stallLoads: ['big.txt'] }; });
  // Workers the page starts and ends: the engine's, then (after the restart) a new one.
  const started = [];
  const closed = [];
  page.on('worker', (w) => { started.push(w); w.on('close', () => closed.push(w)); });
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  const heapTop = parseTop(reference('heap_t1.pb.gz.pprof_top_nodecount=1000000.txt'), 20);
  expect(await topRows(page)).toEqual(heapTop);
  // from now on a 2 s deadline (the address is read at each load)
  await page.evaluate(() => history.replaceState(null, '', `?decode_deadline=2${location.hash}`));
  // 2,000 goroutines whose first load stalls; the retry has 20 s
  await dropBigDump(page, 'big.txt', 2_000);
  const big = page.locator('#files li[data-name="big.txt"]');
  await expect(big.locator('.error')).toHaveText(
    'big.txt: decoding took longer than the 2 s per-file deadline, so the engine was restarted; the other files were loaded again. '
    + 'To allow more time, retry below or open the page with ?decode_deadline=SECONDS.', { timeout: 20_000 });
  await expect.poll(() => closed.length).toBe(1);
  expect(closed[0]).toBe(started[0]);
  expect(started).toHaveLength(2);
  // the heap profile was loaded again into the new engine, and every view still works on it
  await expect(page.locator('#files li[data-name="heap_t1.pb.gz"] button.show')).toHaveAttribute('aria-pressed', 'true');
  const stages = await page.evaluate(() => window.profdrop.stageLog.filter((x) => x[0] === 'heap_t1.pb.gz').map((x) => x[1]));
  expect(stages.filter((s) => s === 'reading')).toHaveLength(2);
  await expect(page.locator('.view-error')).toBeHidden();
  expect(await topRows(page)).toEqual(heapTop);
  await settled(page, () => page.getByRole('tab', { name: 'Flame graph' }).click());
  await expect(page.locator('.view-error')).toBeHidden();

  // the retry: ten times the time
  const retry = big.getByRole('button', { name: 'Retry with a 20 s deadline' });
  await retry.click();
  await expect(page.locator('#files li[data-name="big.txt"] button.show')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('#files li[data-name="big.txt"] .error')).toHaveCount(0);
  await settled(page, () => page.locator('#files li[data-name="big.txt"] button.show').click());
  await settled(page, () => page.getByRole('tab', { name: 'Top' }).click());
  await expect(page.locator('.labels')).toContainText('of 2000 total');
  expect(closed).toHaveLength(1);
  expect(started).toHaveLength(2);
  expect(incidents).toEqual([]);
});
