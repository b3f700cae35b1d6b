// Stacks that appear or disappear between the two profiles (at function
// granularity, compare.rs stack_changes): heaviest first, each with its
// value and its frames (root first) behind a disclosure.
import * as engine from '../engine.js';
import { h, fill } from '../dom.js';

const LIMIT = 100;

/** @param {object} cctx the comparison's view context (compare.js) */
export function create(cctx) {
  const body = h('div', { class: 'stack-lists' });
  const el = h('div', { class: 'stacks-view' }, body);
  let key = '';
  let data = null;
  let generation = 0;

  function list(title, items, cls) {
    return h('section', { class: `stack-list ${cls}`, 'aria-label': title },
      h('h3', {}, `${title} (${items.length}${items.length === LIMIT ? '+' : ''})`),
      items.length
        ? h('ol', {}, items.map((s) => h('li', {},
          h('details', {},
            h('summary', {}, h('span', { class: 'num value' }, s.text), ' ', h('span', { class: 'name' }, s.frames[s.frames.length - 1] || '(empty stack)')),
            h('ol', { class: 'frames' }, s.frames.map((f) => h('li', { class: 'name' }, f)))))))
        : h('p', { class: 'hint' }, 'none'));
  }

  return {
    el,
    async render() {
      const q = cctx.query();
      const k = JSON.stringify([cctx.pair(), q.options]);
      if (k !== key) {
        const gen = ++generation;
        const r = await engine.compareStacks(cctx.pair(), q.options, LIMIT);
        if (gen !== generation) return;
        key = k;
        data = r;
        fill(body,
          list('New: only in the target', r.new, 'new'),
          list('Gone: only in the base', r.gone, 'gone'));
      }
      cctx.rendered();
    },
    data: () => data,
    destroy() { generation++; },
  };
}
