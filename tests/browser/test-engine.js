// The test build of the engine's Worker (scripts/build-test-engine.mjs: the
// crate with `--features test-trap`, see crate/src/session/testhooks.rs) and
// the init script that makes a page run it: every engine Worker the page
// starts (named 'profdrop-engine') gets the test build's source instead;
// the page itself is dist/ unchanged. Counts the engines started and ended.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './fixtures.js';

/** Builds the test engine (about a minute the first time) and returns its Worker source. */
export function buildTestEngine() {
  const r = spawnSync(process.execPath, [join(root, 'scripts/build-test-engine.mjs')], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the test engine failed:\n${r.stderr}`);
  return readFileSync(join(root, 'target/test-engine/worker.js'), 'utf8');
}

/** Every engine Worker `page` starts runs `source`; `window.__engines` counts them. */
export async function useTestEngine(page, source) {
  await page.addInitScript((src) => {
    const Native = window.Worker;
    window.__engines = { started: 0, ended: 0 };
    window.Worker = class extends Native {
      constructor(url, options) {
        const engine = options && options.name === 'profdrop-engine';
        if (engine) url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
        super(url, options);
        if (engine) {
          window.__engines.started += 1;
          const end = this.terminate.bind(this);
          this.terminate = () => { window.__engines.ended += 1; end(); };
        }
      }
    };
  }, source);
}

/** The engines the page started and ended so far. */
export const engines = (page) => page.evaluate(() => window.__engines);
