// Hostile names render as text in every view and no script runs; the page
// makes no request beyond its own assets during a whole session.
import { test, expect, drop, foreign, settled } from './fixtures.js';
import { encodeProfile } from './pprof-writer.js';

// "main." before the markup: pprof simplifies names that look like demangled
// C++ (they hold < or >) unless they hold ".<", as these do.
const IMG = 'main.<img src=x onerror=alert(1)>';
const SCRIPT = 'main.<script>alert(2)</script>';
const SVG = 'main.</svg><svg onload=alert(3)>';
const JS = 'javascript:alert(4)';

function hostileProfile() {
  return encodeProfile({
    sampleTypes: [['samples', 'count'], ['cpu', 'nanoseconds']],
    samples: [
      { stack: [IMG, SCRIPT, 'main.main'], values: [7, 70], labels: { [IMG]: SVG } },
      { stack: [JS, SVG, 'main.main'], values: [3, 30], labels: { route: SCRIPT } },
    ],
    comments: [SCRIPT, IMG],
    mappingFile: `/bin/${IMG}`,
  });
}

async function noMarkupFromProfile(page) {
  // nothing from the profile became an element
  expect(await page.locator('img, svg, iframe, object, embed').count()).toBe(0);
  expect(await page.evaluate(() => [...document.scripts].filter((s) => !s.src && s.type !== 'module').length)).toBe(0);
}

test('names holding markup render as text in every view, and no script runs', async ({ page, requests, baseURL, incidents }) => {
  await page.goto('/index.html');
  await drop(page, [{ name: `${IMG}.pb.gz`, bytes: hostileProfile() }]);
  // top
  const names = page.locator('table.top tbody tr.row td.name');
  await expect(names.first()).toBeVisible();
  const texts = await names.allTextContents();
  for (const n of [IMG, SCRIPT, SVG, JS]) expect(texts).toContain(n);
  await expect(page.locator('#files li .show')).toHaveText(`${IMG}.pb.gz`);
  await noMarkupFromProfile(page);
  // the menu title
  await names.filter({ hasText: IMG }).click({ button: 'right' });
  await expect(page.locator('#menu .menu-title')).toHaveText(IMG);
  await page.keyboard.press('Escape');
  // flame graph: hover the hostile frame
  await settled(page, () => page.getByRole('tab', { name: 'Flame graph' }).click());
  const i = await page.evaluate((img) => {
    const d = window.profdrop.view().data();
    for (let b = 0; b < d.frame.length; b++) {
      const f = d.frame[b];
      if (d.name.text.slice(d.name.offsets[f], d.name.offsets[f + 1]) === img) return b;
    }
    return -1;
  }, IMG);
  expect(i).toBeGreaterThan(0);
  const r = await page.evaluate((b) => window.profdrop.view().rect(b), i);
  const box = await page.locator('canvas.flame').boundingBox();
  await page.mouse.move(box.x + r.x + r.w / 2, box.y + r.y + r.h / 2);
  await expect(page.locator('.tooltip .tip-name')).toHaveText(IMG);
  await page.locator('canvas.flame').click({ position: { x: r.x + r.w / 2, y: r.y + r.h / 2 } });
  await expect(page.locator('.crumbs .crumb.current')).toHaveAttribute('title', IMG);
  await noMarkupFromProfile(page);
  // call tree, inverted: the leaf functions first
  await settled(page, () => page.getByRole('tab', { name: 'Call tree' }).click());
  await settled(page, () => page.locator('#tree-inverted').check());
  await expect(page.locator('.tree li[role=treeitem] .name').first()).toHaveText(IMG);
  await noMarkupFromProfile(page);
  // peek
  await settled(page, () => page.getByRole('tab', { name: 'Peek' }).click());
  await expect(page.locator('table.peek caption')).toHaveText([IMG]);
  await expect(page.locator('table.peek tr.caller .name')).toHaveText([SCRIPT]);
  // details: comments, label keys, mapping file
  await page.locator('#details summary').click();
  const details = page.locator('#details-body');
  await expect(details.locator('table', { hasText: 'Comments' }).locator('td')).toHaveText([SCRIPT, IMG]);
  await expect(details.locator('table', { hasText: 'Label keys' })).toContainText(IMG);
  await expect(details.locator('table', { hasText: 'Mappings' })).toContainText(`/bin/${IMG}`);
  await noMarkupFromProfile(page);
  // the search box takes them as text too: in the Top table it keeps the one matching row
  await settled(page, () => page.getByRole('tab', { name: 'Top' }).click());
  await settled(page, async () => {
    await page.fill('#search', SCRIPT.replace(/[()]/g, '\\$&'));
    await page.press('#search', 'Enter');
  });
  await expect(page.locator('#search-status')).toHaveText('1 of 5 rows match');
  await expect(names).toHaveText([SCRIPT]);
  await noMarkupFromProfile(page);
  expect(incidents).toEqual([]);
  expect(foreign(requests, baseURL)).toEqual([]);
});

test('a whole session requests nothing but the page itself (index.html holds all of its code)', async ({ page, requests, baseURL, incidents }) => {
  await page.goto('/index.html');
  await page.getByRole('button', { name: 'Load example' }).click();
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  for (const tab of ['Flame graph', 'Call tree', 'Peek', 'Top']) {
    await settled(page, () => page.getByRole('tab', { name: tab }).click());
  }
  await settled(page, () => page.selectOption('#sample-type', 'alloc_objects'));
  await settled(page, () => page.locator('#files li[data-name="goroutine_t0.pb.gz"] button.show').click());
  await page.locator('#details summary').click();
  await settled(page, () => page.getByRole('tab', { name: 'Flame graph' }).click());
  expect(foreign(requests, baseURL)).toEqual([]);
  const paths = [...new Set(requests.filter((u) => u.startsWith(baseURL)).map((u) => new URL(u).pathname))].sort();
  expect(paths).toEqual(['/index.html']);
  expect(incidents).toEqual([]);
});

test('the page forbids connections in its Content-Security-Policy', async ({ page }) => {
  await page.goto('/index.html');
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("connect-src 'none'");
  expect(csp).toContain("default-src 'none'");
  // and it is enforced: a fetch from the page is refused
  const r = await page.evaluate(() => fetch('/index.html').then(() => 'fetched', (e) => `refused: ${e.message}`));
  expect(r).toMatch(/^refused/);
});
