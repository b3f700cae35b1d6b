// The transform stack in the page (www/breadcrumbs.js): the right-click menu
// adds steps, shown as chips in the order applied and kept in the address as
// one `tx=` key; Back undoes the last; a chip's × removes it. The numbers are
// go tool pprof's where pprof can say the same (tests/fixtures/go-transforms:
// drop = -ignore, merge = -hide, focus = -focus -show_from), else the CLI's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, dropFixtures, topRows, parseTop, reference, settled, cliTop, root } from './fixtures.js';

const golden = (name) => readFileSync(join(root, 'tests/fixtures/go-transforms', name), 'utf8');
const chips = (page) => page.locator('#tx-chips li');
const address = (page) => decodeURIComponent(new URL(page.url()).hash);

/** Right-clicks the top row named `name` and picks `item` from the menu. */
async function fromRow(page, name, item) {
  // The table draws only the rows in sight: the search box brings the row up.
  const exact = `^${name.replace(/[.*()[\]\\]/g, '\\$&')}$`;
  await page.fill('#search', exact);
  await page.press('#search', 'Enter');
  const row = page.locator('table.top tbody tr.row').filter({ has: page.locator('td', { hasText: new RegExp(exact) }) });
  await row.click({ button: 'right' });
  await page.fill('#search', '');
  await settled(page, async () => {
    await page.getByRole('menu').getByRole('menuitem', { name: item, exact: true }).click();
    await page.press('#search', 'Enter');
  });
}

test('steps from the menu stack up as chips in the address; Back undoes the last, × removes one', async ({ page, incidents }) => {
  await page.goto('/index.html#nodefraction=0');
  await dropFixtures(page, 'cpu_t1.pb.gz');
  const all = parseTop(reference('cpu_t1.pb.gz.pprof_top_nodecount=1000000_nodefraction=0.txt'), 20);
  expect(await topRows(page)).toEqual(all);
  await expect(chips(page)).toHaveCount(0);

  await fromRow(page, 'net/http.(*conn).serve', 'Focus on function (all its paths, merged)');
  await expect(chips(page)).toHaveText([/1\s*focus net\/http\.\(\*conn\)\.serve/]);
  expect(address(page)).toContain('tx=ff:net/http.(*conn).serve');
  const focused = parseTop(cliTop(['--nodefraction=0', '--transform=ff:net/http.(*conn).serve', 'tests/fixtures/go/cpu_t1.pb.gz']), 20);
  expect(await topRows(page)).toEqual(focused);
  // Nothing above the focused function is left.
  expect(focused.map((r) => r[5])).not.toContain('runtime.goexit');

  await fromRow(page, 'runtime.mallocgc', 'Drop samples through function');
  await expect(chips(page)).toHaveText([/1\s*focus net\/http/, /2\s*drop runtime\.mallocgc/]);
  expect(address(page)).toContain('tx=ff:net/http.(*conn).serve,df:runtime.mallocgc');
  // pprof: -focus=^net/http\.\(\*conn\)\.serve$ -show_from=(same) -ignore=^runtime\.mallocgc$
  expect(await topRows(page)).toEqual(parseTop(golden('ff-df-stacked.stdout'), 20));
  await expect(page.locator('.labels')).toContainText('Showing nodes accounting for 240ms, 47.06% of 510ms total');

  await settled(page, () => page.goBack());
  await expect(chips(page)).toHaveCount(1);
  expect(await topRows(page)).toEqual(focused);

  await settled(page, () => chips(page).first().getByRole('button').click());
  await expect(chips(page)).toHaveCount(0);
  expect(address(page)).not.toContain('tx=');
  expect(await topRows(page)).toEqual(all);
  expect(incidents).toEqual([]);
});

test('merge function and collapse package give pprof -hide\'s and the CLI\'s tables; totals are kept', async ({ page }) => {
  await page.goto('/index.html#nodefraction=0');
  await dropFixtures(page, 'cpu_t0.pb.gz');
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await fromRow(page, 'runtime.mallocgc', 'Merge function (its cost to its callers)');
  await expect(chips(page)).toHaveText([/merge runtime\.mallocgc/]);
  expect(await topRows(page)).toEqual(parseTop(golden('mf-mallocgc-top.stdout'), 20));
  // A merge keeps every sample: the rows still account for the whole total.
  await expect(page.locator('.labels')).toContainText('Showing nodes accounting for 580ms, 100% of 580ms total');
  const flat = await page.evaluate(() => Array.from(window.profdrop.view().data().flat).reduce((a, b) => a + b, 0));
  expect(flat).toBe(580e6);

  await settled(page, () => page.goBack());
  await fromRow(page, 'net/http.(*conn).serve', 'Collapse package net/http');
  await expect(chips(page)).toHaveText([/collapse net\/http/]);
  const want = parseTop(cliTop(['--nodefraction=0', '--transform=cp:net/http', 'tests/fixtures/go/cpu_t0.pb.gz']));
  expect(await topRows(page, 20)).toEqual(want.slice(0, 20));
  // Every row the table holds: net/http is one row, with the cum of net/http.(*conn).serve, its outermost frame.
  const names = await page.evaluate(() => {
    const d = window.profdrop.view().data();
    return Array.from({ length: d.rows }, (_, i) => d.name.text.slice(d.name.offsets[i], d.name.offsets[i + 1]));
  });
  expect(names).toEqual(want.map((r) => r[5].replace(/ \((partial-)?inline\)$/, '')));
  expect(want.filter((r) => r[5].startsWith('net/http'))).toEqual([['10ms', '1.72%', '72.41%', '490ms', '84.48%', 'net/http']]);
});

test('a flame frame\'s menu merges its call node; the other frames keep their values', async ({ page }) => {
  await page.goto('/index.html#view=flame');
  await dropFixtures(page, 'cpu_t0.pb.gz');
  await expect(page.locator('canvas.flame')).toBeVisible();
  await page.waitForFunction(() => window.profdrop.view() && window.profdrop.view().data());
  const find = () => page.evaluate(() => {
    const v = window.profdrop.view();
    const d = v.data();
    const names = Array.from(d.frame, (f) => d.name.text.slice(d.name.offsets[f], d.name.offsets[f + 1]));
    const at = names.findIndex((n, i) => n === 'net/http.serverHandler.ServeHTTP' && names[d.parent[i]] === 'net/http.(*conn).serve');
    const under = [];
    for (let i = 0; i < d.frame.length; i++) if (d.parent[i] === at) under.push([names[i], d.value[i]]);
    return { at, rect: at >= 0 ? v.rect(at) : null, root: d.value[0], under, parentOf: at >= 0 ? d.parent[at] : -1 };
  });
  const before = await find();
  expect(before.at).toBeGreaterThan(0);
  const box = await page.locator('canvas.flame').boundingBox();
  await page.mouse.click(box.x + before.rect.x + Math.min(5, before.rect.w / 2), box.y + before.rect.y + 5, { button: 'right' });
  await settled(page, () => page.getByRole('menu').getByRole('menuitem', { name: 'Merge this call node', exact: true }).click());
  await expect(chips(page)).toHaveText([/merge node net\/http\.\(\*conn\)\.serve › net\/http\.serverHandler\.ServeHTTP/]);
  expect(address(page)).toContain('tx=mcn:net/http.(*conn).serve;net/http.serverHandler.ServeHTTP');
  const after = await page.evaluate(() => {
    const d = window.profdrop.view().data();
    const name = (i) => d.name.text.slice(d.name.offsets[d.frame[i]], d.name.offsets[d.frame[i] + 1]);
    const serve = [...d.frame.keys()].filter((i) => name(i) === 'net/http.(*conn).serve');
    const kids = [];
    for (let i = 0; i < d.frame.length; i++) if (serve.includes(d.parent[i])) kids.push([name(i), d.value[i]]);
    return { root: d.value[0], kids };
  });
  expect(after.root).toBe(before.root);
  // The merged node's children now hang from its parent, with their values.
  for (const [name, value] of before.under) expect(after.kids).toContainEqual([name, value]);
  expect(after.kids.map((k) => k[0])).not.toContain('net/http.serverHandler.ServeHTTP');
});
