// Flame graph: it draws, its layout obeys pprof's geometric invariant, hover
// names a frame with its value, search reports the share of matching frames,
// zoom/breadcrumb/Escape and the arrow keys work, inlined frames are marked.
import { test, expect, dropFixtures, settled } from './fixtures.js';

/** Loads a fixture, reads its top table (name -> [cum, cum%]), then opens the flame graph. */
async function openFlame(page, file) {
  await page.goto('/index.html');
  await dropFixtures(page, file);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  const top = await page.evaluate(() => {
    const d = window.profdrop.view().data();
    const s = (c, i) => c.text.slice(c.offsets[i], c.offsets[i + 1]);
    const m = {};
    for (let i = 0; i < d.rows; i++) m[s(d.name, i)] = [s(d.cum_text, i), s(d.cum_pct, i)];
    return m;
  });
  await settled(page, () => page.getByRole('tab', { name: 'Flame graph' }).click());
  return top;
}

/** The layout columns as plain arrays, with frame names. */
function layout(page) {
  return page.evaluate(() => {
    const d = window.profdrop.view().data();
    const s = (c, i) => c.text.slice(c.offsets[i], c.offsets[i + 1]);
    const names = Array.from({ length: d.inline.length }, (_, f) => s(d.name, f));
    return {
      names, inline: Array.from(d.inline), frame: Array.from(d.frame), depth: Array.from(d.depth),
      parent: Array.from(d.parent), x: Array.from(d.x), width: Array.from(d.width), value: Array.from(d.value),
      self: Array.from(d.self), row_start: Array.from(d.row_start), node: Array.from(d.node), total: d.total,
    };
  });
}

test('the flame graph draws, DPR-aware', async ({ page, incidents }) => {
  await page.setViewportSize({ width: 1200, height: 800 });
  await openFlame(page, 'heap_t1.pb.gz');
  const canvas = page.locator('canvas.flame');
  await expect(canvas).toBeVisible();
  const painted = await canvas.evaluate((c) => {
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) n++;
    return { n, area: c.width * c.height, w: c.width, cssW: c.clientWidth };
  });
  expect(painted.n).toBeGreaterThan(painted.area / 10);
  expect(painted.w).toBe(Math.round(painted.cssW * (await page.evaluate(() => devicePixelRatio))));
  expect(incidents).toEqual([]);
});

test('at device pixel ratio 2 the canvas has twice the pixels', async ({ browser }) => {
  const context = await browser.newContext({ deviceScaleFactor: 2 });
  const page = await context.newPage();
  await openFlame(page, 'goroutine_t1.pb.gz');
  const c = await page.locator('canvas.flame').evaluate((c) => ({ w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight }));
  expect(c.w).toBe(Math.round(c.cw * 2));
  expect(c.h).toBe(Math.round(c.ch * 2));
  await context.close();
});

for (const file of ['heap_t1.pb.gz', 'goroutine_t1.pb.gz', 'cpu_t1.pb.gz']) {
  test(`${file}: every box lies inside its parent's span, one row below it`, async ({ page }) => {
    await openFlame(page, file);
    const l = await layout(page);
    expect(l.frame.length).toBeGreaterThan(20);
    expect(l.x[0]).toBe(0);
    expect(l.width[0]).toBe(l.value[0]);
    const childSum = new Array(l.frame.length).fill(0);
    for (let d = 0; d + 1 < l.row_start.length; d++) {
      for (let i = l.row_start[d]; i < l.row_start[d + 1]; i++) {
        expect(l.depth[i]).toBe(d);
        if (i > l.row_start[d]) expect(l.x[i - 1] + l.width[i - 1]).toBeLessThanOrEqual(l.x[i]);
        if (i === 0) continue;
        const p = l.parent[i];
        expect(l.depth[p] + 1).toBe(l.depth[i]);
        expect(l.x[i]).toBeGreaterThanOrEqual(l.x[p]);
        expect(l.x[i] + l.width[i]).toBeLessThanOrEqual(l.x[p] + l.width[p]);
        childSum[p] += l.width[i];
      }
    }
    // widths add up: children and self fill each box
    for (let i = 0; i < l.frame.length; i++) expect(childSum[i] + l.self[i]).toBe(l.width[i]);
  });
}

test('hover on a frame shows its name and value (the function\'s cum where it has one box)', async ({ page }) => {
  const top = await openFlame(page, 'heap_t1.pb.gz');
  const l = await layout(page);
  const count = {};
  for (const f of l.frame) count[l.names[f]] = (count[l.names[f]] || 0) + 1;
  // a wide frame of a function that occurs once, not the root
  let best = -1;
  for (let i = 1; i < l.frame.length; i++) {
    const n = l.names[l.frame[i]];
    if (count[n] === 1 && top[n] && (best < 0 || l.width[i] > l.width[best])) best = i;
  }
  expect(best).toBeGreaterThan(0);
  const name = l.names[l.frame[best]];
  const r = await page.evaluate((i) => window.profdrop.view().rect(i), best);
  const box = await page.locator('canvas.flame').boundingBox();
  await page.mouse.move(box.x + r.x + r.w / 2, box.y + r.y + r.h / 2);
  const tip = page.locator('.tooltip');
  await expect(tip).toBeVisible();
  await expect(tip.locator('.tip-name')).toHaveText(name);
  await expect(tip.locator('.tip-total')).toHaveText(top[name][0]);
  await expect(tip).toContainText(`${top[name][1]} of total`);
  await expect(tip).toContainText('of parent');
});

test('search for persistConn reports the share equal to that function\'s cum%', async ({ page }) => {
  const top = await openFlame(page, 'heap_t1.pb.gz');
  const readLoop = top['net/http.(*persistConn).readLoop'];
  expect(readLoop).toBeTruthy();
  await page.keyboard.press('/');
  await page.keyboard.type('persistConn');
  await page.keyboard.press('Enter');
  await expect(page.locator('#search-status .share')).toHaveText(readLoop[1]);
  await expect(page.locator('#search-status')).toContainText(readLoop[0]);
});

test('click zooms into a frame; the breadcrumb and Escape zoom out', async ({ page }) => {
  await openFlame(page, 'goroutine_t1.pb.gz');
  const l = await layout(page);
  const target = l.frame.findIndex((f, i) => l.depth[i] === 3 && l.width[i] < l.width[0] / 2 && l.width[i] > l.width[0] / 50);
  expect(target).toBeGreaterThan(0);
  const name = l.names[l.frame[target]];
  const r = await page.evaluate((i) => window.profdrop.view().rect(i), target);
  const box = await page.locator('canvas.flame').boundingBox();
  await settled(page, () => page.mouse.click(box.x + r.x + Math.min(r.w / 2, 20), box.y + r.y + r.h / 2));
  await expect(page.locator('.crumbs .crumb.current')).toHaveAttribute('title', name);
  await expect(page.locator('.crumbs .crumb')).toHaveCount(4);
  // the zoomed frame now spans the canvas
  const z = await page.evaluate(() => { const v = window.profdrop.view(); const d = v.data(); const i = d.node.indexOf(d.zoom); return [v.rect(i), document.querySelector('canvas.flame').clientWidth]; });
  expect(Math.abs(z[0].x)).toBeLessThan(1);
  expect(Math.abs(z[0].w - z[1])).toBeLessThan(1);
  await page.locator('canvas.flame').focus();
  await page.keyboard.press('Escape');
  await expect(page.locator('.crumbs .crumb')).toHaveCount(3);
  await page.locator('.crumbs button.crumb').first().click();
  await expect(page.locator('.crumbs .crumb')).toHaveCount(1);
  await expect(page.locator('.crumbs .crumb.current')).toHaveText('root');
});

test('arrow keys move between frames and Enter zooms', async ({ page }) => {
  await openFlame(page, 'heap_t1.pb.gz');
  const l = await layout(page);
  const canvas = page.locator('canvas.flame');
  await canvas.focus();
  await page.keyboard.press('ArrowDown');
  const first = l.frame.findIndex((f, i) => l.parent[i] === 0);
  await expect(page.locator('.flame-status')).toContainText(`${l.names[l.frame[first]]}`);
  await page.keyboard.press('ArrowDown');
  const second = l.frame.findIndex((f, i) => l.parent[i] === first);
  await expect(page.locator('.flame-status')).toContainText(l.names[l.frame[second]]);
  const siblings = l.frame.map((f, i) => i).filter((i) => l.depth[i] === l.depth[second]);
  if (siblings.length > 1) {
    await page.keyboard.press('ArrowRight');
    const next = siblings[siblings.indexOf(second) + 1];
    await expect(page.locator('.flame-status')).toContainText(`${l.names[l.frame[next]]}`);
    await page.keyboard.press('ArrowLeft');
  }
  await page.keyboard.press('ArrowUp');
  await expect(page.locator('.flame-status')).toContainText(l.names[l.frame[first]]);
  await page.keyboard.press('Enter');
  await expect(page.locator('.crumbs .crumb.current')).toHaveAttribute('title', l.names[l.frame[first]]);
});

test('inlined frames are kept and marked', async ({ page }) => {
  await openFlame(page, 'heap_t1.pb.gz');
  const l = await layout(page);
  const inl = l.frame.findIndex((f) => l.names[f] === 'bufio.NewReaderSize');
  expect(inl).toBeGreaterThan(0);
  expect(l.inline[l.frame[inl]]).toBe(1);
  // its caller (the function it was inlined into) is its parent box
  expect(l.names[l.frame[l.parent[inl]]]).toBe('net/http.(*Transport).dialConn');
  const r = await page.evaluate((i) => window.profdrop.view().rect(i), inl);
  const box = await page.locator('canvas.flame').boundingBox();
  await page.mouse.move(box.x + r.x + r.w / 2, box.y + r.y + r.h / 2);
  await expect(page.locator('.tooltip .tip-inline')).toHaveText('inlined into its caller');
});

test('colours are stable per package, across frames and profiles', async ({ page }) => {
  const pixel = (i) => page.evaluate((b) => {
    const v = window.profdrop.view();
    const r = v.rect(b);
    const c = document.querySelector('canvas.flame');
    const k = c.width / c.clientWidth;
    return Array.from(c.getContext('2d').getImageData(Math.round((Math.max(0, r.x) + 1.5) * k), Math.round((r.y + r.h - 1) * k), 1, 1).data);
  }, i);
  /** Wide, not inlined boxes of package `pkg` (by name prefix). */
  const boxes = async (prefix) => {
    const l = await layout(page);
    return l.frame.map((f, i) => i).filter((i) => l.names[l.frame[i]].startsWith(prefix) && !l.inline[l.frame[i]]
      && l.width[i] / l.width[0] > 0.02);
  };
  await openFlame(page, 'heap_t1.pb.gz');
  const http = await boxes('net/http.');
  const rt = await boxes('runtime.');
  expect(http.length).toBeGreaterThan(1);
  expect(rt.length).toBeGreaterThan(0);
  const c1 = await pixel(http[0]);
  expect(await pixel(http[1])).toEqual(c1);
  expect(await pixel(rt[0])).not.toEqual(c1);
  // another profile: net/http keeps its colour
  await openFlame(page, 'goroutine_t1.pb.gz');
  const http2 = await boxes('net/http.');
  expect(await pixel(http2[0])).toEqual(c1);
});
