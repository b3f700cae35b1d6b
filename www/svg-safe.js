// Graphviz's SVG into the page without trusting it: names from a profile
// reach the SVG as label text, so the string is never inserted as markup.
// It is parsed as image/svg+xml (an XML parser: no HTML error recovery),
// checked (no script, foreignObject, event attribute or javascript: link:
// one of those means something went wrong upstream, and nothing is shown),
// then copied element by element into new nodes made with createElementNS:
// only drawing elements and attributes on an allow list, each attribute
// value matching its own pattern; text is copied with textContent.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Elements copied (Graphviz's SVG uses these); `a` is unwrapped, `title` read for node names. */
const KEEP = new Set(['svg', 'g', 'text', 'path', 'polygon', 'polyline', 'ellipse', 'circle', 'rect', 'line', 'title', 'a']);
// (`title` is read, for node names, but not copied.)
/** Elements that must never appear: their presence aborts the whole drawing. */
const FORBIDDEN = new Set(['script', 'foreignobject', 'iframe', 'object', 'embed', 'image', 'use', 'style', 'animate',
  'animatemotion', 'animatetransform', 'set', 'handler', 'listener', 'feimage', 'link', 'meta', 'base']);

const NUM = /^[-+0-9.eE\s]*$/;
const LENGTH = /^[0-9.]+(pt|px)?$/;
const LIST = /^[-+0-9.eE,\s]*$/;
const COLOR = /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,20})$/;
/** Attribute -> allowed values. */
const ATTRS = {
  // Graphviz's ids (graph0, clust1, node1, edge1, a_node1, ...) and the DOT's (node12, NN2_0):
  // never one of the page's own ids.
  id: /^(graph|clust|node|edge|a_|N)[A-Za-z0-9_-]{0,60}$/,
  class: /^[A-Za-z0-9_ -]{1,64}$/,
  x: NUM, y: NUM, cx: NUM, cy: NUM, rx: NUM, ry: NUM, x1: NUM, y1: NUM, x2: NUM, y2: NUM,
  width: LENGTH, height: LENGTH,
  viewBox: LIST,
  points: LIST,
  d: /^[-+0-9.eE,\sMmLlHhVvCcSsQqTtAaZz]*$/,
  transform: /^(\s*(scale|rotate|translate)\([-+0-9.eE,\s]*\)\s*)*$/,
  fill: COLOR, stroke: COLOR,
  'stroke-width': NUM, 'stroke-dasharray': LIST, 'fill-opacity': NUM, 'stroke-opacity': NUM,
  'font-size': NUM, 'font-family': /^[A-Za-z0-9 ,-]{1,64}$/, 'font-weight': /^(bold|normal|[0-9]{3})$/,
  'font-style': /^(italic|normal|oblique)$/, 'text-anchor': /^(start|middle|end)$/,
};

/**
 * What makes an SVG document unacceptable: forbidden elements, event
 * attributes, script links. Empty when it is clean.
 * @param {Document} doc
 * @returns {string[]}
 */
export function problems(doc) {
  const found = [];
  if (doc.getElementsByTagName('parsererror').length) found.push('the SVG does not parse');
  for (const el of doc.getElementsByTagName('*')) {
    const name = el.localName.toLowerCase();
    if (FORBIDDEN.has(name)) found.push(`<${el.localName}> element`);
    if (el.namespaceURI !== SVG_NS) found.push(`<${el.localName}> outside the SVG namespace`);
    for (const a of el.attributes) {
      const n = a.localName.toLowerCase();
      if (n.startsWith('on')) found.push(`${a.name} attribute`);
      if (/^\s*(javascript|data|vbscript):/i.test(a.value.replace(/[\u0000-\u0020]/g, ''))) {
        if (n === 'href' || n === 'src' || n === 'action' || n === 'formaction') found.push(`${a.name}="${a.value.slice(0, 40)}"`);
      }
    }
  }
  return found;
}

/**
 * Parses Graphviz's SVG text and returns a fresh <svg> element built from
 * it, plus the DOT node name (`<title>`) of every node group, by the new
 * element. Throws when the SVG holds anything `problems` lists.
 * @param {string} text
 * @returns {{svg: SVGSVGElement, nodes: Map<SVGGElement, string>, width: number, height: number}}
 */
export function cleanSvg(text) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const bad = problems(doc);
  if (bad.length) throw new Error(`the graph layout was refused: it held ${[...new Set(bad)].slice(0, 3).join(', ')}`);
  const root = doc.documentElement;
  if (root.localName !== 'svg') throw new Error('the graph layout is not an SVG document');
  const nodes = new Map();
  const svg = /** @type {SVGSVGElement} */ (copy(root, nodes));
  const vb = (root.getAttribute('viewBox') || '').trim().split(/[\s,]+/).map(Number);
  return { svg, nodes, width: vb[2] || 0, height: vb[3] || 0 };
}

/** @returns {Element | DocumentFragment} */
function copy(src, nodes) {
  const name = src.localName;
  if (name === 'a') {
    // Graphviz wraps tooltips in links without targets: keep what they draw.
    const f = document.createDocumentFragment();
    for (const c of src.childNodes) { const x = copyChild(c, nodes); if (x) f.append(x); }
    return f;
  }
  const el = document.createElementNS(SVG_NS, name);
  for (const a of src.attributes) {
    if (a.namespaceURI) continue; // xlink:*, xml:* and the like
    const re = ATTRS[a.localName];
    if (re && re.test(a.value)) el.setAttribute(a.localName, a.value);
  }
  if (name === 'text') {
    el.textContent = src.textContent;
    return el;
  }
  for (const c of src.childNodes) {
    const x = copyChild(c, nodes);
    if (x) el.append(x);
  }
  if (name === 'g' && src.getAttribute('class') === 'node') {
    const t = [...src.children].find((c) => c.localName === 'title');
    if (t) nodes.set(el, t.textContent);
  }
  return el;
}

function copyChild(c, nodes) {
  if (c.nodeType !== 1) return null; // Graphviz puts no text outside <text>
  // <title>s would show as the browser's own tooltips ("N12"); the page has its own.
  if (!KEEP.has(c.localName) || c.localName === 'title') return null;
  return copy(c, nodes);
}
