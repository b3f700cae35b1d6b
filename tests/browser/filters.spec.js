// Filters: the focus/ignore/hide/show/show_from/prune_from fields and the
// right-click menu apply pprof's filters, shown as removable chips, kept in
// the URL; the back button undoes a step; the table equals the CLI's.
// The numbers come from the engine's filters (transform/filter.rs).
import { test, expect, dropFixtures, topRows, parseTop, parseLabels, reference, cliTop, goFixture, settled } from './fixtures.js';

const FILE = 'goroutine_t1.pb.gz';

async function applyFilter(page, op, value) {
  await settled(page, async () => {
    await page.fill(`#filters input[name=${op}]`, value);
    await page.press(`#filters input[name=${op}]`, 'Enter');
  });
}

async function expectTop(page, cliArgs) {
  const out = cliTop([...cliArgs, goFixture(FILE)]);
  await expect(page.locator('.view-error')).toBeHidden();
  expect(await topRows(page, 20)).toEqual(parseTop(out, 20));
  expect((await page.locator('.labels').textContent()).split('\n')).toEqual(parseLabels(out));
}

test('focus=net/http then hide=runtime match `profdrop top` with the same options; back restores each table', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, FILE);
  const unfiltered = parseTop(reference(`${FILE}.pprof_top_nodecount=1000000.txt`), 20);
  expect(await topRows(page)).toEqual(unfiltered);
  await applyFilter(page, 'focus', 'net/http');
  await expectTop(page, ['--focus=net/http']);
  await applyFilter(page, 'hide', 'runtime');
  await expectTop(page, ['--focus=net/http', '--hide=runtime']);
  await settled(page, () => page.goBack());
  await expectTop(page, ['--focus=net/http']);
  await settled(page, () => page.goBack());
  expect(await topRows(page)).toEqual(unfiltered);
});

test('a filter that matches nothing says so', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, FILE);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await applyFilter(page, 'focus', 'no_such_function_xyz');
  await expect(page.locator('#messages')).toContainText('focus=no_such_function_xyz matched nothing');
});

test('right-click applies a filter as a chip kept in the URL; removing the chip restores the table', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, FILE);
  const unfiltered = parseTop(reference(`${FILE}.pprof_top_nodecount=1000000.txt`), 20);
  expect(await topRows(page)).toEqual(unfiltered);
  const row = page.locator('table.top tbody tr.row').filter({ hasText: 'net/http.(*persistConn).readLoop' });
  await row.click({ button: 'right' });
  const menu = page.getByRole('menu');
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Ignore' })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(menu).toBeHidden();
  const chip = page.locator('#chips li');
  await expect(chip).toHaveText(/focus=\^net\/http\\\.\\\(\\\*persistConn\\\)\\\.readLoop\$/);
  expect(decodeURIComponent(page.url())).toContain('focus=^net/http\\.\\(\\*persistConn\\)\\.readLoop$');
  await chip.getByRole('button').click();
  await expect(page.locator('#chips li')).toHaveCount(0);
  expect(page.url()).not.toContain('focus=');
  await expect(page.locator('.view-error')).toBeHidden();
  expect(await topRows(page)).toEqual(unfiltered);
});

test('the context-menu key opens the same menu on the selected row', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, FILE);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await page.locator('.scroller').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+F10');
  await expect(page.getByRole('menu')).toBeVisible();
  await expect(page.locator('#menu .menu-title')).toHaveText('runtime.gopark');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toBeHidden();
  await expect(page.locator('.scroller')).toBeFocused();
});
