// The Goroutines view: on goroutine_t1.debug2.txt its group counts equal the
// debug=1 counts of the same snapshot within 3% (read here from the text);
// the similarity levels, the expanded stack with "why not merged", the fold
// of expected background goroutines with its rules, the roll-up by creation
// site; profiles in any format; no request leaves the page.
import { test, expect, dropFixtures, foreign, settled, goFixture } from './fixtures.js';
import { readFileSync } from 'node:fs';

/** debug=1 text: `N @ addrs`, then `#\t0xADDR\tfunc+0xOFF\tfile:line`; key: functions without runtime frames. */
function debug1Counts(text) {
  const m = new Map();
  let total = 0;
  let cur = null;
  for (const line of text.split('\n').concat([''])) {
    const t = line.match(/^goroutine profile: total (\d+)/);
    const r = line.match(/^(\d+) @ /);
    if (t) total = Number(t[1]);
    else if (r) cur = { n: Number(r[1]), names: [] };
    else if (line.startsWith('#\t') && cur) {
      const fn = line.split('\t')[2].replace(/\+0x[0-9a-f]+$/, '');
      if (!fn.startsWith('runtime.')) cur.names.push(fn);
    } else if (!line.trim() && cur) {
      const k = cur.names.join('\n');
      m.set(k, (m.get(k) || 0) + cur.n);
      cur = null;
    }
  }
  return { total, m };
}

async function openGoroutines(page, file) {
  await page.goto('/index.html');
  await dropFixtures(page, file);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await settled(page, () => page.getByRole('tab', { name: 'Goroutines' }).click());
  await expect(page.locator('table.goroutines tbody tr.group').first()).toBeVisible();
}

/** The shown groups: count from the table, functions (leaf first, without runtime frames) from the view's data. */
async function shownGroups(page) {
  const counts = await page.locator('table.goroutines tbody tr.group td.count').allTextContents();
  const keys = await page.evaluate(() => window.profdrop.view().data().groups.map((g) => g.frames.map((f) => f.function).filter((f) => !f.startsWith('runtime.')).join('\n')));
  expect(counts.length).toBe(keys.length);
  const m = new Map();
  keys.forEach((k, i) => m.set(k, (m.get(k) || 0) + Number(counts[i])));
  return m;
}

test('goroutine_t1.debug2.txt: group counts equal the debug=1 counts of the snapshot within 3%', async ({ page, requests, baseURL, incidents }) => {
  await openGoroutines(page, 'goroutine_t1.debug2.txt');
  const want = debug1Counts(readFileSync(goFixture('goroutine_t1.debug1.txt'), 'utf8'));
  expect(want.total).toBe(5087);
  expect([...want.m.values()].reduce((a, b) => a + b, 0)).toBe(want.total);
  await expect(page.locator('.goroutines-summary')).toContainText('5089 goroutines in');
  const got = await shownGroups(page);
  const gt = [...got.values()].reduce((a, b) => a + b, 0);
  let compared = 0;
  for (const k of new Set([...got.keys(), ...want.m.keys()])) {
    const a = got.get(k) || 0;
    const b = want.m.get(k) || 0;
    if (a * 100 < gt && b * 100 < want.total) continue;
    compared++;
    expect(Math.abs(a - b), `${k.split('\n')[0]}: ${a} vs ${b}`).toBeLessThanOrEqual(0.03 * Math.max(a, b));
  }
  // idle server connections, readLoop, writeLoop at least
  expect(compared).toBeGreaterThanOrEqual(3);
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('similarity levels: exact splits at least as much as ignoring pointers, which splits at least as much as ignoring values', async ({ page }) => {
  await openGoroutines(page, 'goroutine_t1.debug2.txt');
  const groups = () => page.evaluate(() => window.profdrop.view().data().group_count);
  const pointers = await groups();
  await settled(page, () => page.selectOption('.goroutines-controls select.similarity', 'exact'));
  const exact = await groups();
  await settled(page, () => page.selectOption('.goroutines-controls select.similarity', 'args'));
  const args = await groups();
  expect(exact).toBeGreaterThanOrEqual(pointers);
  expect(pointers).toBeGreaterThanOrEqual(args);
  expect(exact).toBeGreaterThan(args);
  expect(await page.evaluate(() => location.hash)).toContain('similarity=args');
  await expect(page.locator('.goroutines-summary')).toContainText('similarity args');
});

test('a row expands to its stack with files and lines, and says why it did not merge', async ({ page }) => {
  await openGoroutines(page, 'goroutine_t1.debug2.txt');
  const row = page.locator('table.goroutines tbody tr.group').first();
  await row.locator('button.twisty').click();
  const detail = page.locator('table.goroutines tbody tr.group-detail').first();
  await expect(detail).toBeVisible();
  const first = await page.evaluate(() => window.profdrop.view().data().groups[0]);
  await expect(detail.locator('.goroutine-stack li').first()).toContainText(`${first.frames[0].file}:${first.frames[0].line}`);
  await expect(detail.locator('.not-merged')).toContainText(`Not merged with group #${first.not_merged.neighbour + 1}: ${first.not_merged.text}`);
  await expect(row.locator('button.twisty')).toHaveAttribute('aria-expanded', 'true');
});

test('expected background folds into one row, its rules listed; the creation-site roll-up adds up', async ({ page }) => {
  await openGoroutines(page, 'goroutine_t1.debug2.txt');
  const before = await page.evaluate(() => window.profdrop.view().data());
  await settled(page, () => page.locator('.goroutines-controls input.fold').check());
  const after = await page.evaluate(() => window.profdrop.view().data());
  expect(after.background.count).toBeGreaterThan(0);
  expect(after.groups.length + after.background.groups.length).toBe(before.groups.length);
  await expect(page.locator('section.background h3')).toContainText(`Expected background: ${after.background.count} goroutines`);
  await expect(page.locator('details.rules li')).toHaveCount(after.background_rules.length);
  const sum = (await page.locator('table.creators tbody td:first-child').allTextContents()).reduce((s, x) => s + Number(x), 0);
  expect(sum).toBe(before.total);
});

for (const file of ['goroutine_t1.pb.gz', 'goroutine_t1.debug1.txt']) {
  test(`${file}: groups by stack, counts add up to the total`, async ({ page, incidents }) => {
    await openGoroutines(page, file);
    const v = await page.evaluate(() => window.profdrop.view().data());
    expect(v.tracebacks).toBe(false);
    const counts = await page.locator('table.goroutines tbody tr.group td.count').allTextContents();
    expect(counts.reduce((s, x) => s + Number(x), 0)).toBe(v.total);
    await expect(page.locator('.notes')).toContainText('no per-goroutine records');
    expect(incidents).toEqual([]);
  });
}

test('a heap profile: the Goroutines view says it needs a goroutine profile', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await settled(page, () => page.getByRole('tab', { name: 'Goroutines' }).click());
  await expect(page.locator('.goroutines-summary')).toHaveText('The Goroutines view needs a goroutine profile (goroutine?debug=2 is best); this is a heap profile, and no goroutine profile is loaded: drop one.');
  await expect(page.locator('.view-error')).toBeHidden();
  await expect(page.locator('table.goroutines tbody tr')).toHaveCount(0);
});
