// The flame graph (and the differential one) as a standalone SVG document,
// drawn from the same layout the canvas draws (crate/src/view/flame.rs):
// one <rect> and one <text> per box wide enough to read, the full name and
// value in a <title>. Names come from profiles: every string is XML-escaped
// here, and characters XML cannot hold are dropped.
import * as engine from './engine.js';
import { packageFill } from './views/flame.js';
import { diffColor } from './views/compare.js';

const ROW = 18;
const CHAR = 6.7; // an 11px monospace character, as the canvas measures it
const HEAD = 24;

/** Text safe in XML content and attribute values. */
export function xml(s) {
  return String(s)
    // XML 1.0 forbids most control characters, lone surrogates and U+FFFE/U+FFFF.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** CSS Color 4 `hsl(h s% l%)` as the comma form every SVG reader knows. */
const svgColor = (c) => c.replace(/^hsl\((\S+) (\S+) (\S+)\)$/, 'hsl($1, $2, $3)');

/**
 * @param {import('./engine.js').FlameView & {change?: Float64Array}} data  the layout the view drew
 * @param {{title: string, diff?: boolean, width?: number, values?: string[]}} o
 *   values: per box, the text after its name in the tooltip
 * @returns {string}
 */
export function flameSvg(data, o) {
  const W = o.width || 1200;
  const n = data.frame.length;
  const rows = data.row_start.length - 1;
  const H = HEAD + rows * ROW + 2;
  const x0 = data.x[0];
  const scale = W / (data.width[0] || 1);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="11">`,
    `<title>${xml(o.title)}</title>`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="4" y="15" font-size="12" fill="#111111">${xml(o.title)}</text>`,
  ];
  for (let i = 0; i < n; i++) {
    const w = data.width[i] * scale;
    if (w < 0.3) continue;
    const x = (data.x[i] - x0) * scale;
    const y = HEAD + data.depth[i] * ROW;
    const f = data.frame[i];
    const name = engine.str(data.name, f);
    const inline = data.inline[f] === 1;
    const fill = svgColor(o.diff ? diffColor(data.change[i], false) : packageFill(data, f, false));
    const tip = o.values && o.values[i] ? `${name}${inline ? ' (inline)' : ''}: ${o.values[i]}` : name;
    out.push(`<g><title>${xml(tip)}</title><rect x="${x.toFixed(2)}" y="${y}" width="${Math.max(0.5, w - 0.5).toFixed(2)}" height="${ROW - 1}" fill="${fill}"/>`);
    if (w > 3 * CHAR + 6) {
      const max = Math.floor((w - 6) / CHAR);
      let label = name;
      if (label.length > max) label = engine.str(data.short, f);
      if (label.length > max) label = `${label.slice(0, max - 1)}…`;
      out.push(`<text x="${(x + 3).toFixed(2)}" y="${y + 12.5}" fill="#111111"${inline ? ' font-style="italic"' : ''}>${xml(label)}</text>`);
    }
    out.push('</g>');
  }
  out.push('</svg>', '');
  return out.join('\n');
}
