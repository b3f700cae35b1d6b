// The page's hardening (issue 8): every view, opened with real files, in
// the hosted folder and in the single file from file://, requests nothing
// outside the page; a profile whose function names, file names, label keys
// and values, mapping and comments hold markup shows it as text in every
// view (the call graph's SVG included) and in the SVG/PNG exports, and no
// dialog, script or CSP violation happens.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, expect, drop, foreign, settled, root } from './fixtures.js';
import { encodeProfile } from './pprof-writer.js';

// "main." before the markup: pprof simplifies names that look like demangled
// C++ (they hold < or >) unless they hold ".<", as these do.
const IMG = 'main.<img src=x onerror=alert(1)>';
const SCRIPT = 'main.<script>alert(2)</script>';
const SVG = 'main.</svg><svg onload=alert(3)>';
const JS = 'javascript:alert(4)';
const HOSTILE = [IMG, SCRIPT, SVG, JS];

function hostileProfile() {
  return encodeProfile({
    sampleTypes: [['samples', 'count'], ['cpu', 'nanoseconds']],
    samples: [
      { stack: [IMG, SCRIPT, 'main.main'], values: [7, 70], labels: { [IMG]: SVG, route: SCRIPT } },
      { stack: [JS, SVG, 'main.main'], values: [3, 30], labels: { route: JS } },
    ],
    comments: [SCRIPT, IMG],
    mappingFile: `/bin/${SVG}`,
  });
}

/** Every tab the page has (whatever views exist when this runs), clicked in turn; each must render without an error. */
async function visitEveryTab(page, check) {
  const names = await page.getByRole('tab').allTextContents();
  expect(names.length).toBeGreaterThanOrEqual(6);
  for (const name of names) {
    const tab = page.getByRole('tab', { name, exact: true });
    if (await tab.getAttribute('aria-selected') !== 'true') await settled(page, () => tab.click());
    await expect(page.locator('.view-error')).toBeHidden();
    if (check) await check(name);
  }
  return names;
}

/** Elements markup from a profile could have made, outside the graph's own cleaned SVG. */
async function injected(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('img, iframe, object, embed, script, svg, foreignObject, image, use')) {
      if (el.localName === 'script' && el.type === 'module') continue;
      if (el.localName === 'svg' && el.classList.contains('graph') && el.parentElement.classList.contains('graph-stage')) continue;
      if (el.closest('svg.graph') && el.localName !== 'svg') { out.push(`${el.localName} inside the graph`); continue; }
      out.push(el.outerHTML.slice(0, 80));
    }
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) if (/^on/i.test(a.name)) out.push(`${el.localName}[${a.name}]`);
    }
    return out;
  });
}

test('every view with real files requests nothing outside the page (hosted folder)', async ({ page, requests, baseURL, incidents }) => {
  await page.goto('/index.html');
  await page.getByRole('button', { name: 'Load example' }).click();
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  // a heap profile, then a goroutine profile, each through every view
  const seen = await visitEveryTab(page);
  expect(seen).toEqual(expect.arrayContaining(['Top', 'Flame graph', 'Call tree', 'Peek', 'Call graph', 'Tags']));
  await settled(page, () => page.locator('#files li[data-name="goroutine_t1.pb.gz"] button.show').click());
  await visitEveryTab(page);
  await page.locator('#details summary').click();
  await expect(page.locator('#details-body table').first()).toBeVisible();
  await settled(page, () => page.getByRole('tab', { name: 'Call graph' }).click());
  await expect(page.locator('.graph-stage svg g.node[data-i]').first()).toBeVisible();
  expect(foreign(requests, baseURL)).toEqual([]);
  const paths = [...new Set(requests.filter((u) => u.startsWith(baseURL)).map((u) => new URL(u).pathname))].sort();
  expect(paths).toEqual(['/index.html']);
  expect(incidents).toEqual([]);
});

test('every view in dist/profdrop.html from file:// requests nothing at all', async ({ page, requests, incidents }) => {
  const url = pathToFileURL(join(root, 'dist/profdrop.html')).href;
  await page.goto(url);
  await page.getByRole('button', { name: 'Load example' }).click();
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await visitEveryTab(page, async (name) => {
    if (name === 'Call graph') await expect(page.locator('.graph-stage svg g.node[data-i]').first()).toBeVisible();
  });
  expect(requests.filter((u) => u !== url && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
  expect(incidents).toEqual([]);
});

test('markup in names, files, labels, mapping and comments is text in every view, the graph and its exports; nothing runs', async ({ page, requests, baseURL, incidents }) => {
  await page.goto('/index.html');
  await drop(page, [{ name: `${IMG}.pb.gz`, bytes: hostileProfile() }]);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await visitEveryTab(page, async () => expect(await injected(page)).toEqual([]));

  // the call graph: names drawn as SVG text, hover names them exactly
  await settled(page, () => page.getByRole('tab', { name: 'Call graph' }).click());
  const texts = await page.locator('.graph-stage svg text').allTextContents();
  for (const s of HOSTILE) expect(texts.join('\n')).toContain(s);
  const names = await page.evaluate(() => {
    const d = window.profdrop.view().data();
    return [...d.ids].map((_, i) => d.name.text.slice(d.name.offsets[i], d.name.offsets[i + 1]));
  });
  expect(names).toEqual(expect.arrayContaining(HOSTILE));
  const g = page.locator(`.graph-stage svg g.node[data-i="${names.indexOf(SVG)}"]`);
  await g.evaluate((x) => x.setAttribute('data-hostile', '1'));
  // the whole graph in the stage (it opens zoomed to readable labels)
  await page.locator('.graph-stage').focus();
  await page.keyboard.press('0');
  await page.locator('.graph-stage svg g.node[data-hostile]').hover();
  await expect(page.locator('.graph-stage .tooltip .tip-name')).toHaveText(SVG);
  await page.locator('.graph-stage svg g.node[data-hostile]').click();
  await expect(page.locator('#menu .menu-title')).toHaveText(SVG);
  await page.keyboard.press('Escape');
  expect(g).toBeTruthy();
  expect(await injected(page)).toEqual([]);

  // file names: the graph by files (pprof draws base names: the ones without a slash are whole)
  await settled(page, () => page.selectOption('#granularity', 'files'));
  const fileTexts = (await page.locator('.graph-stage svg text').allTextContents()).join('\n');
  for (const s of [IMG, JS]) expect(fileTexts).toContain(`${s}.go`);
  // the mapping's file names the graph (its legend)
  expect(fileTexts).toContain('File: svg><svg onload=alert(3)>');
  expect(await injected(page)).toEqual([]);

  // exports: the SVG is well-formed, holds the names as escaped text, no script, no event attribute
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG' }).click()]);
  const svg = readFileSync(await svgDownload.path(), 'utf8');
  // (the names are there, escaped: "&lt;img src=x onerror=…" is text, not a tag)
  expect(svg).not.toMatch(/<(script|img|foreignObject|iframe|a)[\s>]|="javascript:/i);
  expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;.go');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      errors: doc.getElementsByTagName('parsererror').length,
      elements: [...new Set([...doc.getElementsByTagName('*')].map((e) => e.localName))].sort(),
      events: [...doc.getElementsByTagName('*')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
      text: [...doc.getElementsByTagName('text')].map((t) => t.textContent).join('\n'),
    };
  }, svg);
  expect(parsed.errors).toBe(0);
  expect(parsed.events).toEqual([]);
  for (const e of parsed.elements) expect(['g', 'path', 'polygon', 'svg', 'text', 'ellipse', 'polyline']).toContain(e);
  expect(parsed.text).toContain(`${IMG}.go`);
  const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PNG' }).click()]);
  const png = readFileSync(await pngDownload.path());
  expect(png.subarray(1, 4).toString()).toBe('PNG');

  // tags: hostile keys and values are text; a click makes a chip of text
  await settled(page, () => page.selectOption('#granularity', 'functions'));
  await settled(page, () => page.getByRole('tab', { name: 'Tags' }).click());
  await expect(page.locator('table.tags caption .tag-key')).toHaveText([IMG, 'route']);
  await expect(page.locator('table.tags').first().locator('.tag-value')).toHaveText([SVG]);
  await expect(page.locator('table.tags').nth(1).locator('.tag-value')).toHaveText([SCRIPT, JS]);
  await settled(page, () => page.getByRole('button', { name: SCRIPT, exact: true }).click());
  await expect(page.locator('#chips .chip span')).toHaveText(['tagfocus=route=^main\\.<script>alert\\(2\\)</script>$']);
  await expect(page.locator('table.tags').nth(1).locator('.tag-value')).toHaveText([SCRIPT]);
  expect(await injected(page)).toEqual([]);

  // details: comments and mapping
  await page.locator('#details summary').click();
  await expect(page.locator('#details-body table', { hasText: 'Comments' }).locator('td')).toHaveText([SCRIPT, IMG]);
  await expect(page.locator('#details-body table', { hasText: 'Mappings' })).toContainText(`/bin/${SVG}`);
  expect(await injected(page)).toEqual([]);
  expect(incidents).toEqual([]);
  expect(foreign(requests, baseURL)).toEqual([]);
});
