// A panic in the engine (issue 8): the page says "the engine stopped" with
// the panic's message and offers a reload, and no later call pretends to
// work. The trap is real: this spec runs the page's engine Worker built
// from www/worker.js with a test build of the crate (`--features
// test-trap`, scripts/build-test-engine.mjs), whose load panics for a file
// named profdrop-test-trap.txt; release builds (dist/) have no such code.
// The page itself is dist/ unchanged: an init script only swaps the source
// of the first Worker it starts (the engine's) for the test build.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test, expect, root, drop, dropFixtures, topRows, parseTop, reference, settled } from './fixtures.js';

let source = '';
test.beforeAll(() => {
  test.setTimeout(600_000);
  const r = spawnSync(process.execPath, [join(root, 'scripts/build-test-engine.mjs')], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the test engine failed:\n${r.stderr}`);
  source = readFileSync(join(root, 'target/test-engine/worker.js'), 'utf8');
});

test('a wasm panic stops the engine: the message and a reload are shown, and no later call pretends to work', async ({ page, incidents }) => {
  await page.addInitScript((src) => {
    const Native = window.Worker;
    let swapped = false;
    window.Worker = class extends Native {
      constructor(url, options) {
        if (!swapped) {
          swapped = true;
          url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
        }
        super(url, options);
      }
    };
  }, source);
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  const heapTop = parseTop(reference('heap_t1.pb.gz.pprof_top_nodecount=1000000.txt'), 20);
  expect(await topRows(page)).toEqual(heapTop);

  // the panic: the file says what stopped the engine, with the panic's own message
  await drop(page, [{ name: 'profdrop-test-trap.txt', bytes: Buffer.from('goroutine 1 [running]:\nmain.main()\n') }]);
  const error = page.locator('#files li[data-name="profdrop-test-trap.txt"] .error');
  await expect(error).toContainText('the engine stopped (an internal error in the engine:');
  await expect(error).toContainText('deliberate panic for tests: profdrop-test-trap.txt');
  await expect(error).toContainText('reload the page');

  // every later call is refused with the same words, in every view, with a Reload button
  const viewError = page.locator('.view-error');
  for (const tab of ['Flame graph', 'Call tree', 'Call graph', 'Tags', 'Top']) {
    await settled(page, () => page.getByRole('tab', { name: tab, exact: true }).click());
    await expect(viewError).toBeVisible();
    await expect(viewError).toContainText('the engine stopped (an internal error in the engine:');
    await expect(viewError.getByRole('button', { name: 'Reload' })).toBeVisible();
  }
  await expect(page.locator('canvas.flame, .graph-stage svg, table.tags')).toHaveCount(0);
  // a new file is refused too rather than half-loaded
  await dropFixtures(page, 'heap_t0.pb.gz');
  await expect(page.locator('#files li[data-name="heap_t0.pb.gz"] .error')).toContainText('the engine stopped (an internal error in the engine:');
  await expect(page.locator('#files li[data-name="heap_t0.pb.gz"] button.show')).toHaveCount(0);
  // and what was computed before the stop is not left on show as if current
  await expect(viewError).toContainText('the engine stopped (an internal error in the engine:');
  await expect(page.locator('table.top tbody tr.row')).toHaveCount(0);

  // Reload starts over with a working engine
  await Promise.all([page.waitForEvent('load'), viewError.getByRole('button', { name: 'Reload' }).click()]);
  await dropFixtures(page, 'heap_t1.pb.gz');
  expect(await topRows(page)).toEqual(heapTop);
  expect(incidents).toEqual([]);
});
