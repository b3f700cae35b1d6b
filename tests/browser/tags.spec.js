// The Tags view (issue 7): pprof's -tags in the page, value for value as the
// CLI and go tool pprof print it; clicking a value adds tagfocus=key=^value$
// as a chip (its "ignore" button tagignore), kept in the URL under pprof's
// names; every view then shows the filtered profile, as the CLI does.
import { test, expect, dropFixtures, topRows, parseTop, reference, cli, cliTop, goFixture, settled, foreign, parseTags } from './fixtures.js';

const CPU = 'cpu_t1.pb.gz';

/** The Tags view as pprof prints it: " key: Total X" then "  weight (pct): value" lines. */
async function shownTags(page) {
  const tables = page.locator('table.tags');
  await expect(tables.first()).toBeVisible();
  return tables.evaluateAll((ts) => ts.map((t) => ({
    caption: t.caption.textContent,
    rows: [...t.tBodies[0].rows].map((r) => [r.cells[0].textContent, r.cells[1].textContent, r.cells[2].textContent]),
  })));
}

test('tags equal pprof\'s -tags; a click focuses on a value, shown as a chip and kept in the URL', async ({ page, requests, baseURL, incidents }) => {
  await page.goto('/index.html');
  await dropFixtures(page, CPU);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await settled(page, () => page.getByRole('tab', { name: 'Tags' }).click());
  const want = parseTags(reference(`${CPU}.pprof_tags.txt`));
  expect(want.length).toBeGreaterThan(0);
  expect(parseTags(cli('tags', [goFixture(CPU)]))).toEqual(want);
  expect(await shownTags(page)).toEqual(want);

  // a value: tagfocus=route=^inventory$
  await settled(page, () => page.getByRole('button', { name: 'inventory', exact: true }).click());
  await expect(page.locator('#chips .chip')).toHaveText(['tagfocus=route=^inventory$×']);
  expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).getAll('tagfocus')).toEqual(['route=^inventory$']);
  expect(await shownTags(page)).toEqual(parseTags(cli('tags', ['--tagfocus=route=^inventory$', goFixture(CPU)])));
  // every view shows the filtered profile: the top table is go tool pprof's with the same tagfocus
  await settled(page, async () => {
    await page.locator('#nodefraction').fill('0');
    await page.locator('#nodefraction').press('Enter');
  });
  await settled(page, () => page.getByRole('tab', { name: 'Top' }).click());
  expect(await topRows(page, 50)).toEqual(parseTop(reference(`${CPU}.pprof_top_nodefraction=0_tagfocus=route=_inventory_.txt`), 50));

  // a second filter on the same key joins the first (pprof's key=re1,re2: either)
  await settled(page, () => page.getByRole('tab', { name: 'Tags' }).click());
  expect((await shownTags(page))[0].rows.map((r) => r[2])).toEqual(['inventory']);
  await settled(page, async () => {
    await page.fill('#filters input[name=tagfocus]', 'route=^inventory-pooled$');
    await page.press('#filters input[name=tagfocus]', 'Enter');
  });
  await expect(page.locator('#chips .chip')).toHaveText(['tagfocus=route=^inventory$×', 'tagfocus=route=^inventory-pooled$×']);
  expect(await shownTags(page)).toEqual(want);
  await settled(page, () => page.getByRole('tab', { name: 'Top' }).click());
  expect(await topRows(page, 50)).toEqual(parseTop(cliTop(['--nodefraction=0', '--tagfocus=route=^inventory$,^inventory-pooled$', goFixture(CPU)]), 50));
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('"ignore" adds tagignore; tag filters come back from the URL; one matching nothing is said so', async ({ page, incidents }) => {
  await page.goto('/index.html');
  await dropFixtures(page, CPU);
  await settled(page, () => page.getByRole('tab', { name: 'Tags' }).click());
  await settled(page, () => page.getByRole('button', { name: 'Ignore route=inventory-pooled' }).click());
  await expect(page.locator('#chips .chip')).toHaveText(['tagignore=route=^inventory-pooled$×']);
  expect(await shownTags(page)).toEqual(parseTags(cli('tags', ['--tagignore=route=^inventory-pooled$', goFixture(CPU)])));
  const hash = new URL(page.url()).hash;
  expect(new URLSearchParams(hash.slice(1)).get('tagignore')).toBe('route=^inventory-pooled$');

  // a new page with that address: the filter is back once the file is dropped
  await page.goto('/index.html');
  await page.goto(`/index.html${hash}`);
  await dropFixtures(page, CPU);
  await expect(page.locator('#chips .chip')).toHaveText(['tagignore=route=^inventory-pooled$×']);
  expect(await shownTags(page)).toEqual(parseTags(cli('tags', ['--tagignore=route=^inventory-pooled$', goFixture(CPU)])));

  // typed in the tagfocus field; matching nothing is reported, not shown as an empty page
  await settled(page, async () => {
    await page.fill('#filters input[name=tagfocus]', 'route=^nosuchroute$');
    await page.press('#filters input[name=tagfocus]', 'Enter');
  });
  await expect(page.locator('#messages')).toContainText('tagfocus=route=^nosuchroute$ matched nothing');
  expect(incidents).toEqual([]);
});
