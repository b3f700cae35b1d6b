// Peek: callers and callees of the selected function with pprof's -peek numbers.
import { test, expect, dropFixtures, reference, settled, parsePeek } from './fixtures.js';

test('peek at net/http.(*Transport).dialConn shows pprof\'s callers and callees', async ({ page, incidents }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await settled(page, () => page.getByRole('tab', { name: 'Peek' }).click());
  await expect(page.locator('.peek-body')).toContainText('Select a function');
  await settled(page, async () => {
    await page.fill('input[name=peek]', 'net/http.\\(\\*Transport\\).dialConn');
    await page.press('input[name=peek]', 'Enter');
  });
  const want = parsePeek(reference('heap_t1.pb.gz.pprof_peek=net_http.____Transport__.dialConn.txt'));
  expect(want.length).toBe(2);
  const tables = page.locator('table.peek');
  await expect(tables.locator('caption')).toHaveText(want.map((w) => w.name));
  for (const [i, w] of want.entries()) {
    const t = tables.nth(i);
    const rows = async (cls) => t.locator(`tr.${cls}`).evaluateAll((trs) => trs.map((tr) => [
      tr.cells[0].textContent, tr.cells[1].textContent, tr.querySelector('.name').firstChild.textContent]));
    expect(await rows('caller')).toEqual(w.callers);
    expect(await rows('callee')).toEqual(w.callees);
  }
  await expect(tables.nth(0).locator('tr.subject')).toContainText('1536.23kB (3.15%)');
  await expect(tables.nth(0).locator('tr.subject')).toContainText('16438.41kB (33.70%)');
  // a callee's name peeks at it
  await settled(page, () => tables.nth(0).getByRole('button', { name: 'net/http.(*Transport).dial', exact: true }).click());
  await expect(page.locator('table.peek caption')).toHaveText(['net/http.(*Transport).dial']);
  expect(incidents).toEqual([]);
});

test('a selected row in Top is what Peek shows', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'goroutine_t1.pb.gz');
  await page.locator('table.top tbody tr.row').filter({ hasText: 'net/http.(*persistConn).writeLoop' }).click();
  await settled(page, () => page.getByRole('tab', { name: 'Peek' }).click());
  await expect(page.locator('table.peek caption')).toHaveText(['net/http.(*persistConn).writeLoop']);
  // goroutine stacks start at the goroutine's function: no callers
  await expect(page.locator('table.peek tr.caller')).toHaveCount(0);
  await expect(page.locator('table.peek tr.callee .name')).toHaveText(['runtime.selectgo']);
  await expect(page.locator('table.peek tr.subject')).toContainText('1691 (33.23%)');
});
