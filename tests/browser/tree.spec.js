// Call tree: top-down and inverted, children loaded when opened, totals that
// add up, keyboard navigation.
import { test, expect, dropFixtures, settled } from './fixtures.js';

async function topMap(page) {
  return page.evaluate(() => {
    const d = window.profdrop.view().data();
    const s = (c, i) => c.text.slice(c.offsets[i], c.offsets[i + 1]);
    const m = {};
    for (let i = 0; i < d.rows; i++) m[s(d.name, i)] = { flat: s(d.flat_text, i), cum: s(d.cum_text, i) };
    return m;
  });
}

/** [total, self, children totals] of every open node, and of the root. */
function openSums(page) {
  return page.evaluate(() => {
    const out = [];
    const root = document.querySelector('ul.tree');
    const kids = (ul) => [...ul.querySelectorAll(':scope > li[role=treeitem]')].map((li) => Number(li.dataset.total));
    out.push([Number(root.dataset.total), Number(root.dataset.self), kids(root)]);
    for (const li of document.querySelectorAll('li[role=treeitem][aria-expanded=true]')) {
      const ul = li.querySelector(':scope > ul');
      if (ul && !ul.querySelector(':scope > li.more')) out.push([Number(li.dataset.total), Number(li.dataset.self), kids(ul)]);
    }
    return out;
  });
}

test('top-down: children load when opened and add up to their parent', async ({ page, incidents }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'goroutine_t1.pb.gz');
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await settled(page, () => page.getByRole('tab', { name: 'Call tree' }).click());
  const items = page.locator('.tree li[role=treeitem]');
  await expect(items.first()).toBeVisible();
  const before = await items.count();
  const id = await page.locator('.tree li[role=treeitem][aria-expanded=false]').first().getAttribute('data-node');
  const closed = page.locator(`.tree li[role=treeitem][data-node="${id}"]`);
  const level = Number(await closed.getAttribute('aria-level'));
  await closed.locator('.tree-row').click();
  await expect(closed).toHaveAttribute('aria-expanded', 'true');
  await expect(closed.locator(`li[aria-level="${level + 1}"]`).first()).toBeVisible();
  expect(await items.count()).toBeGreaterThan(before);
  const sums = await openSums(page);
  expect(sums.length).toBeGreaterThan(2);
  for (const [total, self, kids] of sums) expect(self + kids.reduce((a, b) => a + b, 0)).toBe(total);
  // the root holds the whole profile: pprof's total is 5089 goroutines, one of
  // them with an empty stack (the root's own value, or left out by the report)
  expect(Math.abs(sums[0][0] - 5089)).toBeLessThanOrEqual(1);
  expect(sums[0][0] - sums[0][1]).toBe(5088);
  expect(incidents).toEqual([]);
});

test('inverted: the first level holds each function\'s flat value', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  const top = await topMap(page);
  await settled(page, () => page.getByRole('tab', { name: 'Call tree' }).click());
  await settled(page, () => page.locator('#tree-inverted').check());
  await expect(page).toHaveURL(/inverted=1/);
  const rows = await page.locator('.tree > li[role=treeitem]').evaluateAll((lis) => lis.map((li) => [li.dataset.name, li.querySelector('.total').textContent]));
  let checked = 0;
  for (const [name, total] of rows) {
    if (top[name] && top[name].flat !== '0') { expect(total).toBe(top[name].flat); checked++; }
  }
  expect(checked).toBeGreaterThan(10);
  const sums = await openSums(page);
  for (const [total, self, kids] of sums) expect(self + kids.reduce((a, b) => a + b, 0)).toBe(total);
});

test('the tree is a keyboard tree: arrows move, Right opens, Left closes', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  await settled(page, () => page.getByRole('tab', { name: 'Call tree' }).click());
  const first = page.locator('.tree > li[role=treeitem]').first();
  await first.focus();
  await expect(first).toBeFocused();
  // the first row starts open (the heaviest path): close and reopen it
  await page.keyboard.press('ArrowLeft');
  await expect(first).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight');
  await expect(first).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowRight');
  const child = first.locator(':scope > ul > li[role=treeitem]').first();
  await expect(child).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  if (await child.getAttribute('aria-expanded') === 'true') await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(first).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('.tree li[role=treeitem]:focus')).toHaveCount(1);
});
