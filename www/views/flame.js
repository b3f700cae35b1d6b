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
 *   inverted?: boolean,
 * }} FlameSource  inverted: the root at the bottom, callers growing upwards (the sandwich's top half)
 */

/**
 * @param {import('../app.js').ViewContext} ctx
 * @param {FlameSource} [source]
 */
export function create(ctx, source = {}) {
  const crumbs = h('nav', { class: 'crumbs', 'aria-label': 'Zoom path' });
  const canvas = h('canvas', {
    tabindex: '0', role: 'img', class: 'flame',
    'aria-label': 'Flame graph. Arrow keys move between frames, Enter zooms in, Escape zooms out, the context-menu key opens actions.',
  });
  const tip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
  const wrap = h('div', { class: 'flame-wrap' }, canvas, tip);
  const status = h('p', { class: 'flame-status', role: 'status', 'aria-live': 'polite' });
  const el = h('div', { class: 'flame-view' }, crumbs, status, wrap);

  /** @type {import('../engine.js').FlameView | null} */
  let data = null;
  let key = '';
  let zoom = 0;
  let zoomBox = 0;
  let focus = -1;
  let hover = -1;
  /** @type {Uint8Array | null} frames matching the search */
  let matches = null;
  let generation = 0;
  const formatted = new Map();

  const frameName = (f) => engine.str(data.name, f);
  const boxName = (i) => frameName(data.frame[i]);
  const rows = () => data.row_start.length - 1;
  /** Row `d`'s top edge, and the row at canvas height `my`. */
  const rowY = (d) => (source.inverted ? rows() - 1 - d : d) * ROW;
  const rowAt = (my) => (source.inverted ? rows() - 1 - Math.floor(my / ROW) : Math.floor(my / ROW));
  /** Function names from the root to box `i`: the call path a transform names. */
  const pathOf = (i) => {
    const path = [];
    for (let b = i; b !== NONE && b > 0; b = data.parent[b]) path.unshift(boxName(b));
    return path;
  };

  function geometry() {
    const W = wrap.clientWidth || 800;
    const x0 = data.x[zoomBox];
    const scale = W / (data.width[zoomBox] || 1);
    return { W, x0, scale };
  }

  /** A box's rectangle in CSS pixels, relative to the canvas. */
  function rect(i) {
    const { x0, scale } = geometry();
    return { x: (data.x[i] - x0) * scale, y: rowY(data.depth[i]), w: data.width[i] * scale, h: ROW - 1 };
  }

  function draw() {
    if (!data) return;
    const dpr = window.devicePixelRatio || 1;
    const { W, x0, scale } = geometry();
    const H = rows() * ROW + 2;
    canvas.style.width = `${W}px`;
    canvas.style.height = `${H}px`;
    canvas.width = Math.round(W * dpr);
    canvas.height = Math.round(H * dpr);
    const g = canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, W, H);
    const css = getComputedStyle(el);
    const dark = matchMedia('(prefers-color-scheme: dark)').matches;
    const textColor = css.getPropertyValue('--flame-text').trim() || '#000';
    const font = '11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
    g.font = font;
    const charW = g.measureText('mmmmmmmmmm').width / 10;
    const zoomDepth = data.depth[zoomBox];
    for (let d = 0; d < rows(); d++) {
      for (let i = data.row_start[d]; i < data.row_start[d + 1]; i++) {
        const px = (data.x[i] - x0) * scale;
        const pw = data.width[i] * scale;
        if (pw < 0.3 || px > W || px + pw < 0) continue;
        const f = data.frame[i];
        const inline = data.inline[f] === 1;
        let fillStyle;
        if (d < zoomDepth) fillStyle = dark ? 'hsl(0 0% 30%)' : 'hsl(0 0% 82%)';
        else if (matches) fillStyle = matches[f] ? (dark ? 'hsl(300 80% 45%)' : 'hsl(300 85% 70%)') : (dark ? 'hsl(0 0% 24%)' : 'hsl(0 0% 88%)');
        else if (source.color) fillStyle = source.color(i, data, dark);
        else fillStyle = packageFill(data, f, dark);
        const y = rowY(d);
        const bx = Math.max(0, px);
        const bw = Math.min(W, px + pw) - bx;
        g.fillStyle = fillStyle;
        g.fillRect(bx, y, Math.max(0.5, bw - 0.5), ROW - 1);
        if (inline && bw > 6) {
          // the inline mark: a notch in the top-left corner
          g.fillStyle = dark ? 'hsl(0 0% 85%)' : 'hsl(0 0% 25%)';
          g.beginPath();
          g.moveTo(bx, y);
          g.lineTo(bx + 5, y);
          g.lineTo(bx, y + 5);
          g.fill();
        }
        if (bw > 3 * charW + 6) {
          const max = Math.floor((bw - 6) / charW);
          let label = frameName(f);
          if (label.length > max) label = engine.str(data.short, f);
          if (label.length > max) label = `${label.slice(0, max - 1)}…`;
          g.fillStyle = textColor;
          g.font = inline ? `italic ${font}` : font;
          g.fillText(label, bx + 3, y + 12.5);
          g.font = font;
        }
      }
    }
    for (const [i, color] of [[hover, textColor], [focus, css.getPropertyValue('--accent').trim() || '#06c']]) {
      if (i < 0 || i >= data.frame.length) continue;
      const r = rect(i);
      g.strokeStyle = color;
      g.lineWidth = i === focus ? 2 : 1;
      g.strokeRect(Math.max(1, r.x) + 0.5, r.y + 0.5, Math.min(W - 2, r.x + r.w) - Math.max(1, r.x) - 1, r.h - 1);
    }
  }

  function crumbsRender() {
    const items = [];
    for (let i = 0; i <= zoomBox; i++) {
      if (data.depth[i] > data.depth[zoomBox]) break;
      const node = data.node[i];
      const label = i === 0 ? 'root' : engine.str(data.short, data.frame[i]);
      items.push(i === zoomBox
        ? h('span', { class: 'crumb current', 'aria-current': 'true', title: boxName(i) }, label)
        : h('button', { type: 'button', class: 'crumb', title: boxName(i), onclick: () => zoomTo(node) }, label));
    }
    fill(crumbs, items);
  }

  async function describe(i) {
    if (formatted.has(i)) return formatted.get(i);
    if (source.describe) {
      const d = await source.describe(i, data);
      formatted.set(i, d);
      return d;
    }
    const p = data.parent[i];
    const v = data.value[i];
    const f = await engine.format(ctx.query(), [v, v, data.self[i]], [0, p === NONE ? 0 : data.value[p], 0]);
    const d = { value: f.values[0], total: f.percents[0], parent: p === NONE ? '' : f.percents[1], self: f.values[2] };
    formatted.set(i, d);
    return d;
  }

  function describeText(i, d) {
    if (d.text !== undefined) return `${boxName(i)}: ${d.text}`;
    const inl = data.inline[data.frame[i]] ? ' (inline)' : '';
    return `${boxName(i)}${inl}: ${d.value}, ${d.total} of total${d.parent ? `, ${d.parent} of parent` : ''}; self ${d.self}`;
  }

  async function showTip(i, mx, my) {
    hover = i;
    draw();
    if (i < 0) { tip.hidden = true; return; }
    const gen = generation;
    const name = boxName(i);
    const inline = data.inline[data.frame[i]] === 1;
    fill(tip, h('div', { class: 'tip-name' }, name), inline ? h('div', { class: 'tip-inline' }, 'inlined into its caller') : null,
      h('div', { class: 'tip-value' }, '…'));
    tip.hidden = false;
    const wr = wrap.getBoundingClientRect();
    tip.style.left = `${Math.min(mx + 14, wr.width - 320)}px`;
    tip.style.top = `${my + 16}px`;
    const d = await describe(i);
    if (gen !== generation || hover !== i) return;
    fill(tip.querySelector('.tip-value'), d.parts || [
      h('span', { class: 'tip-total' }, d.value), ` · ${d.total} of total`,
      d.parent ? ` · ${d.parent} of parent` : '', ` · self ${d.self}`]);
  }

  /** The box under canvas point (mx, my), or -1. */
  function hit(mx, my) {
    if (!data) return -1;
    const d = rowAt(my);
    if (my < 0 || d < 0 || d >= rows()) return -1;
    const { x0, scale } = geometry();
    const vx = x0 + mx / scale;
    let lo = data.row_start[d];
    let hi = data.row_start[d + 1] - 1;
    while (lo <= hi) {
      const m = (lo + hi) >> 1;
      if (data.x[m] + data.width[m] <= vx) lo = m + 1;
      else if (data.x[m] > vx) hi = m - 1;
      else return m;
    }
    return -1;
  }

  const point = (e) => {
    const r = canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  canvas.addEventListener('mousemove', (e) => {
    const [mx, my] = point(e);
    const i = hit(mx, my);
    if (i !== hover || i < 0) showTip(i, mx, my);
    else {
      tip.style.left = `${Math.min(mx + 14, wrap.clientWidth - 320)}px`;
      tip.style.top = `${my + 16}px`;
    }
  });
  canvas.addEventListener('mouseleave', () => { hover = -1; tip.hidden = true; draw(); });
  canvas.addEventListener('click', (e) => {
    const i = hit(...point(e));
    if (i < 0) return;
    focus = i;
    ctx.select(boxName(i));
    zoomTo(data.node[i]);
  });
  canvas.addEventListener('contextmenu', (e) => {
    const i = hit(...point(e));
    if (i <= 0) return;
    e.preventDefault();
    ctx.menu(e.pageX, e.pageY, boxName(i), pathOf(i));
  });

  async function announce(i) {
    if (i < 0) return;
    const d = await describe(i);
    if (focus === i) status.textContent = describeText(i, d);
  }

  function moveFocus(i) {
    if (i < 0 || i >= data.frame.length) return;
    focus = i;
    const r = rect(i);
    const wr = wrap.getBoundingClientRect();
    if (wr.top + r.y < 0 || wr.top + r.y + ROW > window.innerHeight) window.scrollBy(0, wr.top + r.y - window.innerHeight / 2);
    draw();
    announce(i);
  }

  canvas.addEventListener('keydown', (e) => {
    if (!data) return;
    const i = focus < 0 ? zoomBox : focus;
    const d = data.depth[i];
    const rowOf = (depth) => [data.row_start[depth - data.depth[0]] ?? 0, data.row_start[depth - data.depth[0] + 1] ?? 0];
    // Towards the root is up, or down when the graph is drawn inverted.
    const [toRoot, toLeaves] = source.inverted ? ['ArrowDown', 'ArrowUp'] : ['ArrowUp', 'ArrowDown'];
    if (e.key === toRoot) {
      e.preventDefault();
      if (data.parent[i] !== NONE) moveFocus(data.parent[i]);
    } else if (e.key === toLeaves) {
      e.preventDefault();
      const [s, t] = rowOf(d + 1);
      for (let c = s; c < t; c++) if (data.parent[c] === i) { moveFocus(c); break; }
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      const j = i + (e.key === 'ArrowLeft' ? -1 : 1);
      if (j >= 0 && j < data.frame.length && data.depth[j] === d) moveFocus(j);
    } else if (e.key === 'Enter' && focus >= 0) {
      e.preventDefault();
      ctx.select(boxName(focus));
      zoomTo(data.node[focus]);
    } else if (e.key === 'Escape') {
      if (zoomBox > 0) { e.preventDefault(); zoomTo(data.node[data.parent[zoomBox]]); }
    } else if ((e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) && focus > 0) {
      e.preventDefault();
      const r = rect(focus);
      const cr = canvas.getBoundingClientRect();
      ctx.menu(cr.left + window.scrollX + Math.max(0, r.x) + 10, cr.top + window.scrollY + r.y + ROW, boxName(focus), pathOf(focus));
    }
  });

  const resize = new ResizeObserver(() => draw());
  resize.observe(wrap);
  let dprQuery = null;
  const watchDpr = () => {
    if (dprQuery) dprQuery.removeEventListener('change', onDpr);
    dprQuery = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    dprQuery.addEventListener('change', onDpr);
  };
  const onDpr = () => { watchDpr(); draw(); };
  watchDpr();

  async function fetchLayout(node) {
    const q = ctx.query();
    const gen = ++generation;
    const W = wrap.clientWidth || 800;
    // Boxes under a tenth of a device pixel at this zoom cannot be seen: the engine leaves them out.
    const minFraction = 1 / (10 * W * (window.devicePixelRatio || 1));
    const result = await (source.layout ? source.layout(q, node, minFraction) : engine.flame(q, node, minFraction));
    if (gen !== generation) return false;
    data = result;
    zoom = node;
    zoomBox = 0;
    for (let i = 0; i < data.node.length; i++) if (data.node[i] === zoom) { zoomBox = i; break; }
    formatted.clear();
    hover = -1;
    tip.hidden = true;
    if (focus >= data.frame.length) focus = -1;
    return true;
  }

  async function zoomTo(node) {
    const prevName = focus >= 0 && data ? boxName(focus) : null;
    const prevDepth = focus >= 0 && data ? data.depth[focus] : -1;
    if (!(await fetchLayout(node))) return;
    // keep the keyboard focus on the zoomed frame (or where it was, if still laid out)
    focus = zoomBox;
    if (prevName !== null) {
      for (let i = 0; i < data.frame.length; i++) if (data.depth[i] === prevDepth && boxName(i) === prevName) { focus = i; break; }
    }
    if (matches) await search(ctx.searchPattern(), true);
    crumbsRender();
    draw();
    announce(focus);
    ctx.rendered();
  }

  let searchKey = '';
  async function search(pattern, force = false) {
    if (!data) return;
    const k = `${key}\n${pattern}`;
    if (k === searchKey && !force) return;
    searchKey = k;
    if (!pattern) {
      matches = null;
      ctx.searchStatus('');
      draw();
      return;
    }
    const gen = generation;
    let r;
    try {
      r = await (source.search ? source.search(ctx.query(), pattern) : engine.flameSearch(ctx.query(), pattern));
    } catch (err) {
      ctx.searchStatus(err.message);
      return;
    }
    if (gen !== generation) return;
    matches = r.frames;
    if (r.pct === undefined) ctx.searchStatus(`${r.frames.reduce((n, x) => n + x, 0)} matching frames`);
    else ctx.searchStatus(h('span', {}, 'matching frames: ', h('span', { class: 'share' }, r.pct), ` of total (${r.value_text})`));
    draw();
  }

  return {
    el,
    async render() {
      const q = ctx.query();
      const k = source.key ? source.key(q) : JSON.stringify([q.ids, q.options]);
      if (k === key) { draw(); return; }
      key = k;
      focus = -1;
      matches = null;
      searchKey = '';
      if (!(await fetchLayout(0))) return;
      ctx.header(data);
      crumbsRender();
      status.textContent = '';
      draw();
      await search(ctx.searchPattern());
      ctx.rendered();
    },
    search,
    /** Test hooks: the layout, and a box's rectangle on the canvas. */
    data: () => data,
    rect,
    destroy() { generation++; resize.disconnect(); if (dprQuery) dprQuery.removeEventListener('change', onDpr); },
  };
}
