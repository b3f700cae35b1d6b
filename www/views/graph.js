// Graph: pprof's call graph. The engine trims the graph exactly as pprof
// (nodecount 80, nodefraction 0.005, edgefraction 0.001 unless changed here
// or in the controls) and writes pprof's DOT (residual edges dotted, inline
// calls marked, diff profiles coloured by growth); Graphviz, bundled and
// started in its own Worker on first use (graphviz.js), lays it out; the SVG
// is rebuilt from an allow list before it is shown (svg-safe.js). Drag to
// pan, wheel or +/− to zoom, 0 to fit; hover a node for its flat and cum
// (the engine's node list, never read back from the SVG); click a node (or
// Enter on it) for the focus/ignore/hide menu. Export as SVG or PNG.
import * as engine from '../engine.js';
import * as graphviz from '../graphviz.js';
import { cleanSvg } from '../svg-safe.js';
import { h, fill } from '../dom.js';

export const title = 'Call graph';

/** The label height (CSS pixels, the median) the graph opens at. */
const READABLE = 13;

/** pprof's defaults for graphs; kept across tab switches. */
const settings = { nodecount: 80, edgefraction: 0.001 };

/** @param {import('../app.js').ViewContext} ctx */
export function create(ctx) {
  const nodecount = h('input', { type: 'number', min: '1', step: '1', value: String(settings.nodecount), 'aria-label': 'nodecount' });
  const edgefraction = h('input', { type: 'number', min: '0', max: '1', step: 'any', value: String(settings.edgefraction), 'aria-label': 'edgefraction' });
  const button = (label, title, onclick) => h('button', { type: 'button', title, onclick }, label);
  const status = h('span', { class: 'graph-status', role: 'status', 'aria-live': 'polite' });
  const bar = h('div', { class: 'graph-bar' },
    h('label', { title: 'most nodes shown (pprof\'s nodecount)' }, 'nodecount ', nodecount),
    h('label', { title: 'drop edges below this share of the total (pprof\'s edgefraction)' }, 'edgefraction ', edgefraction),
    button('−', 'Zoom out (-)', () => zoomBy(1 / 1.25)),
    button('+', 'Zoom in (+)', () => zoomBy(1.25)),
    button('Fit', 'Fit the graph (0)', () => fit()),
    h('span', { class: 'grow' }),
    button('Export SVG', 'Download the graph as SVG', () => exportSvg()),
    button('Export PNG', 'Download the graph as PNG', () => exportPng()),
    status);
  const tip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
  const stage = h('div', {
    class: 'graph-stage', tabindex: '0', role: 'group',
    'aria-label': 'Call graph. Drag or arrow keys pan, + and - zoom, 0 fits; Tab reaches the nodes, Enter opens a node\'s actions.',
  }, tip);
  const el = h('div', { class: 'graph-view' }, bar, stage);

  /** @type {import('../engine.js').DotView | null} */
  let data = null;
  /** @type {{svg: SVGSVGElement, nodes: Map<SVGGElement, string>, width: number, height: number} | null} */
  let drawn = null;
  let vb = { x: 0, y: 0, w: 1, h: 1 };
  let key = '';
  let generation = 0;

  const onNumber = (input, name, valid) => input.addEventListener('change', () => {
    const v = Number(input.value);
    if (input.value.trim() !== '' && valid(v)) { settings[name] = v; ctx.update({}); }
    else input.value = String(settings[name]);
  });
  onNumber(nodecount, 'nodecount', (v) => Number.isInteger(v) && v >= 1);
  onNumber(edgefraction, 'edgefraction', (v) => v >= 0 && v <= 1);

  const nodeIndex = (g) => Number(g.getAttribute('data-i'));
  const name = (i) => engine.str(data.name, i);
  const nodeOf = (target) => (target && target.closest ? target.closest('g.node[data-i]') : null);

  function setViewBox() {
    if (drawn) drawn.svg.setAttribute('viewBox', `${vb.x} ${vb.y} ${vb.w} ${vb.h}`);
  }

  function fit() {
    if (!drawn) return;
    vb = { x: 0, y: 0, w: drawn.width || 1, h: drawn.height || 1 };
    setViewBox();
  }

  /** Zooms by `f` around the SVG point (cx, cy) (the middle by default). */
  function zoomBy(f, cx = vb.x + vb.w / 2, cy = vb.y + vb.h / 2) {
    if (!drawn) return;
    const w = Math.min(Math.max(vb.w / f, 10), (drawn.width || 1) * 20);
    const k = vb.w / w;
    vb = { x: cx - (cx - vb.x) / k, y: cy - (cy - vb.y) / k, w, h: vb.h / k };
    setViewBox();
  }

  function toSvg(clientX, clientY) {
    const m = drawn.svg.getScreenCTM();
    if (!m) return { x: vb.x, y: vb.y };
    const p = new DOMPoint(clientX, clientY).matrixTransform(m.inverse());
    return { x: p.x, y: p.y };
  }

  // Pan by dragging; a drag is not a click on a node.
  let drag = null;
  let dragged = false;
  stage.addEventListener('pointerdown', (e) => {
    if (!drawn || e.button !== 0) return;
    const m = drawn.svg.getScreenCTM();
    drag = { x: e.clientX, y: e.clientY, vb: { ...vb }, scale: m ? m.a : 1 };
    dragged = false;
  });
  stage.addEventListener('pointermove', (e) => {
    if (drag) {
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!dragged && Math.hypot(dx, dy) > 4) {
        dragged = true;
        stage.setPointerCapture(e.pointerId);
        stage.classList.add('panning');
      }
      if (dragged) {
        vb = { ...drag.vb, x: drag.vb.x - dx / drag.scale, y: drag.vb.y - dy / drag.scale };
        setViewBox();
        tip.hidden = true;
        return;
      }
    }
    hover(nodeOf(e.target), e);
  });
  const endDrag = () => { drag = null; stage.classList.remove('panning'); };
  stage.addEventListener('pointerup', endDrag);
  stage.addEventListener('pointercancel', endDrag);
  stage.addEventListener('pointerleave', () => { tip.hidden = true; });
  stage.addEventListener('wheel', (e) => {
    if (!drawn) return;
    e.preventDefault();
    const p = toSvg(e.clientX, e.clientY);
    zoomBy(Math.exp(-e.deltaY * 0.0015), p.x, p.y);
  }, { passive: false });
  stage.addEventListener('click', (e) => {
    const g = nodeOf(e.target);
    if (dragged) { dragged = false; return; }
    if (g) ctx.menu(e.pageX, e.pageY, name(nodeIndex(g)));
  });
  stage.addEventListener('keydown', (e) => {
    const g = nodeOf(e.target);
    if (g && (e.key === 'Enter' || e.key === ' ' || e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey))) {
      e.preventDefault();
      const r = g.getBoundingClientRect();
      ctx.menu(r.left + window.scrollX + r.width / 2, r.bottom + window.scrollY, name(nodeIndex(g)));
      return;
    }
    const step = 0.1;
    const moves = {
      ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step],
    };
    if (e.key in moves && !g) {
      e.preventDefault();
      vb = { ...vb, x: vb.x + moves[e.key][0] * vb.w, y: vb.y + moves[e.key][1] * vb.h };
      setViewBox();
    } else if (e.key === '+' || e.key === '=') { e.preventDefault(); zoomBy(1.25); }
    else if (e.key === '-') { e.preventDefault(); zoomBy(1 / 1.25); }
    else if (e.key === '0') { e.preventDefault(); fit(); }
  });
  stage.addEventListener('focusin', (e) => {
    const g = nodeOf(e.target);
    if (g) {
      const r = g.getBoundingClientRect();
      hover(g, { clientX: r.left + r.width / 2, clientY: r.bottom });
    }
  });
  stage.addEventListener('focusout', () => { tip.hidden = true; });

  function hover(g, e) {
    if (!g || !data) { tip.hidden = true; return; }
    const i = nodeIndex(g);
    fill(tip,
      h('div', { class: 'tip-name' }, name(i)),
      h('div', {}, `flat ${engine.str(data.flat_text, i)} (${engine.str(data.flat_pct, i)})`),
      h('div', {}, `cum ${engine.str(data.cum_text, i)} (${engine.str(data.cum_pct, i)})`));
    tip.hidden = false;
    const r = stage.getBoundingClientRect();
    const x = Math.min(e.clientX - r.left + 14, Math.max(0, r.width - tip.offsetWidth - 4));
    tip.style.left = `${x}px`;
    tip.style.top = `${e.clientY - r.top + 16}px`;
  }

  /** Installs a cleaned SVG: nodes keyed to the engine's node list, focusable. */
  function install(c) {
    const index = new Map();
    for (let i = 0; i < data.ids.length; i++) index.set(data.ids[i], i);
    for (const [g, dotName] of c.nodes) {
      const m = /^N(\d+)$/.exec(dotName);
      const i = m ? index.get(Number(m[1])) : undefined;
      if (i === undefined) continue;
      g.setAttribute('data-i', String(i));
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      // Named by the words it shows (what a voice user says; an aria-label would differ from them);
      // the full name, flat and cum show in the tooltip on focus.
    }
    c.svg.setAttribute('width', '100%');
    c.svg.setAttribute('height', '100%');
    c.svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    c.svg.classList.add('graph');
    if (drawn) drawn.svg.remove();
    drawn = c;
    stage.prepend(c.svg);
    fit();
    readable();
  }

  /**
   * Opens at a scale where the labels read (a median of 13 px; "fit" draws a
   * large graph's labels at 4 px), centred on the heaviest node; 0 fits.
   */
  function readable() {
    const heights = [...drawn.svg.querySelectorAll('g.node text')].map((t) => t.getBoundingClientRect().height).filter((x) => x > 0);
    const m = drawn.svg.getScreenCTM();
    if (!heights.length || !m || !m.a) return;
    heights.sort((a, b) => a - b);
    const median = heights[heights.length >> 1];
    if (median >= READABLE) return;
    const scale = m.a * (READABLE / median);
    const box = stage.getBoundingClientRect();
    if (box.width < 50 || box.height < 50) return;
    let heaviest = null;
    for (const g of drawn.svg.querySelectorAll('g.node[data-i]')) {
      if (!heaviest || Math.abs(data.flat[nodeIndex(g)]) > Math.abs(data.flat[nodeIndex(heaviest)])) heaviest = g;
    }
    const r = heaviest ? heaviest.getBoundingClientRect() : box;
    const c = toSvg(r.left + r.width / 2, r.top + r.height / 2);
    const w = box.width / scale;
    const hh = box.height / scale;
    vb = { x: c.x - w / 2, y: c.y - hh / 2, w, h: hh };
    setViewBox();
  }

  /** The drawing as a standalone SVG document (the cleaned copy, at full size). */
  function svgText() {
    const copy = /** @type {SVGSVGElement} */ (drawn.svg.cloneNode(true));
    copy.setAttribute('width', `${drawn.width}pt`);
    copy.setAttribute('height', `${drawn.height}pt`);
    copy.setAttribute('viewBox', `0 0 ${drawn.width} ${drawn.height}`);
    for (const a of ['class', 'preserveAspectRatio']) copy.removeAttribute(a);
    for (const g of copy.querySelectorAll('[data-i]')) for (const a of ['data-i', 'tabindex', 'role']) g.removeAttribute(a);
    return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
  }

  function download(blob, file) {
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: file, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  function exportSvg() {
    if (drawn) download(new Blob([svgText()], { type: 'image/svg+xml' }), 'profdrop-graph.svg');
  }

  async function exportPng() {
    if (!drawn) return;
    const url = URL.createObjectURL(new Blob([svgText()], { type: 'image/svg+xml' }));
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      // 2 px per point, at most 8192 px a side.
      const scale = Math.min(2, 8192 / Math.max(drawn.width, drawn.height, 1));
      const canvas = h('canvas', { width: Math.max(1, Math.round(drawn.width * scale)), height: Math.max(1, Math.round(drawn.height * scale)) });
      const g = canvas.getContext('2d');
      g.fillStyle = '#fff';
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.drawImage(img, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
      if (blob) download(blob, 'profdrop-graph.png');
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  return {
    el,
    async render() {
      const q = ctx.query();
      // A nodecount in the query (an embedded view's attribute) wins over the field.
      const options = { nodecount: settings.nodecount, edgefraction: settings.edgefraction, ...q.options };
      nodecount.value = String(options.nodecount);
      nodecount.disabled = q.options.nodecount !== undefined;
      const k = JSON.stringify([q.ids, options]);
      if (k === key) return;
      key = k;
      const gen = ++generation;
      status.textContent = 'computing the graph…';
      let d;
      let text;
      try {
        d = await engine.dot({ ...q, options });
        if (gen !== generation) return;
        ctx.header(d);
        status.textContent = graphviz.timings.started ? 'laying out…' : 'starting Graphviz…';
        text = await graphviz.layout(d.dot);
      } catch (err) {
        if (gen === generation) { key = ''; status.textContent = ''; }
        throw err;
      }
      if (gen !== generation) return;
      data = d;
      // the status first: the stage's size is final when the scale is chosen
      status.textContent = `${data.ids.length} nodes`;
      install(cleanSvg(text));
      ctx.rendered();
    },
    search() {},
    /** Test hooks: the engine's graph (DOT text and node columns) and the drawn SVG. */
    data: () => data,
    svg: () => drawn && drawn.svg,
    svgText: () => drawn && svgText(),
    destroy() { generation++; },
  };
}
