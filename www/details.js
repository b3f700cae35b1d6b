// The details panel: what the profile says about itself (kind, format,
// period, times, comments, drop_frames, mappings with build ids, label keys)
// and, for heap debug=1 text, the runtime.MemStats table.
import { h, fill } from './dom.js';

function table(caption, head, rows, cls = '') {
  return h('table', { class: `kv ${cls}` },
    h('caption', {}, caption),
    head && h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((x, i) => (i === 0 && !head ? h('th', { scope: 'row' }, x) : h('td', {}, x)))))));
}

/**
 * @param {HTMLElement} el
 * @param {{name: string, d: any}[]} list details of each shown file
 */
export function render(el, list) {
  fill(el, list.map(({ name, d }) => {
    const meta = [
      ['file', name],
      ['kind', d.kind],
      ['format', d.format],
      ['sample types', d.sample_types.map(([t, u]) => `${t}/${u}`).join(', ')],
      ['default sample type', d.default_sample_type],
      ['period', d.period ? `${d.period_text} (${d.period} ${d.period_type[1]}, ${d.period_type[0]})` : ''],
      ['time', d.time],
      ['duration', d.duration],
      ['drop_frames', d.drop_frames],
      ['keep_frames', d.keep_frames],
      ['doc_url', d.doc_url],
      ['samples / stacks', `${d.samples} / ${d.stacks}`],
      ['locations / functions', `${d.locations} / ${d.functions}`],
    ].filter(([, v]) => v !== '');
    return h('section', { class: 'detail' },
      table('Profile', null, meta),
      d.comments.length > 0 && table('Comments', null, d.comments.map((c, i) => [String(i + 1), c])),
      d.warnings.length > 0 && table('Decoder warnings', null, d.warnings.map((c, i) => [String(i + 1), c])),
      d.mappings.length > 0 && table('Mappings', ['id', 'start', 'limit', 'offset', 'file', 'build id', 'resolved'],
        d.mappings.map((m) => [String(m.id), m.start, m.limit, m.offset, m.file, m.build_id, m.has])),
      d.label_keys.length > 0 && table('Label keys', ['key', 'kind', 'values / units', 'samples'],
        [...d.label_keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
          .map((k) => [k.key, k.kind, k.kind === 'numeric' ? k.units.filter((u) => u).join(', ') || '(no unit)' : String(k.values), String(k.samples)])),
      d.memstats.length > 0 && table('runtime.MemStats', ['field', 'value'], d.memstats, 'memstats'),
    );
  }));
}
