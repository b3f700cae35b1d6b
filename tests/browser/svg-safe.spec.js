// www/svg-safe.js on its own, in Chromium: SVG holding script, event
// attributes, foreignObject, javascript: links or unparsable markup is
// refused whole; a clean one is rebuilt from the allow list (styles, paint
// servers by URL, unknown elements and xlink attributes dropped; text kept
// as text); node groups are found by their <title>. Graphviz's own output is
// checked end to end in graph.spec.js and hardening.spec.js.
import { join } from 'node:path';
import { test, expect, root } from './fixtures.js';

async function load(page) {
  const esbuild = await import('esbuild');
  const r = await esbuild.build({
    entryPoints: [join(root, 'www/svg-safe.js')], bundle: true, write: false, format: 'iife', globalName: 'svgSafe',
  });
  await page.goto('about:blank');
  await page.addScriptTag({ content: r.outputFiles[0].text });
}

const NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"';
const REFUSED = {
  script: `<svg ${NS}><g><script>alert(1)</script></g></svg>`,
  'event attribute': `<svg ${NS}><g onclick="alert(1)"><text>x</text></g></svg>`,
  'event attribute, upper case': `<svg ${NS}><polygon ONMOUSEOVER="alert(1)" points="0,0 1,1"/></svg>`,
  foreignObject: `<svg ${NS}><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>`,
  'javascript: link': `<svg ${NS}><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>`,
  'javascript: link with spaces': `<svg ${NS}><a href=" jav&#x09;ascript:alert(1)"><text>x</text></a></svg>`,
  'HTML script inside': `<svg ${NS}><g><html:script xmlns:html="http://www.w3.org/1999/xhtml">alert(1)</html:script></g></svg>`,
  'unparsable': `<svg ${NS}><g></svg><svg onload=alert(1)>`,
  'animation setting href': `<svg ${NS}><a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>`,
};

for (const [what, svg] of Object.entries(REFUSED)) {
  test(`refused: ${what}`, async ({ page }) => {
    await load(page);
    const r = await page.evaluate((text) => {
      try { window.svgSafe.cleanSvg(text); return 'accepted'; } catch (e) { return e.message; }
    }, svg);
    expect(r).toMatch(/^the graph layout (was refused|is not)/);
  });
}

test('a clean SVG is rebuilt from the allow list; text stays text; node groups are found by title', async ({ page }) => {
  await load(page);
  const svg = `<svg ${NS} width="100pt" height="50pt" viewBox="0.00 0.00 100.00 50.00">
    <g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate(4 46)" style="display:none">
      <title>&lt;img src=x onerror=alert(1)&gt;</title>
      <g id="node1" class="node"><title>N7</title>
        <a xlink:title="tooltip &lt;b&gt;"><polygon fill="url(http://example.invalid/#p)" stroke="#b20000" points="0,0 10,0 10,10"/>
        <text text-anchor="middle" x="5" y="5" font-family="Times,serif" font-size="8.00">&lt;script&gt;alert(2)&lt;/script&gt;</text></a>
      </g>
      <g id="edge1" class="edge"><path fill="none" stroke="black" stroke-dasharray="1,5" d="M1,2C3,4 5,6 7,8"/><blink>x</blink></g>
    </g></svg>`;
  const r = await page.evaluate((text) => {
    const c = window.svgSafe.cleanSvg(text);
    document.body.append(c.svg);
    const g = [...c.nodes.keys()][0];
    return {
      html: c.svg.outerHTML, width: c.width, height: c.height, titles: [...c.nodes.values()],
      nodeId: g.getAttribute('id'), text: c.svg.querySelector('text').textContent,
      elements: [...new Set([...c.svg.querySelectorAll('*')].map((e) => e.localName))].sort(),
      ns: [...c.svg.querySelectorAll('*')].every((e) => e.namespaceURI === 'http://www.w3.org/2000/svg'),
    };
  }, svg);
  expect(r.titles).toEqual(['N7']);
  expect(r.nodeId).toBe('node1');
  expect([r.width, r.height]).toEqual([100, 50]);
  expect(r.text).toBe('<script>alert(2)</script>');
  expect(r.elements).toEqual(['g', 'path', 'polygon', 'text']);
  expect(r.ns).toBe(true);
  expect(r.html).not.toContain('style=');
  expect(r.html).not.toContain('url(');
  expect(r.html).not.toContain('xlink');
  expect(r.html).not.toContain('<title');
  expect(r.html).toContain('stroke="#b20000"');
  expect(r.html).toContain('stroke-dasharray="1,5"');
  expect(r.html).toContain('transform="scale(1 1) rotate(0) translate(4 46)"');
});
