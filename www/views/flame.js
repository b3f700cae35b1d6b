// Flame graph: the engine lays out the call tree (crate/src/view/flame.rs)
// and sends the boxes as columns; this draws them on a canvas at the
// device's pixel ratio. Root on top, callees below. Hover shows a frame's
// name, value and shares; click zooms into a frame (the engine lays out the
// zoomed subtree, so tiny frames appear as they grow), the breadcrumb or
// Escape zooms out; arrow keys move between frames, Enter zooms. The search
// box highlights matching frames and says what share of the total they
// cover. Inlined frames are drawn in italics with a corner mark; colours
// are stable per package.
//
// The same view draws the differential flame graph of a comparison: a
// `source` (see create) supplies the layout, the colours, the hover text
// and the search instead of the profile's own.
import * as engine from '../engine.js';
import { h, fill } from '../dom.js';

const ROW = 18;
const NONE = 0xffffffff;

export const title = 'Flame graph';

/** FNV-1a: the same package gets the same hue in every profile and session. */
function hue(s) {
  let x = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 0x01000193);
  return (x >>> 0) % 360;
}

/** A frame's colour: stable per package, paler for inlined frames (also used by the SVG export). */
export function packageFill(data, f, dark) {
  const inline = data.inline[f] === 1;
  const pkg = engine.str(data.packages, data.package[f]);
  const hh = pkg ? hue(pkg) : 30;
  const sat = pkg ? (inline ? 35 : 60) : 10;
  return `hsl(${hh} ${sat}% ${dark ? (inline ? 30 : 36) : (inline ? 80 : 72)}%)`;
}

/**
 * What the view draws; every field is optional (the defaults draw the shown profile).
 * @typedef {{
 *   key?: (q: import('../engine.js').Query) => string,
 *   layout?: (q: import('../engine.js').Query, zoom: number, minFraction: number) => Promise<import('../engine.js').FlameView>,
 *   search?: (q: import('../engine.js').Query, pattern: string) => Promise<{frames: Uint8Array, pct?: string, value_text?: string}>,
 *   color?: (box: number, data: object, dark: boolean) => string,
 *   describe?: (box: number, data: object) => Promise<{parts: (string | Node)[], text: string}>,
 * }} FlameSource
 */

/**
 * @param {import('../app.js').ViewContext} ctx
 * @param {FlameSource} [source]
 */
export function create(ctx, source = {}) {
  const v = elements();
  Object.assign(v, {
    ctx,
    source,
    /** @type {import('../engine.js').FlameView | null} */
    data: null,
    key: '',
    zoom: 0,
    zoomBox: 0,
    focus: -1,
    hover: -1,
    /** @type {Uint8Array | null} frames matching the search */
    matches: null,
    generation: 0,
    searchKey: '',
    formatted: new Map(),
    // The page's own flame graph keeps its zoom in the page's state (the address, history); a comparison's keeps it here.
    stateZoom: !source.layout,
  });
  listenPointer(v);
  listenKeys(v);
  const stopWatching = watchResize(v);
  return {
    el: v.el,
    render: () => render(v),
    search: (pattern, force) => search(v, pattern, force),
    /** Test hooks: the layout, and a box's rectangle on the canvas. */
    data: () => v.data,
    rect: (i) => rect(v, i),
    destroy() { v.generation++; stopWatching(); },
  };
}

/** The view's elements: breadcrumbs, the status line, the canvas with its tooltip. */
function elements() {
  const crumbs = h('nav', { class: 'crumbs', 'aria-label': 'Zoom path' });
  const canvas = h('canvas', {
    tabindex: '0', role: 'img', class: 'flame',
    'aria-label': 'Flame graph. Arrow keys move between frames, Enter zooms in, Escape zooms out, the context-menu key opens actions.',
  });
  const tip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
  const wrap = h('div', { class: 'flame-wrap' }, canvas, tip);
  const status = h('p', { class: 'flame-status', role: 'status', 'aria-live': 'polite' });
  const el = h('div', { class: 'flame-view' }, crumbs, status, wrap);
  return { crumbs, canvas, tip, wrap, status, el };
}

const frameName = (v, f) => engine.str(v.data.name, f);
const boxName = (v, i) => frameName(v, v.data.frame[i]);
const rows = (v) => v.data.row_start.length - 1;

function geometry(v) {
  const W = v.wrap.clientWidth || 800;
  const x0 = v.data.x[v.zoomBox];
  const scale = W / (v.data.width[v.zoomBox] || 1);
  return { W, x0, scale };
}

/** A box's rectangle in CSS pixels, relative to the canvas. */
function rect(v, i) {
  const { x0, scale } = geometry(v);
  return { x: (v.data.x[i] - x0) * scale, y: v.data.depth[i] * ROW, w: v.data.width[i] * scale, h: ROW - 1 };
}

/** Sizes the canvas to the view at the device's pixel ratio and clears it. */
function prepareCanvas(v) {
  const dpr = window.devicePixelRatio || 1;
  const { W } = geometry(v);
  const H = rows(v) * ROW + 2;
  v.canvas.style.width = `${W}px`;
  v.canvas.style.height = `${H}px`;
  v.canvas.width = Math.round(W * dpr);
  v.canvas.height = Math.round(H * dpr);
  const g = v.canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, W, H);
  return g;
}

function boxFill(v, i, d, dark) {
  const f = v.data.frame[i];
  if (d < v.data.depth[v.zoomBox]) return dark ? 'hsl(0 0% 30%)' : 'hsl(0 0% 82%)';
  if (v.matches) return v.matches[f] ? (dark ? 'hsl(300 80% 45%)' : 'hsl(300 85% 70%)') : (dark ? 'hsl(0 0% 24%)' : 'hsl(0 0% 88%)');
  if (v.source.color) return v.source.color(i, v.data, dark);
  return packageFill(v.data, f, dark);
}

/** One box: its fill, the inline notch, its label when it fits. */
function drawBox(v, g, i, d, p) {
  const { W, x0, scale } = p.geo;
  const px = (v.data.x[i] - x0) * scale;
  const pw = v.data.width[i] * scale;
  if (pw < 0.3 || px > W || px + pw < 0) return;
  const f = v.data.frame[i];
  const inline = v.data.inline[f] === 1;
  const y = d * ROW;
  const bx = Math.max(0, px);
  const bw = Math.min(W, px + pw) - bx;
  g.fillStyle = boxFill(v, i, d, p.dark);
  g.fillRect(bx, y, Math.max(0.5, bw - 0.5), ROW - 1);
  if (inline && bw > 6) {
    // the inline mark: a notch in the top-left corner
    g.fillStyle = p.dark ? 'hsl(0 0% 85%)' : 'hsl(0 0% 25%)';
    g.beginPath();
    g.moveTo(bx, y);
    g.lineTo(bx + 5, y);
    g.lineTo(bx, y + 5);
    g.fill();
  }
  if (bw > 3 * p.charW + 6) {
    const max = Math.floor((bw - 6) / p.charW);
    let label = frameName(v, f);
    if (label.length > max) label = engine.str(v.data.short, f);
    if (label.length > max) label = `${label.slice(0, max - 1)}…`;
    g.fillStyle = p.textColor;
    g.font = inline ? `italic ${p.font}` : p.font;
    g.fillText(label, bx + 3, y + 12.5);
    g.font = p.font;
  }
}

/** The hovered and the keyboard-focused boxes' outlines. */
function drawOutlines(v, g, css, textColor, W) {
  for (const [i, color] of [[v.hover, textColor], [v.focus, css.getPropertyValue('--accent').trim() || '#06c']]) {
    if (i < 0 || i >= v.data.frame.length) continue;
    const r = rect(v, i);
    g.strokeStyle = color;
    g.lineWidth = i === v.focus ? 2 : 1;
    g.strokeRect(Math.max(1, r.x) + 0.5, r.y + 0.5, Math.min(W - 2, r.x + r.w) - Math.max(1, r.x) - 1, r.h - 1);
  }
}

function draw(v) {
  if (!v.data) return;
  const g = prepareCanvas(v);
  const css = getComputedStyle(v.el);
  const font = '11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
  g.font = font;
  const p = {
    geo: geometry(v), font, charW: g.measureText('mmmmmmmmmm').width / 10,
    dark: matchMedia('(prefers-color-scheme: dark)').matches,
    textColor: css.getPropertyValue('--flame-text').trim() || '#000',
  };
  for (let d = 0; d < rows(v); d++) {
    for (let i = v.data.row_start[d]; i < v.data.row_start[d + 1]; i++) drawBox(v, g, i, d, p);
  }
  drawOutlines(v, g, css, p.textColor, p.geo.W);
}

function crumbsRender(v) {
  const items = [];
  for (let i = 0; i <= v.zoomBox; i++) {
    if (v.data.depth[i] > v.data.depth[v.zoomBox]) break;
    const node = v.data.node[i];
    const label = i === 0 ? 'root' : engine.str(v.data.short, v.data.frame[i]);
    items.push(i === v.zoomBox
      ? h('span', { class: 'crumb current', 'aria-current': 'true', title: boxName(v, i) }, label)
      : h('button', { type: 'button', class: 'crumb', title: boxName(v, i), onclick: () => requestZoom(v, node) }, label));
  }
  fill(v.crumbs, items);
}

async function describe(v, i) {
  if (v.formatted.has(i)) return v.formatted.get(i);
  if (v.source.describe) {
    const d = await v.source.describe(i, v.data);
    v.formatted.set(i, d);
    return d;
  }
  const p = v.data.parent[i];
  const val = v.data.value[i];
  const f = await engine.format(v.ctx.query(), [val, val, v.data.self[i]], [0, p === NONE ? 0 : v.data.value[p], 0]);
  const d = { value: f.values[0], total: f.percents[0], parent: p === NONE ? '' : f.percents[1], self: f.values[2] };
  v.formatted.set(i, d);
  return d;
}

function describeText(v, i, d) {
  if (d.text !== undefined) return `${boxName(v, i)}: ${d.text}`;
  const inl = v.data.inline[v.data.frame[i]] ? ' (inline)' : '';
  return `${boxName(v, i)}${inl}: ${d.value}, ${d.total} of total${d.parent ? `, ${d.parent} of parent` : ''}; self ${d.self}`;
}

async function showTip(v, i, mx, my) {
  v.hover = i;
  draw(v);
  if (i < 0) { v.tip.hidden = true; return; }
  const gen = v.generation;
  const inline = v.data.inline[v.data.frame[i]] === 1;
  fill(v.tip, h('div', { class: 'tip-name' }, boxName(v, i)), inline ? h('div', { class: 'tip-inline' }, 'inlined into its caller') : null,
    h('div', { class: 'tip-value' }, '…'));
  v.tip.hidden = false;
  const wr = v.wrap.getBoundingClientRect();
  v.tip.style.left = `${Math.min(mx + 14, wr.width - 320)}px`;
  v.tip.style.top = `${my + 16}px`;
  const d = await describe(v, i);
  if (gen !== v.generation || v.hover !== i) return;
  fill(v.tip.querySelector('.tip-value'), d.parts || [
    h('span', { class: 'tip-total' }, d.value), ` · ${d.total} of total`,
    d.parent ? ` · ${d.parent} of parent` : '', ` · self ${d.self}`]);
}

/** The box under canvas point (mx, my), or -1. */
function hit(v, mx, my) {
  if (!v.data) return -1;
  const d = Math.floor(my / ROW);
  if (d < 0 || d >= rows(v)) return -1;
  const { x0, scale } = geometry(v);
  const vx = x0 + mx / scale;
  let lo = v.data.row_start[d];
  let hi = v.data.row_start[d + 1] - 1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    if (v.data.x[m] + v.data.width[m] <= vx) lo = m + 1;
    else if (v.data.x[m] > vx) hi = m - 1;
    else return m;
  }
  return -1;
}

/** Mouse: hover shows the tooltip, a click zooms, right-click opens the actions. */
function listenPointer(v) {
  const point = (e) => {
    const r = v.canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  v.canvas.addEventListener('mousemove', (e) => {
    const [mx, my] = point(e);
    const i = hit(v, mx, my);
    if (i !== v.hover || i < 0) showTip(v, i, mx, my);
    else {
      v.tip.style.left = `${Math.min(mx + 14, v.wrap.clientWidth - 320)}px`;
      v.tip.style.top = `${my + 16}px`;
    }
  });
  v.canvas.addEventListener('mouseleave', () => { v.hover = -1; v.tip.hidden = true; draw(v); });
  v.canvas.addEventListener('click', (e) => {
    const i = hit(v, ...point(e));
    if (i < 0) return;
    v.focus = i;
    requestZoom(v, v.data.node[i], boxName(v, i));
  });
  v.canvas.addEventListener('contextmenu', (e) => {
    const i = hit(v, ...point(e));
    if (i <= 0) return;
    e.preventDefault();
    v.ctx.menu(e.pageX, e.pageY, boxName(v, i));
  });
}

async function announce(v, i) {
  if (i < 0) return;
  const d = await describe(v, i);
  if (v.focus === i) v.status.textContent = describeText(v, i, d);
}

function moveFocus(v, i) {
  if (i < 0 || i >= v.data.frame.length) return;
  v.focus = i;
  // keep the focused frame in sight inside the view's own scrolling
  const r = rect(v, i);
  if (r.y < v.wrap.scrollTop || r.y + ROW > v.wrap.scrollTop + v.wrap.clientHeight) v.wrap.scrollTop = r.y - v.wrap.clientHeight / 2;
  draw(v);
  announce(v, i);
}

/** Keyboard: arrows move between frames, Enter zooms in, Escape zooms out, the context-menu key opens the actions. */
function listenKeys(v) {
  v.canvas.addEventListener('keydown', (e) => {
    const data = v.data;
    if (!data) return;
    const i = v.focus < 0 ? v.zoomBox : v.focus;
    const d = data.depth[i];
    const rowOf = (depth) => [data.row_start[depth - data.depth[0]] ?? 0, data.row_start[depth - data.depth[0] + 1] ?? 0];
    if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (data.parent[i] !== NONE) moveFocus(v, data.parent[i]);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      const [s, t] = rowOf(d + 1);
      for (let c = s; c < t; c++) if (data.parent[c] === i) { moveFocus(v, c); break; }
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      const j = i + (e.key === 'ArrowLeft' ? -1 : 1);
      if (j >= 0 && j < data.frame.length && data.depth[j] === d) moveFocus(v, j);
    } else if (e.key === 'Enter' && v.focus >= 0) {
      e.preventDefault();
      requestZoom(v, data.node[v.focus], boxName(v, v.focus));
    } else if (e.key === 'Escape') {
      if (v.zoomBox > 0) { e.preventDefault(); requestZoom(v, data.node[data.parent[v.zoomBox]]); }
    } else if ((e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) && v.focus > 0) {
      e.preventDefault();
      const r = rect(v, v.focus);
      const cr = v.canvas.getBoundingClientRect();
      v.ctx.menu(cr.left + window.scrollX + Math.max(0, r.x) + 10, cr.top + window.scrollY + r.y + ROW, boxName(v, v.focus));
    }
  });
}

/** Redraws on resizes and on a change of the device's pixel ratio; returns the function that stops it. */
function watchResize(v) {
  const resize = new ResizeObserver(() => draw(v));
  resize.observe(v.wrap);
  let dprQuery = null;
  const onDpr = () => { watchDpr(); draw(v); };
  const watchDpr = () => {
    if (dprQuery) dprQuery.removeEventListener('change', onDpr);
    dprQuery = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    dprQuery.addEventListener('change', onDpr);
  };
  watchDpr();
  return () => { resize.disconnect(); if (dprQuery) dprQuery.removeEventListener('change', onDpr); };
}

async function fetchLayout(v, node) {
  const q = v.ctx.query();
  const gen = ++v.generation;
  const W = v.wrap.clientWidth || 800;
  // Boxes under a tenth of a device pixel at this zoom cannot be seen: the engine leaves them out.
  const minFraction = 1 / (10 * W * (window.devicePixelRatio || 1));
  const result = await (v.source.layout ? v.source.layout(q, node, minFraction) : engine.flame(q, node, minFraction));
  if (gen !== v.generation) return false;
  v.data = result;
  v.zoom = node;
  v.zoomBox = 0;
  for (let i = 0; i < v.data.node.length; i++) if (v.data.node[i] === node) { v.zoomBox = i; break; }
  v.formatted.clear();
  v.hover = -1;
  v.tip.hidden = true;
  if (v.focus >= v.data.frame.length) v.focus = -1;
  return true;
}

/**
 * A zoom the user asked for (and the frame they picked, if any): a step in
 * the page's history when the page keeps the zoom, else done here.
 */
function requestZoom(v, node, name) {
  if (v.stateZoom) {
    v.ctx.update({ zoom: node ? String(node) : '', ...(name ? { selection: name } : {}) }, { push: true });
    return;
  }
  if (name) v.ctx.select(name);
  zoomTo(v, node);
}

async function zoomTo(v, node) {
  const prevName = v.focus >= 0 && v.data ? boxName(v, v.focus) : null;
  const prevDepth = v.focus >= 0 && v.data ? v.data.depth[v.focus] : -1;
  if (!(await fetchLayout(v, node))) return;
  // keep the keyboard focus on the zoomed frame (or where it was, if still laid out)
  v.focus = v.zoomBox;
  if (prevName !== null) {
    for (let i = 0; i < v.data.frame.length; i++) if (v.data.depth[i] === prevDepth && boxName(v, i) === prevName) { v.focus = i; break; }
  }
  if (v.matches) await search(v, v.ctx.searchPattern(), true);
  crumbsRender(v);
  draw(v);
  announce(v, v.focus);
  v.ctx.rendered();
}

async function search(v, pattern, force = false) {
  if (!v.data) return;
  const k = `${v.key}\n${pattern}`;
  if (k === v.searchKey && !force) return;
  v.searchKey = k;
  if (!pattern) {
    v.matches = null;
    v.ctx.searchStatus('');
    draw(v);
    return;
  }
  const gen = v.generation;
  let r;
  try {
    r = await (v.source.search ? v.source.search(v.ctx.query(), pattern) : engine.flameSearch(v.ctx.query(), pattern));
  } catch (err) {
    if (!(err instanceof engine.Superseded)) v.ctx.searchStatus(err.message);
    return;
  }
  if (gen !== v.generation) return;
  v.matches = r.frames;
  if (r.pct === undefined) v.ctx.searchStatus(`${r.frames.reduce((n, x) => n + x, 0)} matching frames`);
  else v.ctx.searchStatus(h('span', {}, 'matching frames: ', h('span', { class: 'share' }, r.pct), ` of total (${r.value_text})`));
  draw(v);
}

/** The zoomed node the page's state names (0, the root, when none). */
function wantedZoom(v) {
  if (!v.stateZoom) return 0;
  const z = Number((v.ctx.state() || {}).zoom || 0);
  return Number.isInteger(z) && z > 0 ? z : 0;
}

async function render(v) {
  const q = v.ctx.query();
  const k = v.source.key ? v.source.key(q) : JSON.stringify([q.ids, q.options]);
  const zoom = wantedZoom(v);
  if (k === v.key) {
    // Back or Forward over a zoom: the same layout at another node.
    if (zoom !== v.zoom) await zoomTo(v, zoom);
    else draw(v);
    return;
  }
  v.key = k;
  v.focus = -1;
  v.matches = null;
  v.searchKey = '';
  let ok;
  try {
    ok = await fetchLayout(v, zoom);
  } catch (err) {
    // A zoom from an address that no longer names a node of this layout: the root instead.
    if (!zoom) throw err;
    ok = await fetchLayout(v, 0);
  }
  if (!ok) return;
  v.ctx.header(v.data);
  crumbsRender(v);
  v.status.textContent = '';
  draw(v);
  await search(v, v.ctx.searchPattern());
  v.ctx.rendered();
}
