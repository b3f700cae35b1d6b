// Demangled names in the page (issue 20): a Go -race CPU profile holds the
// race runtime's mangled C++ names. The Top table, the flame graph and the
// call graph show them as go tool pprof does (`__tsan::SlotLock`), and the
// searches find a function by its shown name or by the system name it was
// demangled from (`_ZN6__tsan8SlotLockEPNS_11ThreadStateE`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { test, expect, drop, topRows, parseTop, root, settled } from './fixtures.js';

const dir = join(root, 'tests/fixtures/parity');
const FILE = 'go119-race.cpu.pprof';

/** What go tool pprof printed for `command` (tests/fixtures/parity/COMMANDS.tsv). */
function pprofOutput(command) {
  const line = readFileSync(join(dir, 'COMMANDS.tsv'), 'utf8').split('\n').find((l) => l.split('\t')[2] === command);
  expect(line, command).toBeTruthy();
  return gunzipSync(readFileSync(join(dir, `${line.split('\t')[0]}.stdout.gz`))).toString('utf8');
}

async function open(page) {
  await page.goto('/index.html');
  await drop(page, [{ name: FILE, bytes: readFileSync(join(dir, FILE)) }]);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
}

/** Types a search; the expectations after it wait for its result. */
async function search(page, text) {
  await page.locator('#search').fill(text);
  await page.locator('#search').press('Enter');
}

test('the Top table shows the demangled names, row for row as go tool pprof -top', async ({ page, incidents }) => {
  await open(page);
  const want = parseTop(pprofOutput(`go tool pprof -top ${FILE}`), 20);
  expect(want.map((r) => r[5])).toContain('__tsan::SlotLock');
  expect(await topRows(page, 20)).toEqual(want);
  expect(incidents).toEqual([]);
});

test('the Top search matches the shown name and the mangled system name alike', async ({ page }) => {
  await open(page);
  for (const q of ['^__tsan::SlotLock$', '^_ZN6__tsan8SlotLockEPNS_11ThreadStateE$']) {
    await search(page, q);
    await expect(page.locator('table.top tbody tr.row')).toHaveCount(1);
    await expect(page.locator('table.top tbody tr.row td.name')).toHaveText('__tsan::SlotLock');
  }
  // A pattern only the mangled names hold finds every demangled __tsan:: function, and no other.
  await search(page, '^_ZN6__tsan');
  const cells = page.locator('table.top tbody tr.row td.name');
  await expect.poll(async () => (await cells.allTextContents()).filter((n) => !n.startsWith('__tsan::'))).toEqual([]);
  expect(await cells.count()).toBeGreaterThan(3);
});

test('the flame graph draws the demangled names and its search finds them by the mangled name', async ({ page }) => {
  await open(page);
  const top = parseTop(pprofOutput(`go tool pprof -top ${FILE}`));
  const slotLock = top.find((r) => r[5] === '__tsan::SlotLock');
  await settled(page, () => page.getByRole('tab', { name: 'Flame graph' }).click());
  const names = await page.evaluate(() => {
    const d = window.profdrop.view().data();
    const s = (c, i) => c.text.slice(c.offsets[i], c.offsets[i + 1]);
    return Array.from({ length: d.inline.length }, (_, f) => s(d.name, f));
  });
  expect(names).toContain('__tsan::SlotLock');
  expect(names.filter((n) => n.startsWith('_Z'))).toEqual([]);
  await search(page, '_ZN6__tsan8SlotLock');
  // SlotLock is a leaf: the share of the samples through it is its cum% (= flat%).
  await expect(page.locator('#search-status .share')).toHaveText(slotLock[4]);
});

test('the call graph labels C++ nodes split at :: as pprof -dot does', async ({ page }) => {
  await open(page);
  await settled(page, () => page.getByRole('tab', { name: 'Call graph' }).click());
  await expect(page.locator('.graph-stage svg g.node[data-i]').first()).toBeVisible();
  const dot = pprofOutput(`go tool pprof -dot ${FILE}`);
  expect(dot).toContain('label="__tsan\\nSlotLock');
  // Each node's first two lines of text (nodes are named by the words they show).
  const lines = await page.locator('.graph-stage svg g.node[data-i]').evaluateAll(
    (gs) => gs.map((g) => [...g.querySelectorAll('text')].slice(0, 2).map((t) => t.textContent)));
  expect(lines.filter(([a, b]) => a === '__tsan' && b === 'SlotLock')).toHaveLength(1);
});
