// <profdrop-view> in a docs page (issue 9): the example page's four elements
// show what the CLI prints for the same files and options (the top table
// with a focus, the t0 → t1 goroutine diff, the findings) and a drawn flame
// graph, with one engine Worker for all of them and no request but the
// page, embed.js and the src files; the docs page's CSS does not reach
// inside; errors (a 404, a cross-origin src, a malformed inline file, an
// unknown view) stay in their element's box while the others render;
// profile strings are text; the iframe form (profdrop.html#data=...&embed=1)
// shows the CLI's table without the page's chrome.
import { test, expect, parseTop, parseLabels, foreign, goFixture, cli } from './fixtures.js';
import { encodeProfile } from './pprof-writer.js';
import { readFileSync } from 'node:fs';

const RL = 'net/http.(*persistConn).readLoop';
const EXAMPLES = ['cpu_t1.pb.gz', 'heap_t0.pb.gz', 'heap_t1.pb.gz', 'goroutine_t0.pb.gz', 'goroutine_t1.pb.gz'];
const b64 = (name) => readFileSync(goFixture(name)).toString('base64');

/** Counts the Workers the page makes (every element shares the engine's one). */
async function countWorkers(page) {
  await page.addInitScript(() => {
    const W = window.Worker;
    window.__workers = 0;
    window.Worker = class extends W {
      constructor(...args) { super(...args); window.__workers += 1; }
    };
  });
}

/** Serves `html` at a path on the test server's origin (the files next to it are dist/'s). */
async function docsPage(page, path, html) {
  await page.route(`**${path}`, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
  await page.goto(path);
}

const shell = (body, head = '') => `<!doctype html><html><head><meta charset="utf-8">${head}<script type="module" src="/embed.js"></script></head><body>${body}</body></html>`;

/** Rows of the top table (or the diff table: pprof's five columns and the name) inside element `sel`. */
function rows(page, sel, table = 'table.top', n = 20) {
  return page.locator(`${sel} ${table} tbody tr.row`).evaluateAll((trs, n) => trs.slice(0, n).map((tr) => {
    const c = [...tr.cells];
    const name = c[c.length - 1];
    const text = [...name.childNodes].filter((x) => !(x.classList && x.classList.contains('presence'))).map((x) => x.textContent).join('');
    return [...c.slice(0, 5).map((td) => td.textContent), text];
  }), n);
}

const rendered = (page, sel) => expect(page.locator(`${sel}[data-status="rendered"]`)).toHaveCount(1, { timeout: 30_000 });

test('the example page: four elements with the CLI\'s numbers, one Worker, requests only for its own files', async ({ page, requests, baseURL, incidents }) => {
  await countWorkers(page);
  await page.goto('/embed-example.html');
  const all = page.locator('profdrop-view');
  await expect(all).toHaveCount(4);
  await expect(page.locator('profdrop-view[data-status="rendered"]')).toHaveCount(4, { timeout: 30_000 });
  const ms = await page.evaluate(() => Math.max(...[...document.querySelectorAll('profdrop-view')].map((e) => e.timings.rendered)));
  console.log(`embed-example.html: four elements rendered ${ms.toFixed(0)} ms after navigation start`);

  // The top table with a focus: the CLI's rows and header lines for the same options.
  const want = cli('top', ['--focus=net/http', goFixture('heap_t1.pb.gz')]);
  expect(parseTop(want).length).toBeGreaterThan(5);
  expect(await rows(page, '#heap-top')).toEqual(parseTop(want, 20));
  expect((await page.locator('#heap-top .labels').textContent()).split('\n')).toEqual(parseLabels(want));

  // The t0 → t1 diff: the CLI's -diff_base rows, readLoop's delta among them.
  const diff = cli('top', [`--diff_base=${goFixture('goroutine_t0.pb.gz')}`, goFixture('goroutine_t1.pb.gz')]);
  const diffRows = await rows(page, '#goroutine-diff', 'table.diff');
  expect(diffRows).toEqual(parseTop(diff, 20));
  const rl = parseTop(diff).find((r) => r[5] === RL);
  expect(Number(rl[3])).toBeGreaterThan(0);
  expect(diffRows.find((r) => r[5] === RL)).toEqual(rl);
  await expect(page.locator('#goroutine-diff .compare-explain')).toContainText('diff_base');

  // The flame graph: laid out from cpu_t1 (its total is the CLI's) and painted.
  const flame = await page.locator('#cpu-flame').evaluate((el) => {
    const d = el.view().data();
    return { boxes: d.frame.length, total: d.header_total ?? d.total, root: d.value[0] };
  });
  expect(flame.boxes).toBeGreaterThan(10);
  const cpuTotal = cli('top', ['--unit=ns', goFixture('cpu_t1.pb.gz')]).match(/of ([\d.]+)ns total/);
  expect(cpuTotal).not.toBeNull();
  expect(flame.root).toBe(Number(cpuTotal[1]));
  const painted = await page.locator('#cpu-flame canvas.flame').evaluate((c) => {
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
    return { n, area: c.width * c.height };
  });
  expect(painted.n).toBeGreaterThan(painted.area / 10);

  // The findings of the four leak fixtures: the transport pattern first, its readLoop count the CLI's.
  const first = page.locator('#findings .finding').first();
  await expect(first).toHaveAttribute('data-rule', 'http-transport-per-request');
  const cum = Number(parseTop(cli('top', ['--nodefraction=0', goFixture('goroutine_t1.pb.gz')])).find((r) => r[5] === RL)[3]);
  await expect(first.locator('dd[data-key="readloop_goroutines"]')).toHaveText(String(cum));
  await expect(page.locator('#findings')).toContainText('2 goroutine and 2 heap profiles');

  // One engine for the four; requests: the page, embed.js, each profile once.
  expect(await page.evaluate(() => window.__workers)).toBe(1);
  const own = [`${baseURL}/embed-example.html`, `${baseURL}/embed.js`, ...EXAMPLES.map((f) => `${baseURL}/examples/${f}`)];
  // (the engine's Worker comes from a blob: URL, made in the page)
  expect(requests.filter((u) => !u.startsWith('blob:')).sort()).toEqual([...own].sort());
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('the docs page\'s CSS does not reach inside the element', async ({ page, incidents }) => {
  await docsPage(page, '/__embed/styled.html', shell(
    '<profdrop-view id="t" src="/examples/goroutine_t1.pb.gz"></profdrop-view>',
    '<style>table { display: none } * { color: red !important; font-size: 40px } td { visibility: hidden }</style>'));
  await rendered(page, '#t');
  const table = page.locator('#t table.top');
  await expect(table).toBeVisible();
  await expect(page.locator('#t table.top tbody tr.row').first()).toBeVisible();
  const style = await page.locator('#t table.top tbody td.name').first().evaluate((td) => {
    const s = getComputedStyle(td);
    return { color: s.color, size: s.fontSize, visibility: s.visibility };
  });
  expect(style.color).not.toBe('rgb(255, 0, 0)');
  expect(style.size).toBe('12px');
  expect(style.visibility).toBe('visible');
  // the page's own elements are styled as it says (the stylesheet did apply)
  expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe('rgb(255, 0, 0)');
  expect(await rows(page, '#t')).toEqual(parseTop(cli('top', [goFixture('goroutine_t1.pb.gz')]), 20));
  expect(incidents).toEqual([]);
});

test('errors stay in their element\'s box, naming the file and the stage; the other elements render', async ({ page, requests, baseURL, incidents }) => {
  const port = new URL(baseURL).port;
  const broken = readFileSync(goFixture('heap_t1.pb.gz')).subarray(0, 200).toString('base64');
  await docsPage(page, '/__embed/errors.html', shell(`
    <profdrop-view id="missing" src="/examples/no-such-file.pb.gz"></profdrop-view>
    <profdrop-view id="cross" src="http://localhost:${port}/examples/heap_t1.pb.gz"></profdrop-view>
    <profdrop-view id="malformed"><script type="application/octet-stream" data-encoding="base64" data-name="broken.pb.gz">${broken}</script></profdrop-view>
    <profdrop-view id="notbase64"><script type="application/octet-stream" data-encoding="base64" data-name="odd.pb.gz">AAAA*AAA</script></profdrop-view>
    <profdrop-view id="view" src="/examples/heap_t1.pb.gz" view="pie"></profdrop-view>
    <profdrop-view id="good" src="/examples/heap_t1.pb.gz"></profdrop-view>
    <profdrop-view id="inline" view="top"><script type="application/octet-stream" data-encoding="base64" data-name="goroutine_t1.pb.gz">${b64('goroutine_t1.pb.gz')}</script></profdrop-view>`));
  const error = (id) => page.locator(`#${id} .view-error`);
  for (const id of ['missing', 'cross', 'malformed', 'notbase64', 'view']) {
    await expect(page.locator(`#${id}[data-status="error"]`)).toHaveCount(1, { timeout: 30_000 });
    await expect(error(id)).toBeVisible();
    await expect(page.locator(`#${id} table.top`)).toHaveCount(0);
  }
  await expect(error('missing')).toHaveText('no-such-file.pb.gz: fetching /examples/no-such-file.pb.gz: HTTP 404 Not Found');
  await expect(error('cross')).toContainText(`http://localhost:${port}/examples/heap_t1.pb.gz: refused`);
  await expect(error('cross')).toContainText(`own origin (${baseURL})`);
  // the engine's own message: the file, the stage, the position
  const malformed = await error('malformed').textContent();
  expect(malformed).toMatch(/^broken\.pb\.gz: /);
  expect(malformed).toMatch(/decompressing|parsing|malformed/);
  expect(malformed).toMatch(/\d/);
  await expect(error('notbase64')).toHaveText('odd.pb.gz: decoding base64: not base64 at character 5 ("*")');
  await expect(error('view')).toHaveText('unknown view "pie": use one of top, flame, tree, graph, goroutines, findings');
  // the others render: the CLI's rows
  await rendered(page, '#good');
  await rendered(page, '#inline');
  expect(await rows(page, '#good')).toEqual(parseTop(cli('top', [goFixture('heap_t1.pb.gz')]), 20));
  expect(await rows(page, '#inline')).toEqual(parseTop(cli('top', [goFixture('goroutine_t1.pb.gz')]), 20));
  // the cross-origin src was never requested; the 404 was (it is on the page's origin)
  expect(requests.filter((u) => u.includes('localhost'))).toEqual([]);
  expect(requests).toContain(`${baseURL}/examples/no-such-file.pb.gz`);
  expect(foreign(requests, baseURL)).toEqual([]);
  // the 404 is logged by the browser as a failed resource load; nothing else went wrong
  expect(incidents.filter((x) => !/404/.test(x))).toEqual([]);
});

test('profile strings are text inside the element: a hostile function name makes no element', async ({ page, incidents }) => {
  // "main." before the markup: names with ".<" are not simplified as C++ (pprof's rule).
  const evil = 'main.<img src=x onerror="alert(1)">';
  const bytes = encodeProfile({
    sampleTypes: [['samples', 'count']],
    samples: [{ stack: [evil, 'main.main'], values: [7] }, { stack: ['main.<b>bold</b>', 'main.main'], values: [3] }],
  });
  await docsPage(page, '/__embed/hostile.html', shell(`
    <profdrop-view id="top"><script type="application/octet-stream" data-encoding="base64" data-name="&lt;i&gt;evil.pb.gz">${Buffer.from(bytes).toString('base64')}</script></profdrop-view>
    <profdrop-view id="tree" view="tree"><script type="application/octet-stream" data-encoding="base64">${Buffer.from(bytes).toString('base64')}</script></profdrop-view>`));
  await rendered(page, '#top');
  await rendered(page, '#tree');
  await expect(page.locator('#top td.name').first()).toHaveText(evil);
  await expect(page.locator('#top .embed-caption')).toContainText('<i>evil.pb.gz');
  await expect(page.locator('#tree .tree .name', { hasText: evil })).toHaveCount(1);
  for (const id of ['top', 'tree']) {
    const made = await page.locator(`#${id}`).evaluate((el) => el.shadowRoot.querySelectorAll('img, b, i').length);
    expect(made).toBe(0);
  }
  expect(incidents).toEqual([]);
});

test('the other views, nodecount and a diff flame graph work inside shadow roots', async ({ page, requests, baseURL, incidents }) => {
  await countWorkers(page);
  await docsPage(page, '/__embed/views.html', shell(`
    <profdrop-view id="n5" src="/examples/heap_t1.pb.gz" nodecount="5" sample_index="alloc_space"></profdrop-view>
    <profdrop-view id="tree" src="/examples/goroutine_t1.pb.gz" view="tree"></profdrop-view>
    <profdrop-view id="gr" src="/examples/goroutine_t1.pb.gz" view="goroutines"></profdrop-view>
    <profdrop-view id="graph" src="/examples/heap_t1.pb.gz" view="graph" nodecount="12"></profdrop-view>
    <profdrop-view id="dflame" src="/examples/goroutine_t1.pb.gz" base="/examples/goroutine_t0.pb.gz" view="flame"></profdrop-view>
    <profdrop-view id="nodiff" src="/examples/goroutine_t1.pb.gz" base="/examples/goroutine_t0.pb.gz" view="tree"></profdrop-view>
    <profdrop-view id="nomatch" src="/examples/heap_t1.pb.gz" focus="no_such_function_anywhere"></profdrop-view>`));
  for (const id of ['n5', 'tree', 'gr', 'graph', 'dflame']) await rendered(page, `#${id}`);
  const n5 = cli('top', ['--nodecount=5', '--sample_index=alloc_space', goFixture('heap_t1.pb.gz')]);
  expect(parseTop(n5)).toHaveLength(5);
  expect(await rows(page, '#n5')).toEqual(parseTop(n5));
  // the call tree opened its heaviest path; the goroutine groups add up to the profile's total
  expect(await page.locator('#tree li[role=treeitem]').count()).toBeGreaterThan(3);
  const total = Number(cli('top', [goFixture('goroutine_t1.pb.gz')]).match(/of (\d+) total/)[1]);
  await expect(page.locator('#gr .goroutines-summary')).toContainText(`${total} goroutines`);
  // the graph: pprof's trimming at nodecount 12, drawn by Graphviz (a Worker of its own)
  const drawn = await page.locator('#graph').evaluate((el) => el.view().data().ids.length);
  expect(drawn).toBeLessThanOrEqual(12);
  await expect(page.locator('#graph svg g.node[data-i]')).toHaveCount(drawn);
  // the differential flame graph's layout, and a clear refusal where no diff view exists
  expect(await page.locator('#dflame').evaluate((el) => el.view().sub().flame.data().change.length)).toBeGreaterThan(5);
  await expect(page.locator('#nodiff .view-error')).toHaveText('view="tree" does not show a diff: with base, use top, flame, goroutines');
  // a filter that matched nothing says so
  await expect(page.locator('#nomatch .embed-messages')).toContainText('focus=no_such_function_anywhere matched nothing');
  expect(await page.evaluate(() => window.__workers)).toBe(2);
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('the iframe form: profdrop.html#data=...&embed=1 shows the CLI\'s top table and only the view', async ({ page, requests, baseURL, incidents }) => {
  // standard base64 as is: its "+" reads back from the address as a space, which counts as "+"
  const data = b64('goroutine_t1.pb.gz');
  expect(data).toMatch(/[+/]/);
  await docsPage(page, '/__embed/iframe.html', `<!doctype html><html><body><h1>Runbook</h1>
    <iframe id="f" width="900" height="600" src="/profdrop.html#data=${data}&name=goroutine_t1.pb.gz&view=top&embed=1"></iframe></body></html>`);
  const frame = page.frameLocator('#f');
  await expect(frame.locator('table.top tbody tr.row').first()).toBeVisible({ timeout: 30_000 });
  const got = await frame.locator('table.top tbody tr.row').evaluateAll((trs) => trs.slice(0, 20).map((tr) => [...tr.cells].map((td) => td.textContent)));
  const want = cli('top', [goFixture('goroutine_t1.pb.gz')]);
  expect(got).toEqual(parseTop(want, 20));
  expect((await frame.locator('.labels').textContent()).split('\n')).toEqual(parseLabels(want));
  // only the view: no header, file list, controls, tabs or findings
  for (const sel of ['header.bar', '#files-section', '#controls', '#tabs-bar', '#findings']) await expect(frame.locator(sel)).toBeHidden();
  // the profile left the address once loaded; the state stayed
  const hash = await frame.locator('body').evaluate(() => location.hash);
  expect(hash).not.toContain('data=');
  expect(hash).toContain('embed=1');
  expect(hash).toContain('file=goroutine_t1.pb.gz');
  expect(requests.filter((u) => u.endsWith('.pb.gz'))).toEqual([]);
  expect(foreign(requests, baseURL)).toEqual([]);
  expect(incidents).toEqual([]);
});

test('the iframe form with a bad payload says so', async ({ page }) => {
  await page.goto('/profdrop.html#data=AB*D&name=x.pb.gz&embed=1');
  await expect(page.locator('#empty-hint [role=alert]')).toHaveText('x.pb.gz: decoding base64: not base64 at character 3 ("*")');
  await expect(page.locator('#empty-hint')).toBeVisible();
});

test('a malformed src is named as written: a stray % in its name loads, an address that is not a URL says so, never "URI malformed"', async ({ page, incidents }) => {
  await page.route('**/examples/heap%ZZ.pb.gz', (route) => route.fulfill({ body: readFileSync(goFixture('heap_t1.pb.gz')) }));
  await page.route('**/examples/gone*', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await docsPage(page, '/__embed/malformed-src.html', shell(`
    <profdrop-view id="percent" src="/examples/heap%ZZ.pb.gz"></profdrop-view>
    <profdrop-view id="missing" src="/examples/gone%E0%A4%A.pb.gz"></profdrop-view>
    <profdrop-view id="nonurl" src="http://[::1"></profdrop-view>`));
  await rendered(page, '#percent');
  await expect(page.locator('#percent .embed-files')).toHaveText('heap%ZZ.pb.gz');
  expect(await rows(page, '#percent')).toEqual(parseTop(cli('top', [goFixture('heap_t1.pb.gz')]), 20));
  await expect(page.locator('#missing .view-error')).toContainText('gone%E0%A4%A.pb.gz: fetching /examples/gone%E0%A4%A.pb.gz: HTTP 404');
  await expect(page.locator('#nonurl .view-error')).toHaveText('src="http://[::1": not a URL');
  await expect(page.locator('profdrop-view')).not.toContainText(['URI malformed']);
  expect(incidents.filter((x) => !x.includes('404'))).toEqual([]);
});
