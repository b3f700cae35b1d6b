// Comparing snapshots in the page: every -diff_base / -base / -normalize
// reference of go tool pprof (COMMANDS.tsv, chosen by rule) appears in the
// diff table after dropping the two files; the differential flame graph's
// readLoop frame is red with the CLI's numbers on hover; the debug=2 pair's
// survivors, new and gone equal counts read from the dumps' own text; kinds
// that differ give a message, not a diff; three snapshots give a growth
// table whose slopes this test recomputes; no request leaves the page.
import { test, expect, drop, dropFixtures, parseTop, parseLabels, reference, foreign, settled, goFixture, cli } from './fixtures.js';
import { rewriteProfile, timeNanos, encodeProfile } from './pprof-writer.js';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

/** `profdrop ARGS...` (the CLI cargo test builds). */
/** `profdrop REPORT ARGS...` (fixtures.js's cli, arguments spread). */
const profdrop = (report, ...args) => cli(report, args);

/** pprof -top rows by name: [flat, flat%, sum%, cum, cum%]. */
const rowsByName = (text) => new Map(parseTop(text).map((r) => [r[5].replace(/ \((partial-)?inline\)$/, ''), r]));

// The references: every `go tool pprof -top` command with a base, by rule.
const commands = readFileSync(goFixture('COMMANDS.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
const withBase = commands.filter(([, cmd]) => /\s-(diff_base|base)=|\s-normalize\b/.test(cmd));
const cases = withBase.filter(([, cmd]) => /\s-top\b/.test(cmd)).map(([ref, cmd]) => {
  const flag = (name) => { const m = cmd.match(new RegExp(`\\s-${name}=(\\S+)`)); return m ? m[1] : ''; };
  const args = cmd.split(/\s+/);
  return {
    ref,
    cmd,
    base: flag('diff_base') || flag('base'),
    target: args[args.length - 1],
    mode: /\s-normalize\b/.test(cmd) ? 'normalize' : flag('diff_base') ? 'diff_base' : 'base',
    sampleIndex: flag('sample_index'),
    nodefraction: flag('nodefraction'),
  };
});

test('the references with a base are found by rule; those that are not -top tables are graphs', () => {
  expect(cases.length).toBeGreaterThanOrEqual(14);
  // The rest draw a graph (-dot), which the CLI reproduces byte for byte; the page's tables cannot show it.
  for (const [, cmd] of withBase.filter(([, c]) => !/\s-top\b/.test(c))) expect(cmd).toMatch(/\s-dot\b/);
});

/** The diff table's first rows: pprof's columns [flat, flat%, sum%, cum, cum%, name (with the inline mark)]. */
function diffRows(page, n = 20) {
  return page.locator('table.diff tbody tr.row').evaluateAll((trs, n) => trs.slice(0, n).map((tr) => {
    const c = [...tr.cells];
    const name = c[c.length - 1];
    const text = [...name.childNodes].filter((x) => !(x.classList && x.classList.contains('presence'))).map((x) => x.textContent).join('');
    return [...c.slice(0, 5).map((td) => td.textContent), text];
  }), n);
}

/** Drops two files and opens their comparison from the offer above the views, on sub-view `sub` (goroutine dumps open on their own diff). */
async function openComparison(page, files, kind, sub = 'table') {
  await drop(page, files);
  const offer = page.locator(`#compare-offer button.offer[data-kind="${kind}"]`);
  await expect(offer).toBeVisible();
  await settled(page, () => offer.click());
  await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  const tab = page.locator(`.compare-tabs [data-sub=${sub}]`);
  await expect(tab).toBeVisible();
  if (await tab.getAttribute('aria-selected') !== 'true') await settled(page, () => tab.click());
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

const fixture = (name, lastModified) => ({ name, bytes: readFileSync(goFixture(name)), lastModified });

for (const c of cases) {
  test(`${c.cmd.replace('go tool pprof ', '')}: the first 20 rows are pprof's`, async ({ page, requests, baseURL, incidents }) => {
    await page.goto('/index.html');
    await openComparison(page, [fixture(c.base), fixture(c.target)], c.target.split('_')[0]);
    await expect(page.locator('table.diff tbody tr.row').first()).toBeVisible();
    // The pair the offer opened: the oldest as base.
    expect(await page.locator('.compare-base').inputValue()).toBe(c.base);
    expect(await page.locator('.compare-target').inputValue()).toBe(c.target);
    if (c.sampleIndex) await settled(page, () => page.selectOption('#sample-type', c.sampleIndex));
    if (!(await page.locator(`.compare-modes input[value="${c.mode}"]`).isChecked())) {
      await settled(page, () => page.locator(`.compare-modes input[value="${c.mode}"]`).check());
    }
    if (c.nodefraction) {
      await settled(page, async () => {
        await page.locator('#nodefraction').fill(c.nodefraction);
        await page.locator('#nodefraction').dispatchEvent('change');
      });
    }
    const state = await page.evaluate(() => window.profdrop.state());
    expect(state.params[c.mode === 'base' ? 'base' : 'diff_base']).toBe(c.base);
    const want = parseTop(reference(c.ref), 20);
    expect(want.length).toBeGreaterThan(0);
    expect(await diffRows(page, 20)).toEqual(want);
    expect((await page.locator('.diff-view .labels').textContent()).split('\n')).toEqual(parseLabels(reference(c.ref)));
    // Each row's sides: target − base is the diff pprof printed.
    const d = await page.evaluate(() => {
      const v = window.profdrop.view().sub().data();
      return { flat: Array.from(v.flat), base: Array.from(v.base_flat), target: Array.from(v.target_flat), presence: Array.from(v.presence) };
    });
    for (let i = 0; i < d.flat.length; i++) {
      if (c.mode !== 'normalize') expect(d.target[i] - d.base[i]).toBe(d.flat[i]);
      if (d.presence[i] === 1) expect(d.base[i]).toBe(0);
    }
    expect(foreign(requests, baseURL)).toEqual([]);
    expect(incidents).toEqual([]);
  });
}

test('the diff table re-sorts by delta, growth first, and marks new and gone functions', async ({ page, requests, baseURL, incidents }) => {
  await page.goto('/index.html');
  await openComparison(page, [fixture('heap_t0.pb.gz'), fixture('heap_t1.pb.gz')], 'heap');
  await expect(page.locator('table.diff tbody tr.row').first()).toBeVisible();
  await page.locator('table.diff button.sort[data-order="delta"]').click();
  await expect(page.locator('table.diff th:has(button[data-order="delta"])')).toHaveAttribute('aria-sort', 'descending');
  const deltas = await page.evaluate(() => {
    const v = window.profdrop.view().sub();
    return v.order().map((i) => v.data().flat[i]);
  });
  for (let i = 1; i < deltas.length; i++) expect(deltas[i - 1]).toBeGreaterThanOrEqual(deltas[i]);
  expect(deltas[0]).toBeGreaterThan(0);
  // new rows have nothing in the base, and say so
  const marks = await page.locator('table.diff tbody tr.row.new').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('.presence').textContent, tr.querySelector('td.base').textContent]));
  for (const [m, base] of marks) expect([m, base]).toEqual(['new', '0']);
  // a rate per minute, from the two profiles' times (t1 is 90 s after t0)
  await expect(page.locator('.compare-times')).toContainText('1.5 min apart');
  await expect(page.locator('.compare-totals')).toContainText('/min');
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('swapping base and target negates every delta', async ({ page }) => {
  await page.goto('/index.html');
  await openComparison(page, [fixture('goroutine_t0.pb.gz'), fixture('goroutine_t1.pb.gz')], 'goroutine');
  const read = () => page.evaluate(() => {
    const v = window.profdrop.view().sub().data();
    const s = (c, i) => c.text.slice(c.offsets[i], c.offsets[i + 1]);
    return Object.fromEntries(Array.from({ length: v.rows }, (_, i) => [s(v.name, i), v.flat[i]]));
  });
  const fwd = await read();
  await settled(page, () => page.locator('.compare-swap').click());
  expect(await page.locator('.compare-base').inputValue()).toBe('goroutine_t1.pb.gz');
  const back = await read();
  for (const [name, v] of Object.entries(fwd)) if (name in back) expect(back[name]).toBe(0 - v);
  expect(Object.keys(back).length).toBeGreaterThan(5);
});

test('differential flame graph: readLoop is red, its hover shows the CLI\'s base, target and delta', async ({ page, requests, baseURL, incidents }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/index.html');
  await openComparison(page, [fixture('goroutine_t0.pb.gz'), fixture('goroutine_t1.pb.gz')], 'goroutine');
  await settled(page, () => page.locator('.compare-tabs [data-sub=flame]').click());
  await expect(page.locator('.diff-legend')).toContainText('grew');
  const rl = 'net/http.(*persistConn).readLoop';
  const box = await page.evaluate((rl) => {
    const v = window.profdrop.view().sub();
    const d = v.data();
    const s = (c, i) => c.text.slice(c.offsets[i], c.offsets[i + 1]);
    const boxes = [];
    for (let i = 0; i < d.frame.length; i++) if (s(d.name, d.frame[i]) === rl) boxes.push(i);
    const i = boxes[0];
    return { count: boxes.length, change: d.change[i], base: d.base[i], target: d.target[i], rect: v.rect(i) };
  }, rl);
  expect(box.count).toBe(1);
  expect(box.change).toBeGreaterThan(0);
  // The CLI's numbers: each side's cum, and the diff's.
  const base = rowsByName(profdrop('top', goFixture('goroutine_t0.pb.gz'))).get(rl)[3];
  const target = rowsByName(profdrop('top', goFixture('goroutine_t1.pb.gz'))).get(rl)[3];
  const delta = rowsByName(profdrop('top', `--diff_base=${goFixture('goroutine_t0.pb.gz')}`, goFixture('goroutine_t1.pb.gz'))).get(rl)[3];
  expect([String(box.base), String(box.target)]).toEqual([base, target]);
  // red on the canvas: the pixel at the box's centre
  const canvas = page.locator('canvas.flame');
  const cx = box.rect.x + Math.min(box.rect.w, 400) / 2;
  const cy = box.rect.y + box.rect.h / 2;
  const px = await canvas.evaluate((c, [x, y]) => {
    const dpr = devicePixelRatio;
    return Array.from(c.getContext('2d').getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data);
  }, [cx, cy]);
  expect(px[0]).toBeGreaterThan(px[1] + 60);
  expect(px[0]).toBeGreaterThan(px[2] + 60);
  // hover
  const cb = await canvas.boundingBox();
  await page.mouse.move(cb.x + cx, cb.y + cy);
  const tip = page.locator('.tooltip');
  await expect(tip).toBeVisible();
  await expect(tip.locator('.tip-name')).toHaveText(rl);
  await expect(tip.locator('.tip-base')).toHaveText(`base ${base}`);
  await expect(tip.locator('.tip-target')).toHaveText(`target ${target}`);
  await expect(tip.locator('.tip-delta')).toHaveText(`delta ${delta}`);
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

/** A debug=2 dump read the simple way: id -> {state, wait, functions}. */
function readDump(text) {
  const out = new Map();
  let cur = null;
  for (const line of text.split('\n')) {
    const m = line.match(/^goroutine (\d+) \[([^\]]*)\]:$/);
    if (m) {
      cur = { functions: [] };
      out.set(Number(m[1]), cur);
    } else if (cur && line && !line.startsWith('\t') && !line.startsWith('created by ') && line.includes('(')) {
      cur.functions.push(line.slice(0, line.lastIndexOf('(')));
    }
  }
  return out;
}

test('debug=2 pair: readLoop and writeLoop survivors, new and gone equal the dumps\' goroutine ids', async ({ page, requests, baseURL, incidents }) => {
  await page.goto('/index.html');
  // The dumps carry no time: their files' dates (90 s apart, as when they were captured) stand in.
  const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
  await openComparison(page, [fixture('goroutine_t0.debug2.txt', t0), fixture('goroutine_t1.debug2.txt', t0 + 90_000)], 'goroutine');
  await expect(page.locator('.compare-times')).toContainText("(time from the file's date)");
  await expect(page.locator('.compare-times')).toContainText('1.5 min apart');
  await settled(page, () => page.locator('.compare-tabs [data-sub=goroutines]').click());
  await expect(page.locator('.gdiff-summary')).toContainText('By goroutine id');
  await expect(page.locator('.gdiff-summary')).toContainText("from the files' dates");
  const d0 = readDump(readFileSync(goFixture('goroutine_t0.debug2.txt'), 'utf8'));
  const d1 = readDump(readFileSync(goFixture('goroutine_t1.debug2.txt'), 'utf8'));
  expect([d0.size, d1.size]).toEqual([890, 5089]);
  // The rows as shown, with the functions of each row's group (the view's data, in the same order).
  const rows = await page.locator('table.gdiff tbody tr.group').evaluateAll((trs) => trs.map((tr) => ({
    survived: Number(tr.querySelector('td.survived').textContent),
    new: Number(tr.querySelector('td.new').textContent),
    gone: Number(tr.querySelector('td.gone').textContent),
    kept: tr.querySelector('td.kept').textContent,
  })));
  const groups = await page.evaluate(() => window.profdrop.view().sub().data().rows.map((r) => r.group.frames.map((f) => f.function)));
  expect(rows.length).toBe(groups.length);
  for (const f of ['net/http.(*persistConn).readLoop', 'net/http.(*persistConn).writeLoop']) {
    const before = [...d0].filter(([, g]) => g.functions.includes(f)).map(([id]) => id);
    const after = [...d1].filter(([, g]) => g.functions.includes(f)).map(([id]) => id);
    const want = {
      survived: after.filter((id) => d0.has(id)).length,
      new: after.filter((id) => !d0.has(id)).length,
      gone: before.filter((id) => !d1.has(id)).length,
    };
    expect(want.new).toBeGreaterThan(1000);
    const got = { survived: 0, new: 0, gone: 0 };
    rows.forEach((r, i) => {
      if (!groups[i].includes(f)) return;
      got.survived += r.survived;
      got.new += r.new;
      got.gone += r.gone;
    });
    expect(got, f).toEqual(want);
  }
  // Survivors that kept waiting through the interval come first.
  const kept = rows.map((r) => (r.kept === '–' ? 0 : Number(r.kept)));
  expect(kept[0]).toBeGreaterThan(0);
  for (let i = 1; i < kept.length; i++) expect(kept[i - 1]).toBeGreaterThanOrEqual(kept[i]);
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('a heap profile against a goroutine profile: a clear message, not a diff', async ({ page, requests, baseURL, incidents }) => {
  await page.goto('/index.html');
  await dropFixtures(page, 'heap_t0.pb.gz', 'goroutine_t1.pb.gz');
  await expect(page.locator('#files li')).toHaveCount(2);
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible();
  // different kinds: nothing is offered
  await expect(page.locator('#compare-offer')).toBeHidden();
  await settled(page, () => page.getByRole('tab', { name: 'Compare' }).click());
  await expect(page.locator('.compare-message')).toContainText('No two loaded profiles are of the same kind');
  await settled(page, () => page.selectOption('.compare-base', 'heap_t0.pb.gz'));
  await expect(page.locator('.compare-message')).toContainText('cannot compare a heap profile with a goroutine profile');
  await expect(page.locator('table.diff')).toHaveCount(0);
  await expect(page.locator('.compare-tabs')).toBeHidden();
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('three snapshots: the growth table\'s slopes are the least-squares slopes of the CLI\'s values', async ({ page, requests, baseURL, incidents }) => {
  // A third snapshot: t1 with every count doubled, 90 s after t1.
  const t0 = readFileSync(goFixture('goroutine_t0.pb.gz'));
  const t1 = readFileSync(goFixture('goroutine_t1.pb.gz'));
  const t2 = rewriteProfile(t1, { scale: 2, timeNanos: timeNanos(t1) + 90_000_000_000n });
  const dir = mkdtempSync(join(tmpdir(), 'profdrop-growth-'));
  writeFileSync(join(dir, 'goroutine_t2.pb.gz'), t2);
  const files = [['goroutine_t0.pb.gz', t0, goFixture('goroutine_t0.pb.gz')], ['goroutine_t1.pb.gz', t1, goFixture('goroutine_t1.pb.gz')],
    ['goroutine_t2.pb.gz', t2, join(dir, 'goroutine_t2.pb.gz')]];
  const minutes = files.map(([, b]) => Number(timeNanos(b) - timeNanos(t0)) / 60e9);

  await page.goto('/index.html');
  // dropped newest first: the page orders them by time
  await drop(page, files.slice().reverse().map(([name, bytes]) => ({ name, bytes })));
  const offer = page.locator('#compare-offer button.offer[data-kind="goroutine"]');
  await expect(offer).toContainText('3 snapshots');
  await settled(page, () => offer.click());
  await settled(page, () => page.locator('.compare-tabs [data-sub=growth]').click());
  await settled(page, () => page.locator('.growth-view button.sort[data-sort="cum"]').click());
  await expect(page.locator('table.growth tbody tr.row').first()).toBeVisible();
  const all = await page.locator('table.growth tbody tr.row').evaluateAll((trs) => trs.map((tr) => ({
    name: tr.querySelector('td.name').textContent,
    values: [...tr.querySelectorAll('td.value')].map((td) => td.textContent),
    slope: tr.querySelector('td.slope').textContent,
  })));
  // Each snapshot's cum per function, from the CLI; the slope recomputed here.
  const tops = files.map(([, , path]) => rowsByName(profdrop('top', '--nodefraction=0', path)));
  const slope = (ys) => {
    const n = ys.length;
    const mx = minutes.reduce((a, b) => a + b, 0) / n;
    const my = ys.reduce((a, b) => a + b, 0) / n;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) { sxy += (minutes[i] - mx) * (ys[i] - my); sxx += (minutes[i] - mx) ** 2; }
    return sxy / sxx;
  };
  // the 15 steepest, and the leak's own frame wherever it is
  const shown = all.slice(0, 15).concat(all.filter((r) => r.name === 'net/http.(*persistConn).readLoop'));
  expect(shown.length).toBe(16);
  let previous = Infinity;
  for (const [k, r] of shown.entries()) {
    const ys = tops.map((t) => (t.has(r.name) ? Number(t.get(r.name)[3]) : 0));
    expect(r.values, r.name).toEqual(ys.map(String));
    const s = slope(ys);
    if (k < 15) {
      expect(s).toBeLessThanOrEqual(previous + 1e-9);
      previous = s;
    }
    const m = r.slope.match(/^([+-]?[\d.]+)\/min$/);
    expect(m, r.slope).not.toBeNull();
    // one decimal under 100 a minute, whole numbers above
    expect(Math.abs(Number(m[1]) - s)).toBeLessThanOrEqual(Math.abs(s) < 100 ? 0.05 : 0.5);
  }
  // A limit: the projected time the total reaches it.
  await settled(page, async () => {
    await page.locator('.growth-view input.limit').fill('20000');
    await page.locator('.growth-view input.limit').press('Enter');
  });
  await expect(page.locator('.projection')).toContainText('reaches 20000 in about');
  const totals = tops.map((t, i) => files[i][2]).map((p) => Number(profdrop('top', p).match(/of (\d+) total/)[1]));
  const projected = await page.evaluate(() => window.profdrop.view().sub().data().minutes_to_limit);
  expect(Math.abs(projected - (20000 - totals[2]) / slope(totals))).toBeLessThan(1e-6);
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('a profile compared with a copy of itself: every delta is 0, no stack is new or gone', async ({ page, incidents }) => {
  await page.goto('/index.html');
  const bytes = readFileSync(goFixture('heap_t1.pb.gz'));
  await openComparison(page, [{ name: 'heap_t1.pb.gz', bytes }, { name: 'heap_t1-copy.pb.gz', bytes }], 'heap');
  // A heap profile has no duration: nothing prints an empty field as text.
  await expect(page.locator('#files li').first()).not.toContainText(/\b(null|false|undefined)\b/);
  // As in pprof (go tool pprof -top -nodefraction=0 -diff_base F F), samples
  // whose every value cancels are dropped: no row is left, even at nodefraction 0.
  await settled(page, async () => {
    await page.locator('#nodefraction').fill('0');
    await page.locator('#nodefraction').dispatchEvent('change');
  });
  await expect(page.locator('.diff-view')).toContainText('Showing nodes accounting for 0, 0% of 47.64MB total');
  await expect(page.locator('table.diff tbody tr.row')).toHaveCount(0);
  await expect(page.locator('.compare-totals')).toContainText('delta 0 (0%)');
  await settled(page, () => page.locator('.compare-tabs [data-sub=stacks]').click());
  await expect(page.locator('.stack-list.new h3')).toHaveText('New: only in the target (0)');
  await expect(page.locator('.stack-list.gone h3')).toHaveText('Gone: only in the base (0)');
  expect(incidents).toEqual([]);
});

test('a click on a sub-view tab whose press and release straddle a render is not lost', async ({ page, incidents }) => {
  await page.goto('/index.html');
  const bytes = readFileSync(goFixture('heap_t1.pb.gz'));
  await openComparison(page, [{ name: 'heap_t1.pb.gz', bytes }, { name: 'heap_t1-copy.pb.gz', bytes }], 'heap');
  await expect(page.locator('.compare-tabs [data-sub=table]')).toHaveAttribute('aria-selected', 'true');
  const box = await page.locator('.compare-tabs [data-sub=stacks]').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  // Between press and release the comparison renders again (another nodefraction).
  await settled(page, () => page.evaluate(() => {
    const input = document.getElementById('nodefraction');
    input.value = '0.5';
    input.dispatchEvent(new Event('change'));
  }));
  // The release completes the click on the same button: the stacks sub-view opens.
  await page.mouse.up();
  await expect(page.locator('.compare-tabs [data-sub=stacks]')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.stack-list.new h3')).toHaveText('New: only in the target (0)');
  expect(await page.evaluate(() => window.profdrop.state())).toMatchObject({ nodefraction: '0.5', params: { compare: 'stacks' } });
  expect(incidents).toEqual([]);
});

test('new and gone stacks are listed with their frames; other binaries are warned about', async ({ page, incidents }) => {
  const a = encodeProfile({
    sampleTypes: [['inuse_space', 'bytes']], mappingFile: '/srv/app-v1', timeNanos: 1_700_000_000_000_000_000,
    samples: [{ stack: ['leaf', 'main.kept'], values: [100] }, { stack: ['old.alloc', 'main.gone'], values: [50] }],
  });
  const b = encodeProfile({
    sampleTypes: [['inuse_space', 'bytes']], mappingFile: '/srv/app-v2', timeNanos: 1_700_000_060_000_000_000,
    samples: [{ stack: ['leaf', 'main.kept'], values: [300] }, { stack: ['new.alloc', 'main.added'], values: [70] }],
  });
  await page.goto('/index.html');
  await openComparison(page, [{ name: 'a.pb.gz', bytes: a }, { name: 'b.pb.gz', bytes: b }], 'heap');
  await expect(page.locator('.compare-warnings li')).toContainText('main binaries differ: base /srv/app-v1');
  await expect(page.locator('.compare-times')).toContainText('1.0 min apart');
  await settled(page, () => page.locator('.compare-tabs [data-sub=stacks]').click());
  await expect(page.locator('.stack-list.new li > details > summary')).toHaveText(['70B new.alloc']);
  await expect(page.locator('.stack-list.gone li > details > summary')).toHaveText(['50B old.alloc']);
  await page.locator('.stack-list.new summary').first().click();
  await expect(page.locator('.stack-list.new ol.frames li')).toHaveText(['main.added', 'new.alloc']);
  expect(incidents).toEqual([]);
});
