// Browser tests in Debian's Chromium (never Playwright's own download),
// against dist/ served on 127.0.0.1:8091.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/browser',
  timeout: 60_000,
  workers: 2,
  reporter: [['list'], ['./tests/browser/summary-reporter.js']],
  use: {
    baseURL: 'http://127.0.0.1:8091',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: 'node scripts/serve.mjs --port 8091',
    url: 'http://127.0.0.1:8091/index.html',
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
