// Browser tests in Debian's Chromium (never Playwright's own download),
// against dist/ served on 127.0.0.1 (port 8091 unless PROFDROP_TEST_PORT says otherwise).
import { defineConfig } from '@playwright/test';

// PROFDROP_TEST_PORT lets several checkouts run their browser tests at once.
const port = Number(process.env.PROFDROP_TEST_PORT || 8091);

export default defineConfig({
  testDir: 'tests/browser',
  // Waits are bounds, never verdicts on speed: CI is a loaded 2-core machine,
  // where a first load behind the engine's warm-up can take several seconds.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 2,
  reporter: [['list'], ['./tests/browser/summary-reporter.js']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: `node scripts/serve.mjs --port ${port}`,
    url: `http://127.0.0.1:${port}/index.html`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
