// One file that crashes or exhausts the engine never takes the others down
// (issue 19). The crashes are real and deterministic: these specs run the
// page's engine Worker built from www/worker.js with a test build of the
// crate (`--features test-trap`, scripts/build-test-engine.mjs; see
// crate/src/session/testhooks.rs), whose load panics for a file named
// profdrop-test-trap.txt, allocates until the allocator fails for
// profdrop-test-oom.txt, grows the memory by 256 MiB and fails for
// profdrop-test-grow.txt, and whose query panics for focus=profdrop-test-panic.
// Release builds (dist/) have no such code. The page is dist/ unchanged: an
// init script swaps the source of every engine Worker (named
// 'profdrop-engine') for the test build.
import { readFileSync } from 'node:fs';
import { test, expect, drop, dropFixtures, topRows, parseTop, reference, settled, goFixture } from './fixtures.js';
import { buildTestEngine, useTestEngine as use, engines } from './test-engine.js';

let source = '';
test.beforeAll(() => {
  test.setTimeout(600_000);
  source = buildTestEngine();
});
const useTestEngine = (page) => use(page, source);

const tiny = Buffer.from('goroutine 1 [running]:\nmain.main()\n');
/** Waits until `name` is loaded (the test engine, a debug build, compiles slowly on a busy machine). */
const loaded = (page, name) => expect(page.locator(`#files li[data-name="${name}"] button.show`)).toBeVisible({ timeout: 60_000 });
const fileError = (page, name) => page.locator(`#files li[data-name="${name}"] .error`);

test('a file that exhausts or crashes the engine: it says so in words, the engine restarts, the other files are loaded again with the same numbers', async ({ page, incidents }) => {
  await useTestEngine(page);
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t0.pb.gz', 'heap_t1.pb.gz');
  await loaded(page, 'heap_t1.pb.gz');
  const heapTop = parseTop(reference('heap_t1.pb.gz.pprof_top_nodecount=1000000.txt'), 20);
  expect(await topRows(page)).toEqual(heapTop);

  // out of memory: the allocator fails, Rust's wasm aborts (a trap with no panic)
  await page.evaluate(() => { window.__topBefore = window.profdrop.view(); });
  await drop(page, [{ name: 'profdrop-test-oom.txt', bytes: tiny }]);
  await expect(fileError(page, 'profdrop-test-oom.txt')).toHaveText(
    'the engine ran out of memory on profdrop-test-oom.txt; the other files were loaded again', { timeout: 30_000 });
  expect(await engines(page)).toEqual({ started: 2, ended: 1 });
  for (const name of ['heap_t0.pb.gz', 'heap_t1.pb.gz']) {
    await expect(page.locator(`#files li[data-name="${name}"] button.show`)).toBeVisible({ timeout: 30_000 });
    await expect(fileError(page, name)).toHaveCount(0);
  }
  const stages = await page.evaluate(() => window.profdrop.stageLog.filter((x) => x[0] === 'heap_t1.pb.gz').map((x) => x[1]));
  expect(stages.filter((s) => s === 'reading')).toHaveLength(2);
  // the view shows heap_t1 again, drawn by the new engine (a new table), with pprof's numbers
  await expect.poll(() => page.evaluate(() => {
    const v = window.profdrop.view();
    return v !== window.__topBefore && v.data() !== null;
  })).toBe(true);
  expect(await topRows(page)).toEqual(heapTop);

  // a panic: its message without the source position, never "panicked at /rustc/…"
  await drop(page, [{ name: 'profdrop-test-trap.txt', bytes: tiny }]);
  const trap = fileError(page, 'profdrop-test-trap.txt');
  await expect(trap).toHaveText('the engine failed on profdrop-test-trap.txt (deliberate panic for tests: profdrop-test-trap.txt); the other files were loaded again', { timeout: 30_000 });
  await expect(page.locator('#files')).not.toContainText('panicked at');
  expect(await engines(page)).toEqual({ started: 3, ended: 2 });

  // every view works on the files loaded again
  await expect(page.locator('#files li[data-name="heap_t1.pb.gz"] .stage')).toHaveCount(0, { timeout: 30_000 });
  for (const tab of ['Flame graph', 'Call tree', 'Tags', 'Top']) {
    await settled(page, () => page.getByRole('tab', { name: tab, exact: true }).click());
    await expect(page.locator('.view-error')).toBeHidden();
  }
  expect(await topRows(page)).toEqual(heapTop);
  await settled(page, () => page.locator('#files li[data-name="heap_t0.pb.gz"] button.show').click());
  expect(await topRows(page)).toEqual(parseTop(reference('heap_t0.pb.gz.pprof_top_nodecount=1000000.txt'), 20));
  expect(incidents).toEqual([]);
});

test('a failed load that grew the memory gets it returned: the engine restarts, the other files stay', async ({ page, incidents }) => {
  await useTestEngine(page);
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  await loaded(page, 'heap_t1.pb.gz');
  const heapTop = parseTop(reference('heap_t1.pb.gz.pprof_top_nodecount=1000000.txt'), 20);
  expect(await topRows(page)).toEqual(heapTop);
  const before = await page.evaluate(() => window.profdrop.memory());

  await drop(page, [{ name: 'profdrop-test-grow.txt', bytes: tiny }]);
  const error = fileError(page, 'profdrop-test-grow.txt');
  await expect(error).toContainText('deliberate failure for tests after growing memory', { timeout: 30_000 });
  await expect(error).toContainText('the engine was restarted to return the memory this file took; the other files were loaded again');
  expect(await engines(page)).toEqual({ started: 2, ended: 1 });
  await expect(page.locator('#files li[data-name="heap_t1.pb.gz"] button.show')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#files li[data-name="heap_t1.pb.gz"] .stage')).toHaveCount(0, { timeout: 30_000 });
  const after = await page.evaluate(() => window.profdrop.memory());
  // the 256 MiB the failed load took are gone with the old engine
  expect(after).toBeLessThan(before + (64 << 20));
  expect(await topRows(page)).toEqual(heapTop);
  expect(incidents).toEqual([]);
});

test('a view whose query crashes the engine: the view says so, the files are loaded again, the next view works', async ({ page, incidents }) => {
  await useTestEngine(page);
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  await loaded(page, 'heap_t1.pb.gz');
  const heapTop = parseTop(reference('heap_t1.pb.gz.pprof_top_nodecount=1000000.txt'), 20);
  expect(await topRows(page)).toEqual(heapTop);
  await settled(page, () => page.evaluate(() => { location.hash = `${location.hash}&focus=profdrop-test-panic`; }));
  const viewError = page.locator('.view-error');
  await expect(viewError).toContainText('the engine failed on the Top view of heap_t1.pb.gz (deliberate panic for tests in a query); the engine was restarted and the files loaded again');
  await expect(viewError).not.toContainText('panicked at');
  await expect(page.locator('table.top tbody tr.row')).toHaveCount(0);
  await expect(page.locator('#files li[data-name="heap_t1.pb.gz"] button.show')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#files li[data-name="heap_t1.pb.gz"] .stage')).toHaveCount(0, { timeout: 30_000 });
  expect(await engines(page)).toEqual({ started: 2, ended: 1 });
  // the next action (the filter removed) shows the numbers again
  await page.evaluate(() => { location.hash = location.hash.replace('&focus=profdrop-test-panic', ''); });
  expect(await topRows(page)).toEqual(heapTop);
  await expect(viewError).toBeHidden();
  expect(await engines(page)).toEqual({ started: 2, ended: 1 });
  expect(incidents).toEqual([]);
});

test('<profdrop-view>: one element that crashes the shared engine; every other element loads its own data again and shows the same numbers', async ({ page, incidents }) => {
  await useTestEngine(page);
  const b64 = (name) => readFileSync(goFixture(name)).toString('base64');
  const html = `<!doctype html><html><head><meta charset="utf-8"><script type="module" src="/embed.js"></script></head><body>
    <profdrop-view id="heap" src="/examples/heap_t1.pb.gz" view="top"></profdrop-view>
    <profdrop-view id="goroutine" view="top"><script type="application/octet-stream" data-encoding="base64" data-name="goroutine_t1.pb.gz">${b64('goroutine_t1.pb.gz')}</script></profdrop-view>
    <profdrop-view id="flame" src="/examples/heap_t1.pb.gz" view="flame"></profdrop-view>
    </body></html>`;
  await page.route('**/docs.html', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
  let fetches = 0;
  await page.route('**/examples/heap_t1.pb.gz', (route) => { fetches += 1; return route.fulfill({ body: readFileSync(goFixture('heap_t1.pb.gz')) }); });
  await page.goto('/docs.html');
  await expect(page.locator('profdrop-view[data-status="rendered"]')).toHaveCount(3, { timeout: 30_000 });
  const rows = (sel) => page.locator(`${sel} table.top tbody tr.row`).evaluateAll((trs) => trs.slice(0, 20).map((tr) => [...tr.cells].map((td) => td.textContent)));
  const heapTop = parseTop(reference('heap_t1.pb.gz.pprof_top_nodecount=1000000.txt'), 20);
  const goroutineTop = parseTop(reference('goroutine_t1.pb.gz.pprof_top_nodecount=1000000.txt'), 20);
  expect(await rows('#heap')).toEqual(heapTop);
  expect(await rows('#goroutine')).toEqual(goroutineTop);

  // an element added later whose inline file exhausts the engine
  await page.evaluate(() => {
    const el = document.createElement('profdrop-view');
    el.id = 'bomb';
    el.innerHTML = '<script type="application/octet-stream" data-encoding="base64" data-name="profdrop-test-oom.txt">Z29yb3V0aW5lIDEgW3J1bm5pbmddOgptYWluLm1haW4oKQo=</script>';
    document.body.append(el);
  });
  await expect(page.locator('#bomb .view-error')).toContainText('the engine ran out of memory on profdrop-test-oom.txt', { timeout: 30_000 });
  await expect(page.locator('#bomb')).toHaveAttribute('data-status', 'error');
  // the others loaded their own data into the new engine and show the same numbers
  await expect(page.locator('profdrop-view[data-status="rendered"]')).toHaveCount(3, { timeout: 30_000 });
  expect(await rows('#heap')).toEqual(heapTop);
  expect(await rows('#goroutine')).toEqual(goroutineTop);
  const boxes = await page.locator('#flame').evaluate((el) => el.view().data().frame.length);
  expect(boxes).toBeGreaterThan(10);
  for (const id of ['heap', 'goroutine', 'flame']) await expect(page.locator(`#${id} .view-error`)).toBeHidden();
  // one engine at a time; the file was fetched once (for both elements), never again
  expect(await engines(page)).toEqual({ started: 2, ended: 1 });
  expect(fetches).toBe(1);
  expect(incidents).toEqual([]);
});

test('a newer action drops the queries still waiting; a query past the deadline is reported and the reader can restart the engine', async ({ page, incidents }) => {
  await useTestEngine(page);
  // a 1 s query deadline; the stalled query never returns, so it is past any deadline whatever the machine's speed
  await page.goto('/index.html?query_deadline=1');
  await dropFixtures(page, 'heap_t1.pb.gz');
  await loaded(page, 'heap_t1.pb.gz');
  const heapTop = parseTop(reference('heap_t1.pb.gz.pprof_top_nodecount=1000000.txt'), 20);
  expect(await topRows(page)).toEqual(heapTop);
  const sent = () => page.evaluate(() => window.profdrop.sentLog.slice());
  const before = (await sent()).length;

  // the Top view's query stalls the engine (focus=profdrop-test-hang never returns)
  await page.evaluate(() => { location.hash = `${location.hash}&focus=profdrop-test-hang`; });
  await expect.poll(async () => (await sent()).slice(before)).toContain('top');
  // the reader moves on twice: to the flame graph, then back to Top without the filter
  await page.getByRole('tab', { name: 'Flame graph', exact: true }).click();
  await page.evaluate(() => { location.hash = location.hash.replace('&focus=profdrop-test-hang', '').replace('view=flame', 'view=top'); });
  // the engine is still on the stalled query: the page says so
  const notice = page.locator('.busy-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('The engine is still busy with an earlier query (top) after 1 s');
  // nothing was sent behind the stalled query: the flame graph's query was dropped before it went out
  const log = (await sent()).slice(before);
  const stalled = before + log.indexOf('top');
  expect(log.slice(log.indexOf('top') + 1)).toEqual([]);
  expect(await engines(page)).toEqual({ started: 1, ended: 0 });

  // restart: the file is loaded again (a fresh engine compiles its module first) and the newest view drawn with pprof's numbers
  await notice.getByRole('button', { name: 'Restart the engine' }).click();
  await expect(page.locator('#files li[data-name="heap_t1.pb.gz"] .stage')).toHaveCount(0, { timeout: 30_000 });
  expect(await topRows(page)).toEqual(heapTop);
  await expect(notice).toBeHidden();
  await expect(page.locator('.view-error')).toBeHidden();
  expect(await engines(page)).toEqual({ started: 2, ended: 1 });
  const after = (await sent()).slice(stalled + 1);
  expect(after).toContain('load');
  expect(after).not.toContain('flame');
  expect(incidents).toEqual([]);
});
