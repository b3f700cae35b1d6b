// The page as a workspace: with the four t0/t1 files dropped, the view
// starts near the top and fills most of the window at 1440×900, 1280×720
// and 800×1000 (the figures are printed for the README), the top finding's
// title is on that first screen, the drawer's state survives a reload, and
// every action (a compare button, a finding's stack link, a tab, a drop that
// fails) brings its result into the viewport.
import { test, expect, drop, dropFixtures, settled } from './fixtures.js';

const FOUR = ['heap_t0.pb.gz', 'heap_t1.pb.gz', 'goroutine_t0.pb.gz', 'goroutine_t1.pb.gz'];
const SIZES = [[1440, 900], [1280, 720], [800, 1000]];

/** Where the view sits in the window: its top (px), its share of the window's height, whether the page itself scrolls. */
function viewBox(page) {
  return page.evaluate(() => {
    const r = document.getElementById('view').getBoundingClientRect();
    return {
      top: Math.round(r.top), height: Math.round(Math.min(r.bottom, innerHeight) - Math.max(r.top, 0)), window: innerHeight,
      pageScrolls: document.scrollingElement.scrollHeight > innerHeight + 1,
    };
  });
}

/** True when the element's box is inside the viewport and the point at its top-left corner (inset) is the element itself or inside it (nothing lies over it). */
function inSight(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.top < 0 || r.top >= innerHeight || r.left < 0 || r.left >= innerWidth) return false;
    const x = Math.min(r.left + 8, innerWidth - 1);
    const y = Math.min(r.top + 8, innerHeight - 1);
    const at = document.elementFromPoint(x, y);
    return !!at && (el === at || el.contains(at));
  });
}

async function loadFour(page) {
  await page.goto('/index.html');
  await dropFixtures(page, ...FOUR);
  // (loading four files on a busy machine can take a while: the default 5 s is not a measure here)
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#findings-line .line-title')).toBeVisible();
}

for (const [w, hgt] of SIZES) {
  test(`at ${w}×${hgt} the view starts in the top quarter and gets at least 65% of the window; the top finding is on the first screen`, async ({ page, incidents }) => {
    await page.setViewportSize({ width: w, height: hgt });
    await loadFour(page);
    const b = await viewBox(page);
    // The figures for the README.
    console.log(`layout ${w}x${hgt}: view top ${b.top} px (${((100 * b.top) / b.window).toFixed(1)}%), view ${((100 * b.height) / b.window).toFixed(1)}% of the window`);
    expect(b.pageScrolls).toBe(false);
    expect(b.top).toBeLessThanOrEqual(0.25 * b.window);
    expect(b.height).toBeGreaterThanOrEqual(0.65 * b.window);
    const title = page.locator('#findings-line .line-title');
    await expect(title).toHaveText(await page.evaluate(() => window.profdrop.findings().findings[0].title));
    expect(await inSight(title)).toBe(true);
    await expect(page.locator('#findings-line .severity')).toHaveText('high');
    // The browser's tab says what it shows.
    await expect(page).toHaveTitle('goroutine_t1.pb.gz · Top — profdrop');
    expect(incidents).toEqual([]);
  });
}

test('the drawer is collapsible and stays as it was left across a reload; the findings line opens the full panel', async ({ page }) => {
  await loadFour(page);
  const toggle = page.locator('#drawer-toggle');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.locator('#files')).toBeVisible();
  const before = await viewBox(page);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(page.locator('#drawer')).toBeHidden();
  // The view takes the drawer's width.
  const wide = await page.locator('#view').evaluate((el) => el.getBoundingClientRect().width);
  expect(wide).toBeGreaterThan(1000);
  await page.reload();
  await dropFixtures(page, ...FOUR);
  // (loading four files on a busy machine can take a while: the default 5 s is not a measure here)
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#drawer-toggle')).toHaveAttribute('aria-expanded', 'false');
  await expect(page.locator('#drawer')).toBeHidden();
  expect((await viewBox(page)).top).toBe(before.top);
  // The one-line summary opens the drawer on the full findings.
  await page.locator('#findings-line button').click();
  await expect(page.locator('#drawer')).toBeVisible();
  await expect(page.locator('#findings .finding').first()).toBeVisible();
  expect(await inSight(page.locator('#findings h2'))).toBe(true);
  // The findings' own fold is remembered too.
  await page.locator('#findings .findings-head .twisty').click();
  await expect(page.locator('#findings-body')).toBeHidden();
  await page.reload();
  await dropFixtures(page, ...FOUR);
  await expect(page.locator('#findings-line .line-title')).toBeVisible();
  await expect(page.locator('#findings-body')).toBeHidden();
  await expect(page.locator('#drawer-toggle')).toHaveAttribute('aria-expanded', 'true');
});

for (const [w, hgt] of [[1280, 720], [800, 1000]]) {
  test(`at ${w}×${hgt} a compare button, a stack link and a tab bring their view into sight`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: hgt });
    await loadFour(page);
    const openDrawer = async () => {
      if (await page.locator('#drawer-toggle').getAttribute('aria-expanded') !== 'true') await page.locator('#drawer-toggle').click();
      await expect(page.locator('#drawer')).toBeVisible();
    };
    // The compare button (in the drawer, which lies over the view in a narrow window).
    await openDrawer();
    await settled(page, () => page.locator('#compare-offer button.offer[data-kind="goroutine"]').click());
    await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator('.compare-view')).toBeVisible();
    expect(await inSight(page.locator('#view'))).toBe(true);
    expect(await page.evaluate(() => document.getElementById('view').contains(document.activeElement))).toBe(true);
    // A finding's stack link: the Top table with the focus it applied, both in sight.
    await openDrawer();
    const link = page.locator('#findings .finding').first().locator('button.stack-link').first();
    await link.scrollIntoViewIfNeeded();
    await settled(page, () => link.click());
    await expect(page.getByRole('tab', { name: 'Top' })).toHaveAttribute('aria-selected', 'true');
    expect(await inSight(page.locator('#view'))).toBe(true);
    expect(await inSight(page.locator('#chips .chip.focus'))).toBe(true);
    expect(await page.evaluate(() => document.getElementById('view').contains(document.activeElement))).toBe(true);
    // A tab, with the drawer open.
    await openDrawer();
    await settled(page, () => page.getByRole('tab', { name: 'Flame graph' }).click());
    expect(await inSight(page.locator('canvas.flame'))).toBe(true);
  });
}

test('a dropped file that fails says so above the view, dismissible, while the flame graph is shown', async ({ page, incidents }) => {
  await page.setViewportSize({ width: 800, height: 1000 });
  await loadFour(page);
  await settled(page, () => page.getByRole('tab', { name: 'Flame graph' }).click());
  await drop(page, [{ name: 'broken.pb.gz', bytes: Buffer.from('this is not a profile at all\n') }]);
  const n = page.locator('#notices .notice');
  await expect(n).toHaveCount(1);
  await expect(n).toContainText('broken.pb.gz');
  await expect(n).toHaveAttribute('role', 'alert');
  expect(await inSight(n)).toBe(true);
  // The flame graph stays shown below it.
  expect(await inSight(page.locator('canvas.flame'))).toBe(true);
  await n.getByRole('button', { name: 'Dismiss' }).click();
  await expect(n).toHaveCount(0);
  expect(incidents.filter((x) => !x.startsWith('console:'))).toEqual([]);
});

test('Compare\'s sub-tabs stay the same elements across renders, so a click during a render is not lost', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t0.pb.gz', 'heap_t1.pb.gz');
  await expect(page.locator('#compare-offer button.offer[data-kind="heap"]')).toBeVisible({ timeout: 30_000 });
  await settled(page, () => page.locator('#compare-offer button.offer[data-kind="heap"]').click());
  const stacks = await page.locator('.compare-tabs [data-sub=stacks]').elementHandle();
  // Press the button, re-render the comparison (another nodefraction) before releasing it: the click still lands.
  const box = await stacks.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await settled(page, () => page.evaluate(() => {
    const input = document.getElementById('nodefraction');
    input.value = '0.01';
    input.dispatchEvent(new Event('change'));
  }));
  expect(await stacks.evaluate((el) => el.isConnected)).toBe(true);
  await settled(page, () => page.mouse.up());
  await expect(page.locator('.compare-tabs [data-sub=stacks]')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.stack-list.new h3')).toBeVisible();
});
