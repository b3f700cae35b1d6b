// Keyboard and assistive technology: axe-core (injected here from
// node_modules; the page never loads it) finds no serious or critical
// violation in any state, light and dark: the empty page, every view, every
// Compare sub-view, the call graph, the shortcut sheet and the embed example.
// A skip link, one real main landmark, no invisible tab stop; arrow moves in
// the Top table are announced; the whole path (open files, switch views,
// move in the table, focus a function, zoom the flame graph, open `?`) works
// without the mouse.
import { test, expect, drop, dropFixtures, settled, goFixture } from './fixtures.js';
import { rewriteProfile, timeNanos } from './pprof-writer.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const FOUR = ['heap_t0.pb.gz', 'heap_t1.pb.gz', 'goroutine_t0.pb.gz', 'goroutine_t1.pb.gz'];

/** Serious and critical violations axe finds in the page now (every rule, the experimental ones too). */
async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: axePath });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      resultTypes: ['violations'],
      rules: { 'label-content-name-mismatch': { enabled: true } },
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary.split('\n').slice(1, 2).join('')}`) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

async function loadFour(page) {
  await page.goto('/index.html');
  await dropFixtures(page, ...FOUR);
  // (loading four files on a busy machine can take a while: the default 5 s is not a measure here)
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#findings .finding').first()).toBeVisible();
}

/** Each state: how to reach it from the four files loaded (the Top table of goroutine_t1). */
const STATES = {
  'files loaded, Top': async () => {},
  'Flame graph': async (page) => { await settled(page, () => page.getByRole('tab', { name: 'Flame graph' }).click()); },
  'Call tree': async (page) => { await settled(page, () => page.getByRole('tab', { name: 'Call tree' }).click()); },
  Peek: async (page) => {
    await page.locator('table.top tbody tr.row').first().click();
    await settled(page, () => page.getByRole('tab', { name: 'Peek' }).click());
    await expect(page.locator('table.peek').first()).toBeVisible();
  },
  'Call graph': async (page) => {
    await settled(page, () => page.getByRole('tab', { name: 'Call graph' }).click());
    await expect(page.locator('.graph-stage svg.graph g.node').first()).toBeAttached();
  },
  Tags: async (page) => { await settled(page, () => page.getByRole('tab', { name: 'Tags' }).click()); },
  Goroutines: async (page) => {
    await settled(page, () => page.getByRole('tab', { name: 'Goroutines' }).click());
    await expect(page.locator('table.goroutines tbody tr.group').first()).toBeVisible();
  },
  'shortcut sheet': async (page) => {
    await page.locator('table.top').click();
    await page.keyboard.press('?');
    await expect(page.locator('#help')).toBeVisible();
  },
  'leave dialog': async (page) => {
    await page.evaluate(() => history.back());
    await expect(page.locator('#leave')).toBeVisible();
  },
};
for (const [sub, label] of [['goroutines', 'Goroutine diff'], ['table', 'Top diff'], ['flame', 'Flame graph'], ['stacks', 'New and gone stacks']]) {
  STATES[`Compare: ${label}`] = async (page) => {
    await settled(page, () => page.locator('#compare-offer button.offer[data-kind="goroutine"]').click());
    if (sub !== 'goroutines') await settled(page, () => page.locator(`.compare-tabs [data-sub=${sub}]`).click());
    await expect(page.locator(`.compare-tabs [data-sub=${sub}]`)).toHaveAttribute('aria-selected', 'true');
  };
}

for (const scheme of ['light', 'dark']) {
  test.describe(`axe, ${scheme} scheme`, () => {
    test.use({ colorScheme: scheme, bypassCSP: true });

    test('the empty page', async ({ page }) => {
      await page.goto('/index.html');
      await expect(page.locator('#empty-hint')).toBeVisible();
      expect(await violations(page)).toEqual([]);
    });

    for (const [name, reach] of Object.entries(STATES)) {
      test(name, async ({ page }) => {
        await loadFour(page);
        await reach(page);
        expect(await violations(page)).toEqual([]);
      });
    }

    test('Compare: Growth (three snapshots)', async ({ page }) => {
      const t1 = readFileSync(goFixture('goroutine_t1.pb.gz'));
      const t2 = rewriteProfile(t1, { scale: 2, timeNanos: timeNanos(t1) + 90_000_000_000n });
      await page.goto('/index.html');
      await dropFixtures(page, 'goroutine_t0.pb.gz', 'goroutine_t1.pb.gz');
      await drop(page, [{ name: 'goroutine_t2.pb.gz', bytes: t2 }]);
      await settled(page, () => page.locator('#compare-offer button.offer[data-kind="goroutine"]').click());
      await settled(page, () => page.locator('.compare-tabs [data-sub=growth]').click());
      await expect(page.locator('table.growth tbody tr').first()).toBeVisible();
      expect(await violations(page)).toEqual([]);
    });

    test('the embed example page', async ({ page }) => {
      await page.goto('/embed-example.html');
      for (const id of ['cpu-flame', 'heap-top', 'goroutine-diff', 'findings']) {
        await expect(page.locator(`#${id}`)).toHaveAttribute('data-status', 'rendered', { timeout: 30_000 });
      }
      expect(await violations(page)).toEqual([]);
    });
  });
}

test('contrast: severity badges and the selected file row read at 4.5:1 or more in both schemes', async ({ page }) => {
  const ratio = (fg, bg) => {
    const lum = (c) => {
      const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map((x) => Number(x) / 255)
        .map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  };
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await loadFour(page);
    const pairs = await page.evaluate(() => {
      const out = [];
      const bgOf = (el) => {
        for (let e = el; e; e = e.parentElement) {
          const c = getComputedStyle(e).backgroundColor;
          if (c && !/rgba\(.*, 0\)$/.test(c) && c !== 'transparent') return c;
        }
        return getComputedStyle(document.body).backgroundColor;
      };
      for (const el of document.querySelectorAll('.severity, #files li.active *')) {
        if (!el.childNodes.length || ![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
        out.push({ what: el.className || el.tagName, fg: getComputedStyle(el).color, bg: bgOf(el) });
      }
      return out;
    });
    expect(pairs.length).toBeGreaterThan(4);
    for (const p of pairs) {
      const r = ratio(p.fg, p.bg);
      expect(r, `${scheme} ${p.what}: ${p.fg} on ${p.bg}`).toBeGreaterThanOrEqual(4.5);
    }
  }
});

test('a skip link to the one main landmark; the file input is no tab stop; the tabs are a few Tabs away', async ({ page }) => {
  await page.goto('/index.html');
  await expect(page.locator('main')).toHaveCount(1);
  await expect(page.locator('main')).not.toHaveAttribute('role', /.+/);
  await expect(page.locator('#file-input')).toHaveAttribute('tabindex', '-1');
  await dropFixtures(page, ...FOUR);
  // (loading four files on a busy machine can take a while: the default 5 s is not a measure here)
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible({ timeout: 30_000 });
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press('Tab');
  await expect(page.locator('.skip-link')).toBeFocused();
  await expect(page.locator('.skip-link')).toBeInViewport();
  // Every tab stop is visible: nothing invisible takes the focus on the way to the view tabs.
  let presses = 1;
  for (; presses < 30; presses++) {
    const visible = await page.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(a).visibility !== 'hidden';
    });
    expect(visible).toBe(true);
    if (await page.evaluate(() => document.activeElement.getAttribute('role') === 'tab')) break;
    await page.keyboard.press('Tab');
  }
  console.log(`Tab presses from the top of the page to the view tabs: ${presses}`);
  expect(presses).toBeLessThanOrEqual(8);
  // The skip link lands in main, on the view, and leaves the address (the page's state) alone.
  const url = page.url();
  await page.locator('.skip-link').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#view')).toBeFocused();
  expect(await page.evaluate(() => document.querySelector('main').contains(document.activeElement))).toBe(true);
  expect(page.url()).toBe(url);
});

test('keyboard only: open files, switch views, move in the table (announced), focus a function, zoom the flame graph, open ?', async ({ page }) => {
  await page.goto('/index.html');
  // open files: "Load example" from the keyboard
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement.id === 'load-example')) break;
  }
  await expect(page.locator('#load-example')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('table.top tbody tr.row').first()).toBeVisible({ timeout: 30_000 });
  // move in the table: Tab to it, arrows; each move is announced and is the active descendant
  for (let i = 0; i < 30; i++) {
    if (await page.evaluate(() => document.activeElement.classList.contains('scroller'))) break;
    await page.keyboard.press('Tab');
  }
  const table = page.locator('.top-view .scroller');
  await expect(table).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const second = await page.locator('table.top tbody tr.row').nth(1).locator('td.name').getAttribute('title');
  await expect(page.locator('.top-view [role=status]')).toContainText(`${second}: flat`);
  await expect(page.locator('.top-view [role=status]')).toContainText('row 2 of');
  const active = await table.getAttribute('aria-activedescendant');
  await expect(page.locator(`[id="${active}"] td.name`)).toHaveAttribute('title', second);
  // focus a function: f
  await settled(page, () => page.keyboard.press('f'));
  await expect(page.locator('#chips .chip.focus')).toHaveCount(1);
  expect(await page.evaluate(() => window.profdrop.state().transforms)).toEqual([{ op: 'focus', value: `^${second.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$` }]);
  // switch views: 2 is the flame graph; zoom with the arrows and Enter
  await page.locator('#view').focus();
  await settled(page, () => page.keyboard.press('2'));
  await expect(page.getByRole('tab', { name: 'Flame graph' })).toHaveAttribute('aria-selected', 'true');
  for (let i = 0; i < 30; i++) {
    if (await page.evaluate(() => document.activeElement.tagName === 'CANVAS')) break;
    await page.keyboard.press('Tab');
  }
  await expect(page.locator('canvas.flame')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await settled(page, () => page.keyboard.press('Enter'));
  await expect(page).toHaveURL(/zoom=\d+/);
  await expect(page.locator('.crumbs .crumb')).toHaveCount(3);
  // ?: the sheet of shortcuts; Escape closes it
  await page.keyboard.press('?');
  await expect(page.locator('#help')).toBeVisible();
  await expect(page.locator('#help')).toContainText('switch to the view of that tab');
  await page.keyboard.press('Escape');
  await expect(page.locator('#help')).toBeHidden();
  // 1 goes back to Top
  await settled(page, () => page.keyboard.press('1'));
  await expect(page.getByRole('tab', { name: 'Top' })).toHaveAttribute('aria-selected', 'true');
});
