// The right-click menu on a row or frame: apply a filter on that function,
// add a step of the transform stack (breadcrumbs.js; the call-node steps
// where the view gives the frame's path), peek at it, open its sandwich,
// or copy its name. Keyboard: the context-menu key or Shift+F10
// opens it on the focused item, arrows move, Escape closes.
import * as state from './state.js';
import * as controls from './controls.js';
import * as breadcrumbs from './breadcrumbs.js';
import { h, fill } from './dom.js';

const menu = () => document.getElementById('menu');
let returnFocus = null;

const ACTIONS = [
  ['focus', 'Focus on'],
  ['ignore', 'Ignore'],
  ['hide', 'Hide'],
  ['show', 'Show only'],
  ['show_from', 'Show from'],
  ['prune_from', 'Prune from'],
];

/** Opens the menu for function `name` (at call path `path`, root first, if known) at page coordinates (x, y). */
export function open(x, y, name, path) {
  const m = menu();
  returnFocus = document.activeElement;
  const re = state.exactly(name);
  const item = (label, run) => h('button', {
    type: 'button', role: 'menuitem',
    onclick: () => { close(); run(); },
  }, label);
  fill(m,
    h('div', { class: 'menu-title' }, name),
    ACTIONS.map(([op, label]) => item(`${label}`, () => controls.apply([{ op, value: re }]))),
    h('hr'),
    breadcrumbs.actions(name, path).map(([label, step]) => item(label, () => breadcrumbs.add(step))),
    h('hr'),
    item('Peek callers and callees', () => state.update({ selection: name, view: 'peek' }, { push: true })),
    item('Sandwich: callers and callees as flame graphs', () => {
      const s = state.get();
      state.update({ selection: name, view: 'sandwich', params: { ...s.params, sandwich: state.exactly(name) } }, { push: true });
    }),
    item('Copy name', () => navigator.clipboard && navigator.clipboard.writeText(name).catch(() => {})),
  );
  m.hidden = false;
  const r = m.getBoundingClientRect();
  m.style.left = `${Math.max(0, Math.min(x, window.scrollX + document.documentElement.clientWidth - r.width - 4))}px`;
  m.style.top = `${Math.max(0, Math.min(y, window.scrollY + document.documentElement.clientHeight - r.height - 4))}px`;
  m.querySelector('button').focus();
}

export function close() {
  const m = menu();
  if (m.hidden) return;
  m.hidden = true;
  if (returnFocus && returnFocus.focus) returnFocus.focus();
}

export function init() {
  const m = menu();
  document.addEventListener('mousedown', (e) => { if (!m.contains(e.target)) close(); });
  window.addEventListener('blur', close);
  m.addEventListener('keydown', (e) => {
    const items = [...m.querySelectorAll('button')];
    const i = items.indexOf(document.activeElement);
    if (e.key === 'Escape') { e.preventDefault(); close(); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); items[(i + 1) % items.length].focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); items[(i - 1 + items.length) % items.length].focus(); }
    else if (e.key === 'Tab') close();
  });
}
