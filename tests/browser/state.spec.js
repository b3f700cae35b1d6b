// State in the URL: the hash mirrors files, sample type, filters, view and
// selection; the back button undoes a step; a reload restores the view once
// the same files are dropped again. Tabs work from the keyboard.
import { test, expect, dropFixtures, topRows, parseTop, reference, settled } from './fixtures.js';

const ref = (f) => parseTop(reference(f), 20);
const DEFAULT = 'heap_t1.pb.gz.pprof_top_nodecount=1000000.txt';
const ALLOC = 'heap_t1.pb.gz.pprof_top_nodecount=1000000_sample_index=alloc_space.txt';

test('the hash follows the state; back and forward step through it', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  expect(await topRows(page)).toEqual(ref(DEFAULT));
  await expect(page).toHaveURL(/#file=heap_t1\.pb\.gz$/);
  await settled(page, () => page.selectOption('#sample-type', 'alloc_space'));
  await expect(page).toHaveURL(/sample_index=alloc_space/);
  expect(await topRows(page)).toEqual(ref(ALLOC));
  await settled(page, () => page.getByRole('tab', { name: 'Flame graph' }).click());
  await expect(page).toHaveURL(/view=flame/);
  await settled(page, () => page.goBack());
  await expect(page.getByRole('tab', { name: 'Top' })).toHaveAttribute('aria-selected', 'true');
  expect(await topRows(page)).toEqual(ref(ALLOC));
  await settled(page, () => page.goBack());
  await expect(page.locator('#sample-type')).toHaveValue('inuse_space');
  expect(await topRows(page)).toEqual(ref(DEFAULT));
  await settled(page, () => page.goForward());
  await expect(page.locator('#sample-type')).toHaveValue('alloc_space');
  expect(await topRows(page)).toEqual(ref(ALLOC));
});

test('a reload restores the state once the same file is dropped again', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await settled(page, () => page.selectOption('#sample-type', 'alloc_space'));
  await page.locator('table.top tbody tr.row').filter({ hasText: 'main.summarize' }).click();
  await expect(page).toHaveURL(/sel=main\.summarize/);
  await settled(page, () => page.getByRole('tab', { name: 'Call tree' }).click());
  const url = page.url();
  await page.reload();
  expect(page.url()).toBe(url);
  await expect(page.locator('#empty-hint')).toContainText('drop that file here to restore the view');
  await expect(page.locator('#empty-hint')).toContainText('heap_t1.pb.gz');
  await dropFixtures(page, 'heap_t1.pb.gz');
  await expect(page.getByRole('tab', { name: 'Call tree' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#sample-type')).toHaveValue('alloc_space');
  await expect(page.locator('.tree li[role=treeitem]').first()).toBeVisible();
  await settled(page, () => page.getByRole('tab', { name: 'Peek' }).click());
  await expect(page.locator('table.peek caption')).toHaveText(['main.summarize']);
  await settled(page, () => page.getByRole('tab', { name: 'Top' }).click());
  expect(await topRows(page)).toEqual(ref(ALLOC));
  await expect(page.locator('table.top tr.selected td.name')).toHaveText('main.summarize');
});

test('a different file keeps the view but not a sample type it lacks', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz', 'goroutine_t1.pb.gz');
  await expect(page.locator('#files li.active')).toHaveAttribute('data-name', 'goroutine_t1.pb.gz');
  await settled(page, () => page.locator('#files li[data-name="heap_t1.pb.gz"] button.show').click());
  await settled(page, () => page.selectOption('#sample-type', 'alloc_space'));
  await settled(page, () => page.locator('#files li[data-name="goroutine_t1.pb.gz"] button.show').click());
  await expect(page.locator('#sample-type')).toHaveValue('goroutine');
  expect(page.url()).not.toContain('sample_index');
  expect(await topRows(page)).toEqual(ref('goroutine_t1.pb.gz.pprof_top_nodecount=1000000.txt'));
});

test('tabs are reachable and switchable with the keyboard', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'goroutine_t1.pb.gz');
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await page.getByRole('tab', { name: 'Top' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Flame graph' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Flame graph' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('canvas.flame')).toBeVisible();
  await page.keyboard.press('End');
  await expect(page.getByRole('tab').last()).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab').last()).toBeFocused();
  await page.keyboard.press('Home');
  await expect(page.getByRole('tab', { name: 'Top' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('table.top')).toBeVisible();
});
