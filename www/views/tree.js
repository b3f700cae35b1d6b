// Call tree: callers above callees (or, inverted, each function above its
// callers), with total and self per call path. Children are asked from the
// engine when a node is opened, heaviest first. A WAI-ARIA tree: arrows
// move, Right opens, Left closes or goes to the parent.
import * as engine from '../engine.js';
import { h, fill } from '../dom.js';

const LIMIT = 200;

export const title = 'Call tree';

/** @param {import('../app.js').ViewContext} ctx */
export function create(ctx) {
  const invert = h('input', { type: 'checkbox', id: 'tree-inverted' });
  const bar = h('div', { class: 'tree-bar' },
    h('label', {}, invert, ' inverted (bottom-up: functions that hold the value first, then their callers)'));
  const head = h('div', { class: 'tree-head', 'aria-hidden': 'true' },
    h('span', { class: 'num' }, 'total'), h('span', { class: 'num' }, 'total%'), h('span', { class: 'num' }, 'self'), h('span', {}, 'name'));
  const root = h('ul', { role: 'tree', class: 'tree', 'aria-label': 'Call tree' });
  const el = h('div', { class: 'tree-view' }, bar, head, root);
  let key = '';
  let generation = 0;
  let inverted = false;

  invert.addEventListener('change', () => ctx.update({ inverted: invert.checked }));

  /** Fetches and renders the children of `node` into `ul`. */
  async function open(ul, node, level, limit = LIMIT) {
    const gen = generation;
    const r = await engine.treeChildren(ctx.query(), inverted, node, limit, ctx.searchPattern());
    if (gen !== generation) return null;
    const sel = ctx.state().selection;
    const items = [];
    for (let k = 0; k < r.ids.length; k++) {
      const name = engine.str(r.name, k);
      const has = r.has_children[k] === 1;
      const li = h('li', {
        role: 'treeitem', tabindex: '-1', 'aria-level': level, 'aria-expanded': has ? 'false' : null,
        class: `${r.matched[k] ? 'match' : ''}${name === sel ? ' selected' : ''}`,
        dataset: { node: r.ids[k], name, total: r.total[k], self: r.self[k] },
      },
      h('div', { class: 'tree-row', style: `--level:${level - 1}` },
        h('span', { class: 'twisty', 'aria-hidden': 'true' }, has ? '▸' : ''),
        h('span', { class: 'num total' }, engine.str(r.total_text, k)),
        h('span', { class: 'num pct' }, engine.str(r.total_pct, k)),
        h('span', { class: 'num self' }, engine.str(r.self_text, k)),
        h('span', { class: 'name', title: name }, name, r.inline[k] ? h('span', { class: 'inl' }, ' (inline)') : null)));
      items.push(li);
    }
    if (r.more > 0) {
      items.push(h('li', { role: 'none', class: 'more' },
        h('button', { type: 'button', onclick: () => open(ul, node, level, limit * 4) }, `${r.more} more…`)));
    }
    fill(ul, items);
    return r;
  }

  async function toggle(li, expand) {
    if (li.getAttribute('aria-expanded') === null) return;
    const isOpen = li.getAttribute('aria-expanded') === 'true';
    if (expand === isOpen) return;
    if (isOpen) {
      li.setAttribute('aria-expanded', 'false');
      li.querySelector(':scope > ul')?.remove();
      li.querySelector('.twisty').textContent = '▸';
      return;
    }
    li.setAttribute('aria-expanded', 'true');
    li.querySelector('.twisty').textContent = '▾';
    const ul = h('ul', { role: 'group' });
    li.append(ul);
    const p = open(ul, Number(li.dataset.node), Number(li.getAttribute('aria-level')) + 1);
    loading.set(li, p);
    await p;
    loading.delete(li);
  }

  /** Children being fetched, by tree item: the keyboard waits for them. */
  const loading = new Map();

  const visible = () => [...root.querySelectorAll('li[role=treeitem]')].filter((x) => x.offsetParent !== null);
  function focusItem(li) {
    if (!li) return;
    for (const x of root.querySelectorAll('li[tabindex="0"]')) x.setAttribute('tabindex', '-1');
    li.setAttribute('tabindex', '0');
    li.focus();
  }

  root.addEventListener('click', (e) => {
    const li = e.target.closest('li[role=treeitem]');
    if (!li) return;
    focusItem(li);
    ctx.select(li.dataset.name);
    toggle(li);
  });
  root.addEventListener('contextmenu', (e) => {
    const li = e.target.closest('li[role=treeitem]');
    if (!li) return;
    e.preventDefault();
    ctx.menu(e.pageX, e.pageY, li.dataset.name);
  });
  root.addEventListener('keydown', async (e) => {
    const li = e.target.closest('li[role=treeitem]');
    if (!li) return;
    const items = visible();
    const i = items.indexOf(li);
    if (e.key === 'ArrowDown') { e.preventDefault(); focusItem(items[i + 1]); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); focusItem(items[i - 1]); }
    else if (e.key === 'Home') { e.preventDefault(); focusItem(items[0]); }
    else if (e.key === 'End') { e.preventDefault(); focusItem(items[items.length - 1]); }
    else if (e.key === 'ArrowRight') {
      e.preventDefault();
      if (li.getAttribute('aria-expanded') === 'false') toggle(li, true);
      else if (li.getAttribute('aria-expanded') === 'true') {
        await loading.get(li);
        focusItem(li.querySelector(':scope > ul > li[role=treeitem]'));
      }
    } else if (e.key === 'ArrowLeft') {
      e.preventDefault();
      if (li.getAttribute('aria-expanded') === 'true') toggle(li, false);
      else focusItem(li.parentElement.closest('li[role=treeitem]'));
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      ctx.select(li.dataset.name);
      toggle(li);
    } else if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      e.preventDefault();
      const r = li.getBoundingClientRect();
      ctx.menu(r.left + window.scrollX + 40, r.top + window.scrollY + 20, li.dataset.name);
    }
  });

  async function reload() {
    generation++;
    const r = await open(root, 0, 1);
    if (!r) return;
    ctx.header(r);
    root.dataset.total = r.parent.total;
    root.dataset.self = r.parent.self;
    const first = root.querySelector('li[role=treeitem]');
    if (first) first.setAttribute('tabindex', '0');
    // Open the heaviest path while one child carries most of its parent.
    let li = first;
    for (let depth = 0; li && depth < 8; depth++) {
      if (li.getAttribute('aria-expanded') !== 'false') break;
      await toggle(li, true);
      const kids = li.querySelectorAll(':scope > ul > li[role=treeitem]');
      if (kids.length !== 1) break;
      li = kids[0];
    }
    ctx.rendered();
  }

  return {
    el,
    async render() {
      const q = ctx.query();
      const s = ctx.state();
      inverted = s.inverted;
      invert.checked = inverted;
      const k = JSON.stringify([q.ids, q.options, inverted]);
      if (k === key) return;
      key = k;
      await reload();
    },
    async search() {
      // Matches are marked when rows are made: reload the open levels.
      key = '';
      await this.render();
    },
    destroy() { generation++; },
  };
}
