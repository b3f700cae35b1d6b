// The Graph view (issue 7): the engine's DOT equals the CLI's (and go tool
// pprof's), Graphviz (bundled, started from a Blob) draws every node with
// the label and weights the DOT gives it, a node's menu applies focus,
// hovering shows flat and cum from the engine's node list, the view's
// nodecount/edgefraction are pprof's, pan/zoom work, and the SVG/PNG exports
// download from the page itself. No request leaves the page.
import { readFileSync } from 'node:fs';
import { test, expect, dropFixtures, foreign, settled, cli, dotNodes, goFixture, reference } from './fixtures.js';

const HEAP = 'heap_t1.pb.gz';

/** Opens the Graph view on `file` and waits for the drawing. */
async function openGraph(page, file = HEAP) {
  await page.goto('/index.html');
  await dropFixtures(page, file);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await settled(page, () => page.getByRole('tab', { name: 'Call graph' }).click());
  await expect(page.locator('.graph-stage svg g.node[data-i]').first()).toBeVisible();
}

/** What the page drew: per drawn node, its DOT id, the text lines Graphviz drew, and the engine's node data. */
function drawnNodes(page) {
  return page.evaluate(() => {
    const v = window.profdrop.view();
    const d = v.data();
    const s = (col, i) => col.text.slice(col.offsets[i], col.offsets[i + 1]);
    return [...v.svg().querySelectorAll('g.node[data-i]')].map((g) => {
      const i = Number(g.getAttribute('data-i'));
      return {
        id: d.ids[i], texts: [...g.querySelectorAll('text')].map((t) => t.textContent),
        name: s(d.name, i), flat: s(d.flat_text, i), cum: s(d.cum_text, i), flatValue: d.flat[i], cumValue: d.cum[i],
      };
    });
  });
}

/** The flat and cum texts a pprof node label ends with: "X (p%)" and optionally "of Y (q%)". */
function labelWeights(lines) {
  const last = lines.slice(-2).join('\n');
  const flat = /(?:^|\n)([^\n(]+) \([^)]*\)(?:\nof |$)/.exec(last);
  const cum = /of ([^\s(]+) \(/.exec(last);
  const zero = /(?:^|\n)0 of ([^\s(]+)/.exec(last);
  if (zero) return { flat: '0', cum: zero[1] };
  return { flat: flat ? flat[1] : null, cum: cum ? cum[1] : flat ? flat[1] : null };
}

test('the heap graph: the same DOT as the CLI and go tool pprof, every node drawn with its names and weights', async ({ page, requests, baseURL, incidents }) => {
  // Graphviz's Worker starts only when the view first opens
  const workers = [];
  page.on('worker', (w) => workers.push(w));
  await page.goto('/index.html');
  await dropFixtures(page, HEAP);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  await settled(page, () => page.getByRole('tab', { name: 'Flame graph' }).click());
  expect(workers).toHaveLength(1);
  await settled(page, () => page.getByRole('tab', { name: 'Call graph' }).click());
  await expect(page.locator('.graph-stage svg g.node[data-i]').first()).toBeVisible();
  expect(workers).toHaveLength(2);
  const dot = await page.evaluate(() => window.profdrop.view().data().dot);
  const cliDot = cli('dot', [goFixture(HEAP)]);
  expect(dot).toBe(cliDot);
  expect(dot).toBe(reference(`${HEAP}.pprof_dot.txt`));

  const want = dotNodes(cliDot);
  expect(want.size).toBeGreaterThan(20);
  const drawn = await drawnNodes(page);
  // the node set
  expect(drawn.map((n) => n.id).sort((a, b) => a - b)).toEqual([...want.keys()].sort((a, b) => a - b));
  for (const n of drawn) {
    const w = want.get(n.id);
    // the names and weights Graphviz drew are the DOT label's lines
    expect(n.texts).toEqual(w.lines);
    // the engine's node list (what hover shows) names the same function with the same weights
    expect(n.name).toBe(w.name);
    const lw = labelWeights(w.lines);
    expect(n.flat === '0' && n.flatValue === 0 ? '0' : n.flat).toBe(lw.flat);
    expect(n.cum).toBe(lw.cum);
  }
  // residual edges are dotted, as pprof marks them
  const dotted = (cliDot.match(/^N\d+ -> N\d+ \[.*style="dotted"/gm) || []).length;
  expect(await page.locator('.graph-stage svg g.edge path[stroke-dasharray]').count()).toBe(dotted);

  // Graphviz came from the page's own bundle: nothing but the page (index.html, all of its code inline) was requested
  expect(foreign(requests, baseURL)).toEqual([]);
  const paths = [...new Set(requests.filter((u) => u.startsWith(baseURL)).map((u) => new URL(u).pathname))].sort();
  expect(paths).toEqual(['/index.html']);
  expect(incidents).toEqual([]);
});

test('hovering a node shows its flat and cum; clicking it offers focus, which the graph then shows', async ({ page, requests, baseURL, incidents }) => {
  await openGraph(page);
  const want = dotNodes(cli('dot', [goFixture(HEAP)]));
  const [id, node] = [...want].find(([, n]) => n.name === 'bufio.NewReaderSize');
  const i = await page.evaluate(() => {
    const d = window.profdrop.view().data();
    for (let k = 0; k < d.ids.length; k++) if (d.name.text.slice(d.name.offsets[k], d.name.offsets[k + 1]) === 'bufio.NewReaderSize') return k;
    return -1;
  });
  expect(i).toBeGreaterThanOrEqual(0);
  const g = page.locator(`.graph-stage svg g.node[data-i="${i}"]`);
  // The whole graph in the stage (it opens zoomed to readable labels).
  await page.locator('.graph-stage').focus();
  await page.keyboard.press('0');
  await g.hover();
  const tip = page.locator('.graph-stage .tooltip');
  await expect(tip.locator('.tip-name')).toHaveText('bufio.NewReaderSize');
  const lw = labelWeights(node.lines);
  await expect(tip).toContainText(`flat ${lw.flat} (`);
  await expect(tip).toContainText(`cum ${lw.cum} (`);
  expect(id).toBeGreaterThan(0);

  await g.click();
  await expect(page.locator('#menu .menu-title')).toHaveText('bufio.NewReaderSize');
  await settled(page, () => page.getByRole('menuitem', { name: 'Focus on', exact: true }).click());
  await expect(page.locator('#chips .chip')).toHaveText(['focus=^bufio\\.NewReaderSize$×']);
  expect(decodeURIComponent(new URL(page.url()).hash)).toContain('focus=^bufio\\.NewReaderSize$');
  const dot = await page.evaluate(() => window.profdrop.view().data().dot);
  expect(dot).toBe(cli('dot', ['--focus=^bufio\\.NewReaderSize$', goFixture(HEAP)]));
  const names = (await drawnNodes(page)).map((n) => n.name);
  expect(names).toContain('bufio.NewReaderSize');
  expect(names.length).toBeLessThan(want.size);
  // the back button undoes it
  await settled(page, () => page.goBack());
  await expect(page.locator('#chips .chip')).toHaveCount(0);
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('nodecount and edgefraction in the view are pprof\'s; the controls\' nodefraction applies too', async ({ page, incidents }) => {
  await openGraph(page);
  const dotNow = () => page.evaluate(() => window.profdrop.view().data().dot);
  await settled(page, async () => {
    await page.getByLabel('nodecount').fill('20');
    await page.getByLabel('nodecount').press('Enter');
  });
  expect(await dotNow()).toBe(reference(`${HEAP}.pprof_dot_nodecount=20.txt`));
  expect(await page.locator('.graph-stage svg g.node[data-i]').count()).toBe(dotNodes(await dotNow()).size);
  await settled(page, async () => {
    await page.getByLabel('edgefraction').fill('0.05');
    await page.getByLabel('edgefraction').press('Enter');
  });
  expect(await dotNow()).toBe(cli('dot', ['--nodecount=20', '--edgefraction=0.05', goFixture(HEAP)]));
  await settled(page, async () => {
    await page.locator('#nodefraction').fill('0.1');
    await page.locator('#nodefraction').press('Enter');
  });
  expect(await dotNow()).toBe(cli('dot', ['--nodecount=20', '--edgefraction=0.05', '--nodefraction=0.1', goFixture(HEAP)]));
  // an invalid value is refused and the last good one stays
  await page.getByLabel('nodecount').fill('-3');
  await page.getByLabel('nodecount').press('Enter');
  await expect(page.getByLabel('nodecount')).toHaveValue('20');
  expect(incidents).toEqual([]);
});

test('pan and zoom: wheel, drag, keys and buttons move the view box; Fit restores it', async ({ page, incidents }) => {
  await openGraph(page);
  const svg = page.locator('.graph-stage svg');
  const vb = async () => (await svg.getAttribute('viewBox')).split(' ').map(Number);
  // It opens zoomed in, for readable labels; 0 fits the whole graph.
  const opened = await vb();
  await page.locator('.graph-stage').focus();
  await page.keyboard.press('0');
  const fit = await vb();
  expect(opened[2]).toBeLessThan(fit[2]);
  const box = await page.locator('.graph-stage').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -400);
  const zoomed = await vb();
  expect(zoomed[2]).toBeLessThan(fit[2]);
  // drag on empty space pans
  await page.mouse.move(box.x + 5, box.y + 5);
  await page.mouse.down();
  await page.mouse.move(box.x + 105, box.y + 65, { steps: 5 });
  await page.mouse.up();
  const panned = await vb();
  expect(panned[0]).toBeLessThan(zoomed[0]);
  expect(panned[1]).toBeLessThan(zoomed[1]);
  expect(panned[2]).toBeCloseTo(zoomed[2]);
  await expect(page.locator('#menu')).toBeHidden();
  // keyboard: 0 fits, + zooms in, arrows pan
  await page.locator('.graph-stage').focus();
  await page.keyboard.press('0');
  expect(await vb()).toEqual(fit);
  await page.keyboard.press('+');
  expect((await vb())[2]).toBeCloseTo(fit[2] / 1.25);
  const before = await vb();
  await page.keyboard.press('ArrowRight');
  expect((await vb())[0]).toBeGreaterThan(before[0]);
  await page.getByRole('button', { name: 'Fit' }).click();
  expect(await vb()).toEqual(fit);
  await page.getByRole('button', { name: '−' }).click();
  expect((await vb())[2]).toBeCloseTo(fit[2] * 1.25);
  // Tab reaches the nodes; Enter opens the node's menu
  await page.keyboard.press('0');
  await page.locator('.graph-stage svg g.node[data-i]').first().focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#menu')).toBeVisible();
  await page.keyboard.press('Escape');
  expect(incidents).toEqual([]);
});

test('the graph exports as SVG and PNG, made in the page', async ({ page, requests, baseURL, incidents }) => {
  await openGraph(page);
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG' }).click()]);
  expect(svgDownload.url()).toMatch(/^blob:/);
  expect(svgDownload.suggestedFilename()).toBe('profdrop-graph.svg');
  const svg = readFileSync(await svgDownload.path(), 'utf8');
  expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  // the exported drawing holds every node's label text
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { errors: doc.getElementsByTagName('parsererror').length, texts: [...doc.querySelectorAll('g.node text')].map((t) => t.textContent) };
  }, svg);
  expect(parsed.errors).toBe(0);
  const want = [...dotNodes(cli('dot', [goFixture(HEAP)])).values()].flatMap((n) => n.lines);
  for (const line of want) expect(parsed.texts).toContain(line);

  const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PNG' }).click()]);
  expect(pngDownload.url()).toMatch(/^blob:/);
  expect(pngDownload.suggestedFilename()).toBe('profdrop-graph.png');
  const png = readFileSync(await pngDownload.path());
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const dims = await page.evaluate(() => {
    const vb = window.profdrop.view().svgText().match(/viewBox="0 0 ([\d.]+) ([\d.]+)"/);
    return [Number(vb[1]), Number(vb[2])];
  });
  expect(width).toBe(Math.round(dims[0] * 2));
  expect(height).toBe(Math.round(dims[1] * 2));
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});
