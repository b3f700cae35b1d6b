// Defaults that think: the call graph opens with readable labels (the median
// label at least 10 px tall, measured from the drawn SVG), a goroutine
// comparison opens on the goroutine diff, the Goroutines tab on a heap
// profile shows the newest goroutine profile and says so, and a profile of
// another binary is never the default base (the offer says it left it out).
import { test, expect, drop, dropFixtures, settled, goFixture } from './fixtures.js';
import { encodeProfile, timeNanos } from './pprof-writer.js';
import { readFileSync } from 'node:fs';

/** The heights of the graph's node labels on screen, in CSS pixels. */
const labelHeights = (page) => page.locator('.graph-stage svg.graph').evaluate((svg) => [...svg.querySelectorAll('g.node text')]
  .map((t) => t.getBoundingClientRect().height).filter((x) => x > 0).sort((a, b) => a - b));

test('the call graph opens with labels at least 10 px tall (median), centred on the heaviest node; 0 fits', async ({ page, incidents }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await settled(page, () => page.getByRole('tab', { name: 'Call graph' }).click());
  await expect(page.locator('.graph-stage svg.graph g.node').first()).toBeAttached();
  const h = await labelHeights(page);
  const median = h[h.length >> 1];
  console.log(`call graph at open: ${h.length} labels, median ${median.toFixed(1)} px, ${h.filter((x) => x < 8).length} under 8 px`);
  expect(median).toBeGreaterThanOrEqual(10);
  // The heaviest node (largest flat) is in the middle of the stage.
  const heaviest = await page.evaluate(() => {
    const d = window.profdrop.view().data();
    let best = 0;
    for (let i = 1; i < d.flat.length; i++) if (Math.abs(d.flat[i]) > Math.abs(d.flat[best])) best = i;
    const g = document.querySelector(`.graph-stage g.node[data-i="${best}"]`).getBoundingClientRect();
    const s = document.querySelector('.graph-stage').getBoundingClientRect();
    return { dx: g.left + g.width / 2 - (s.left + s.width / 2), dy: g.top + g.height / 2 - (s.top + s.height / 2) };
  });
  expect(Math.abs(heaviest.dx)).toBeLessThan(2);
  expect(Math.abs(heaviest.dy)).toBeLessThan(2);
  // 0 fits the whole graph (smaller labels), as before.
  await page.locator('.graph-stage').focus();
  await page.keyboard.press('0');
  const fitted = await labelHeights(page);
  console.log(`call graph fitted ("0"): median ${fitted[fitted.length >> 1].toFixed(1)} px, ${fitted.filter((x) => x < 8).length} of ${fitted.length} under 8 px`);
  expect(fitted[fitted.length >> 1]).toBeLessThan(median);
  expect(incidents).toEqual([]);
});

test('a goroutine comparison opens on the goroutine diff (survivors, new, gone), its first sub-tab', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'goroutine_t0.pb.gz', 'goroutine_t1.pb.gz');
  await settled(page, () => page.locator('#compare-offer button.offer[data-kind="goroutine"]').click());
  await expect(page.locator('.compare-tabs [role=tab][aria-selected="true"]')).toHaveAttribute('data-sub', 'goroutines');
  await expect(page.locator('.compare-tabs [role=tab]').first()).toHaveAttribute('data-sub', 'goroutines');
  await expect(page.locator('.gdiff-view')).toBeVisible();
  expect(page.url()).not.toContain('compare=');
  // A heap comparison still opens on the diff table.
  await dropFixtures(page, 'heap_t0.pb.gz', 'heap_t1.pb.gz');
  await settled(page, () => page.locator('#compare-offer button.offer[data-kind="heap"]').click());
  await expect(page.locator('.compare-tabs [role=tab][aria-selected="true"]')).toHaveAttribute('data-sub', 'table');
});

test('the Goroutines tab on a heap profile shows the newest goroutine profile and says so; with none it says what to drop', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'goroutine_t0.pb.gz', 'goroutine_t1.pb.gz', 'heap_t0.pb.gz', 'heap_t1.pb.gz');
  await expect(page.locator('#files li.active')).toHaveAttribute('data-name', 'heap_t1.pb.gz');
  const n = await page.evaluate(() => history.length);
  await settled(page, () => page.getByRole('tab', { name: 'Goroutines' }).click());
  await expect(page.locator('#files li.active')).toHaveAttribute('data-name', 'goroutine_t1.pb.gz');
  await expect(page.locator('table.goroutines tbody tr.group').first()).toBeVisible();
  await expect(page.locator('.goroutines-summary .switched')).toContainText('goroutine_t1.pb.gz, the newest goroutine profile, instead of the heap profile heap_t1.pb.gz');
  // One step: the tab; the switch of file is its default, not another entry.
  expect(await page.evaluate(() => history.length)).toBe(n + 1);

  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  await settled(page, () => page.getByRole('tab', { name: 'Goroutines' }).click());
  await expect(page.locator('.goroutines-summary')).toContainText('no goroutine profile is loaded: drop one');
});

test('a profile of another binary is not paired by default, and the offer says it was left out', async ({ page }) => {
  const h0 = readFileSync(goFixture('heap_t0.pb.gz'));
  // Another program's heap profile, taken before both: by time alone it would be the base.
  const other = encodeProfile({
    sampleTypes: [['alloc_objects', 'count'], ['alloc_space', 'bytes'], ['inuse_objects', 'count'], ['inuse_space', 'bytes']],
    mappingFile: '/srv/other-service', timeNanos: Number(timeNanos(h0)) - 3_600_000_000_000,
    samples: [{ stack: ['main.other', 'main.main'], values: [1, 100, 1, 100] }],
  });
  await page.goto('/index.html');
  await drop(page, [{ name: 'other.pb.gz', bytes: other }]);
  await dropFixtures(page, 'heap_t0.pb.gz', 'heap_t1.pb.gz');
  const offer = page.locator('#compare-offer button.offer[data-kind="heap"]');
  await expect(offer).toHaveText('heap: heap_t0.pb.gz → heap_t1.pb.gz');
  await expect(page.locator('#compare-offer .offer-others')).toContainText('other.pb.gz: another binary, not paired');
  await settled(page, () => page.getByRole('tab', { name: 'Compare' }).click());
  await expect(page.locator('select.compare-base')).toHaveValue('heap_t0.pb.gz');
  await expect(page.locator('select.compare-target')).toHaveValue('heap_t1.pb.gz');
});
