// Writes the browser tests' counts where scripts/test.mjs reads them, so the
// run can end with one "N passed, N failed" line.
import { writeFileSync, mkdirSync } from 'node:fs';

export default class SummaryReporter {
  constructor() { this.passed = 0; this.failed = 0; this.skipped = 0; this.failures = []; }
  onTestEnd(test, result) {
    if (result.status === 'passed') this.passed++;
    else if (result.status === 'skipped') this.skipped++;
    else if (result.retry >= test.retries) { this.failed++; this.failures.push(test.titlePath().join(' › ')); }
  }
  onEnd() {
    mkdirSync('target', { recursive: true });
    writeFileSync('target/browser-summary.json', JSON.stringify({
      passed: this.passed, failed: this.failed, skipped: this.skipped, failures: this.failures,
    }));
  }
}
