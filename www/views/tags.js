// Tags: pprof's -tags. Every label key with its total and its values,
// heaviest first, with their weights as pprof prints them and their share of
// the key's total. Clicking a value focuses on it (tagfocus=key=^value$,
// shown as a chip like the other filters); its "ignore" button adds
// tagignore instead. Numeric labels are listed; pprof filters those by range
// (type bytes=4kb: in the tagfocus field). A key can have a value per
// request: the engine sends the heaviest LIMIT values of each key and counts
// the rest, and "N more values" asks for four times as many.
import * as engine from '../engine.js';
import * as state from '../state.js';
import { h, fill } from '../dom.js';

export const title = 'Tags';

/** Values per key drawn at first. */
export const LIMIT = 200;

/** @param {import('../app.js').ViewContext} ctx */
export function create(ctx) {
  const body = h('div', { class: 'tags-body' });
  const el = h('div', { class: 'tags-view' }, body);
  /** @type {import('../engine.js').TagsView | null} */
  let data = null;
  let key = '';
  let generation = 0;
  let limit = LIMIT;

  /**
   * Adds a tag filter. pprof's option holds one key: a value of the key
   * already filtered joins it (any of them), another key replaces it.
   */
  function add(op, k, value) {
    const s = ctx.state();
    const f = state.tagExactly(k, value);
    const keep = s.transforms.filter((t) => t.op !== op || (t.value.startsWith(`${k}=`) && t.value !== f));
    ctx.update({ transforms: keep.concat({ op, value: f }) }, { push: true });
  }

  function draw() {
    if (!data.keys.length) {
      fill(body, h('p', { class: 'hint' }, 'The samples carry no labels.'));
      return;
    }
    fill(body, data.keys.map((k) => {
      const rows = [];
      for (let i = 0; i < k.weight.length; i++) {
        const v = engine.str(k.name, i);
        rows.push(h('tr', {},
          h('td', { class: 'num' }, engine.str(k.weight_text, i)),
          h('td', { class: 'num' }, engine.str(k.pct, i)),
          h('td', { class: 'name' }, k.numeric
            ? h('span', {}, v)
            : h('button', { type: 'button', class: 'link tag-value', title: `tagfocus=${state.tagExactly(k.key, v)}`, onclick: () => add('tagfocus', k.key, v) }, v)),
          h('td', {}, k.numeric ? null
            : h('button', { type: 'button', class: 'tag-ignore', title: `tagignore=${state.tagExactly(k.key, v)}`, 'aria-label': `Ignore ${k.key}=${v}`, onclick: () => add('tagignore', k.key, v) }, 'ignore'))));
      }
      if (k.more > 0) {
        rows.push(h('tr', { class: 'more' }, h('td', { colspan: 4 },
          h('button', { type: 'button', class: 'more-values', onclick: showMore }, `${k.more} more value${k.more > 1 ? 's' : ''}…`))));
      }
      return h('table', { class: 'tags' },
        h('caption', {}, h('span', { class: 'tag-key' }, k.key), ` Total ${k.total_text}`,
          k.more > 0 ? h('span', { class: 'count' }, ` (${k.weight.length} of ${k.weight.length + k.more} values shown)`) : null),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', class: 'num' }, 'weight'), h('th', { scope: 'col', class: 'num' }, 'of key'),
          h('th', { scope: 'col' }, 'value'), h('th', { scope: 'col' }))),
        h('tbody', {}, rows));
    }));
  }

  function showMore() {
    limit *= 4;
    key = '';
    ctx.update({});
  }

  return {
    el,
    async render() {
      const q = ctx.query();
      const k = JSON.stringify([q.ids, q.options, limit]);
      if (k === key) return;
      key = k;
      const gen = ++generation;
      let d;
      try {
        d = await engine.tags(q, limit);
      } catch (err) {
        if (gen === generation) key = '';
        throw err;
      }
      if (gen !== generation) return;
      data = d;
      ctx.header(data);
      draw();
      ctx.rendered();
    },
    search() {},
    /** Test hook: the keys as the engine sent them. */
    data: () => data,
    destroy() { generation++; },
  };
}
