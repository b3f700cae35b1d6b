// Shared helpers for browser tests: a page whose every request is recorded,
// and paths to the fixture files.
import { test as base, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const goFixture = (name) => join(root, 'tests/fixtures/go', name);

export const test = base.extend({
  // Every request the page makes; tests assert none leaves the origin.
  requests: async ({ page }, use) => {
    const seen = [];
    page.on('request', (r) => seen.push(r.url()));
    await use(seen);
  },
});

/** Requests that went anywhere but the page's own origin (blob:/data: are local). */
export function foreign(requests, origin) {
  return requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
}

export { expect };
