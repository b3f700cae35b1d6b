// The Graphviz Worker: @viz-js/viz (Graphviz compiled to wasm, MIT wrapper,
// Graphviz itself under EPL-1.0) lays DOT text out as SVG. It is bundled
// into the page (scripts/build.mjs gzips this Worker's code into app.js) and
// started from a Blob the first time the Graph view opens: never fetched.
import { instance } from '@viz-js/viz';

let viz = null;

self.onmessage = async (e) => {
  const { id, dot } = e.data;
  try {
    if (!viz) viz = await instance();
    const r = viz.render(dot, { format: 'svg', engine: 'dot' });
    if (r.status !== 'success') {
      throw new Error(r.errors.filter((x) => x.level === 'error').map((x) => x.message).join('; ') || 'Graphviz could not lay out the graph');
    }
    self.postMessage({ id, svg: r.output, version: viz.graphvizVersion });
  } catch (err) {
    self.postMessage({ id, error: String(err && err.message ? err.message : err) });
  }
};
