// The single-file build: dist/profdrop.html opened from file:// (no server)
// loads dropped profiles, and every view works without any request.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { test, expect, root, dropFixtures, topRows, parseTop, reference, settled } from './fixtures.js';

test('dist/profdrop.html from file:// loads a dropped profile in every view', async ({ page, requests, incidents }) => {
  const url = pathToFileURL(join(root, 'dist/profdrop.html')).href;
  await page.goto(url);
  await dropFixtures(page, 'heap_t1.pb.gz');
  expect(await topRows(page)).toEqual(parseTop(reference('heap_t1.pb.gz.pprof_top_nodecount=1000000.txt'), 20));
  await settled(page, () => page.getByRole('tab', { name: 'Flame graph' }).click());
  const painted = await page.locator('canvas.flame').evaluate((c) => {
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i]) n++;
    return n;
  });
  expect(painted).toBeGreaterThan(1000);
  await settled(page, () => page.getByRole('tab', { name: 'Call tree' }).click());
  await expect(page.locator('.tree li[role=treeitem]').first()).toBeVisible();
  await settled(page, () => page.getByRole('button', { name: 'Load example' }).click());
  await expect(page.locator('#files li')).toHaveCount(4);
  expect(requests.filter((u) => u !== url && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
  expect(incidents).toEqual([]);
});
