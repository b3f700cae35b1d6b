// History that undoes: entering Compare is one entry and Back leaves it in
// one step; a flame zoom is in the address and in history; a sequence of
// steps (drop, focus, compare, view switch, zoom) is undone one Back at a
// time, ending on the loaded page; one more Back asks before it leaves the
// page (Stay keeps everything, Leave leaves).
import { test, expect, dropFixtures, settled } from './fixtures.js';

const FOUR = ['heap_t0.pb.gz', 'heap_t1.pb.gz', 'goroutine_t0.pb.gz', 'goroutine_t1.pb.gz'];

const historyLength = (page) => page.evaluate(() => history.length);
const shown = (page) => page.evaluate(() => window.profdrop.state());
/** Back without waiting for a load (the page handles its own entries). */
const back = (page) => settled(page, () => page.evaluate(() => history.back()));

async function loadFour(page) {
  await page.goto('/index.html');
  await dropFixtures(page, ...FOUR);
  // (loading four files on a busy machine can take a while: the default 5 s is not a measure here)
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible({ timeout: 30_000 });
}

/** Clicks the widest frame at depth 2 of the flame graph; returns its name. */
async function zoomIntoFrame(page) {
  const target = await page.evaluate(() => {
    const d = window.profdrop.view().data();
    let best = -1;
    for (let i = 0; i < d.frame.length; i++) if (d.depth[i] === 2 && (best < 0 || d.width[i] > d.width[best])) best = i;
    return best;
  });
  expect(target).toBeGreaterThan(0);
  const r = await page.evaluate((i) => window.profdrop.view().rect(i), target);
  const box = await page.locator('canvas.flame').boundingBox();
  await settled(page, () => page.mouse.click(box.x + r.x + Math.min(r.w / 2, 20), box.y + r.y + r.h / 2));
}

test('the Compare tab is one entry, and one Back leaves Compare', async ({ page }) => {
  await loadFour(page);
  const n = await historyLength(page);
  await settled(page, () => page.getByRole('tab', { name: 'Compare' }).click());
  await expect(page.locator('.compare-tabs [role=tab]').first()).toBeVisible();
  await expect(page).toHaveURL(/diff_base=|[&#]base=/);
  expect(await historyLength(page)).toBe(n + 1);
  await back(page);
  await expect(page.getByRole('tab', { name: 'Top' })).toHaveAttribute('aria-selected', 'true');
  expect((await shown(page)).params.diff_base).toBeUndefined();
  expect((await shown(page)).params.base).toBeUndefined();
  // The offer's button is one entry too.
  await settled(page, () => page.locator('#compare-offer button.offer[data-kind="heap"]').click());
  await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  expect(await historyLength(page)).toBe(n + 1);
  await back(page);
  await expect(page.getByRole('tab', { name: 'Top' })).toHaveAttribute('aria-selected', 'true');
});

test('a flame zoom is in the address and in history', async ({ page }) => {
  await loadFour(page);
  await settled(page, () => page.getByRole('tab', { name: 'Flame graph' }).click());
  await zoomIntoFrame(page);
  await expect(page).toHaveURL(/[#&]zoom=\d+/);
  await expect(page.locator('.crumbs .crumb')).toHaveCount(3);
  const zoomed = page.url();
  await back(page);
  await expect(page.locator('.crumbs .crumb')).toHaveCount(1);
  expect(page.url()).not.toMatch(/zoom=/);
  await settled(page, () => page.evaluate(() => history.forward()));
  await expect(page.locator('.crumbs .crumb')).toHaveCount(3);
  expect(page.url()).toBe(zoomed);
  // A filter starts the new call tree at its root.
  await settled(page, async () => {
    await page.locator('#filters input[name="hide"]').fill('^runtime\\.');
    await page.locator('#filters input[name="hide"]').press('Enter');
  });
  expect(page.url()).not.toMatch(/zoom=/);
  await expect(page.locator('.crumbs .crumb')).toHaveCount(1);
});

test('drop, focus, compare, view switch, zoom: Back undoes them one by one, then asks before leaving', async ({ page, incidents }) => {
  await loadFour(page);
  const loaded = page.url();
  // focus: a finding's stack link
  const link = page.locator('#findings .finding').first().locator('button.stack-link').first();
  await settled(page, () => link.click());
  await expect(page.locator('#chips .chip.focus')).toHaveCount(1);
  const focused = await shown(page);
  // compare: the goroutine offer
  await settled(page, () => page.locator('#compare-offer button.offer[data-kind="goroutine"]').click());
  await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  // view switch, then zoom
  await settled(page, () => page.locator('#tab-flame').click());
  await zoomIntoFrame(page);
  await expect(page).toHaveURL(/zoom=/);

  await back(page); // the zoom
  await expect(page.locator('.crumbs .crumb')).toHaveCount(1);
  expect((await shown(page)).view).toBe('flame');
  await back(page); // the view switch
  await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  await back(page); // the comparison
  await expect(page.getByRole('tab', { name: 'Top' })).toHaveAttribute('aria-selected', 'true');
  expect(await shown(page)).toEqual(focused);
  await back(page); // the focus
  await expect(page.locator('#chips .chip')).toHaveCount(0);
  expect(page.url()).toBe(loaded);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();

  // One more Back would leave the page and lose the files: the page asks.
  await page.evaluate(() => history.back());
  const dialog = page.locator('#leave');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('4 loaded files');
  await expect(dialog.getByRole('button', { name: 'Stay' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Stay' }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(loaded);
  await expect(page.locator('#files li')).toHaveCount(4);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  // Asked again, Leave leaves.
  await page.evaluate(() => history.back());
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Leave the page' }).click();
  await expect.poll(() => page.url()).toBe('about:blank');
  expect(incidents).toEqual([]);
});
