// Sandwich: a function's callers (inverted, above) and callees (below) as
// flame graphs with its own flat and cum; the numbers are go tool pprof
// -peek's for the same function. Opened from the address, from any row's
// menu (mouse or keyboard); on a comparison both halves are differential.
import { test, expect, dropFixtures, reference, settled, parsePeek, cli } from './fixtures.js';

const DIAL = 'net/http.(*Transport).dialConn';
const DIAL_RE = 'net/http.\\(\\*Transport\\).dialConn';
const PEEK = 'heap_t1.pb.gz.pprof_peek=net_http.____Transport__.dialConn.txt';

/** pprof's percentage of `v` in `of` (2 decimals from 1% up, "100%" at the top). */
const pct = (v, of) => {
  const r = Math.abs(v / of) * 100;
  return r >= 99.95 && r <= 100.05 ? '100%' : `${r.toFixed(2)}%`;
};

/** One half's boxes one row below the function: [name, value], and the function's box value. */
function edges(page, side) {
  return page.evaluate((side) => {
    const d = window.profdrop.view()[side]().data();
    const name = (i) => d.name.text.slice(d.name.offsets[d.frame[i]], d.name.offsets[d.frame[i] + 1]);
    const f = [...d.frame.keys()].find((i) => d.depth[i] === 1);
    const out = [];
    for (let i = 0; i < d.frame.length; i++) if (d.parent[i] === f) out.push([name(i), d.value[i]]);
    return { name: name(f), value: d.value[f], root: d.value[0], edges: out, rows: d.row_start.length - 1 };
  }, side);
}

async function shown(page) {
  await page.waitForFunction(() => {
    const v = window.profdrop.view();
    return v && v.callees && v.callees() && v.callees().data() && v.callers().data();
  });
}

test('the sandwich of dialConn has pprof -peek\'s flat, cum, callers and callees', async ({ page, incidents }) => {
  await page.goto(`/index.html#view=sandwich&sandwich=${encodeURIComponent(DIAL_RE)}`);
  await dropFixtures(page, 'heap_t1.pb.gz');
  await shown(page);
  const want = parsePeek(reference(PEEK)).find((e) => e.name === DIAL);
  await expect(page.locator('.sandwich-name')).toHaveText(DIAL);
  await expect(page.locator('.sandwich-numbers')).toContainText('flat 1536.23kB (3.15%) · cum 16438.41kB (33.70%)');
  // The regexp matches dialConn and dialConnFor: both offered, the heavier cum first.
  await expect(page.locator('.sandwich-choice option')).toHaveCount(2);
  for (const [side, list] of [['callers', want.callers], ['callees', want.callees]]) {
    const got = await edges(page, side);
    expect(got.name).toBe(DIAL);
    expect(got.root).toBe(got.value);
    const rows = got.edges.map(([n, v]) => [pct(v, got.value), n]).sort();
    expect(rows).toEqual(list.map(([, p, n]) => [p, n]).sort());
  }
  // The callers half is drawn upside down: the function's row is the canvas's last.
  const callers = await edges(page, 'callers');
  const rect = await page.evaluate(() => {
    const c = window.profdrop.view().callers();
    return c.rect([...c.data().frame.keys()].find((i) => c.data().depth[i] === 1));
  });
  expect(rect.y).toBe((callers.rows - 2) * 18);
  expect(incidents).toEqual([]);
});

test('a row\'s menu opens the sandwich; the picker and the canvases work from the keyboard', async ({ page }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t1.pb.gz');
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  const row = page.locator('table.top tbody tr.row').filter({ hasText: 'bufio.NewReaderSize' });
  await row.click({ button: 'right' });
  await settled(page, () => page.getByRole('menuitem', { name: 'Sandwich: callers and callees as flame graphs' }).click());
  await shown(page);
  expect(decodeURIComponent(page.url())).toContain('view=sandwich');
  expect(decodeURIComponent(page.url())).toContain('sandwich=^bufio\\.NewReaderSize$');
  await expect(page.locator('.sandwich-name')).toHaveText('bufio.NewReaderSize');
  expect((await edges(page, 'callers')).edges.map((e) => e[0])).toContain(DIAL);

  // The picker: a regexp, Enter.
  const input = page.locator('input[name=sandwich]');
  await input.fill(DIAL_RE);
  await settled(page, () => input.press('Enter'));
  await shown(page);
  await expect(page.locator('.sandwich-name')).toHaveText(DIAL);
  // The other match, chosen from the list, is named exactly in the address.
  await settled(page, () => page.locator('.sandwich-choice').selectOption('net/http.(*Transport).dialConnFor'));
  await expect(page.locator('.sandwich-name')).toHaveText('net/http.(*Transport).dialConnFor');
  expect(decodeURIComponent(page.url())).toContain('sandwich=^net/http\\.\\(\\*Transport\\)\\.dialConnFor$');
  await settled(page, () => page.goBack());
  await expect(page.locator('.sandwich-name')).toHaveText(DIAL);

  // In the callers half, towards the callers is up.
  const canvas = page.locator('.sandwich-callers canvas.flame');
  await canvas.focus();
  await page.keyboard.press('ArrowUp');
  await expect(page.locator('.sandwich-callers .flame-status')).toContainText(`${DIAL}:`);
  await page.keyboard.press('ArrowUp');
  await expect(page.locator('.sandwich-callers .flame-status')).toContainText('net/http.(*Transport).dialConnFor:');
  const callees = page.locator('.sandwich-callees canvas.flame');
  await callees.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('.sandwich-callees .flame-status')).toContainText(/bufio\.NewReaderSize|bufio\.NewWriterSize|net\/http\.\(\*Transport\)\.dial/);
});

test('on a comparison both halves are differential, with each side\'s cum', async ({ page }) => {
  await page.goto(`/index.html#file=heap_t1.pb.gz&diff_base=heap_t0.pb.gz&view=sandwich&sandwich=${encodeURIComponent(`^${DIAL_RE}$`)}`);
  await dropFixtures(page, 'heap_t0.pb.gz', 'heap_t1.pb.gz');
  await shown(page);
  await page.waitForFunction(() => window.profdrop.view().callees().data().change);
  const d = await page.evaluate(() => {
    const v = window.profdrop.view();
    const out = {};
    for (const side of ['callers', 'callees']) {
      const x = v[side]().data();
      out[side] = { base: x.base[0], target: x.target[0], change: Array.from(x.change) };
    }
    out.cum = v.data().cum[v.data().chosen];
    return out;
  });
  const cumOf = (file) => {
    const p = parsePeek(cli('peek', [`--peek=^${DIAL_RE}$`, `tests/fixtures/go/${file}`]));
    const line = cli('peek', [`--peek=^${DIAL_RE}$`, `tests/fixtures/go/${file}`]).split('\n').find((l) => l.endsWith(`| ${DIAL}`));
    expect(p[0].name).toBe(DIAL);
    return line.trim().split(/\s+/)[3];
  };
  const kb = (v) => `${(v / 1024).toFixed(2)}kB`;
  for (const side of ['callers', 'callees']) {
    expect(kb(d[side].target)).toBe(cumOf('heap_t1.pb.gz'));
    expect(kb(d[side].base)).toBe(cumOf('heap_t0.pb.gz'));
    expect(d[side].change.some((c) => c !== 0)).toBe(true);
  }
  expect(d.callees.target).toBe(d.cum);
  await expect(page.locator('.sandwich-numbers')).toContainText('both halves show the comparison');
});
