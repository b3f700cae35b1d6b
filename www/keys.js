// The page's keyboard shortcuts and the sheet that lists them (`?`):
// 1–9 switch views, `/` searches, `f` focuses on the selected function,
// `d` shows or hides the drawer, Escape backs out (the sheet, the drawer
// over the view, the search box). Keys typed in a field are the field's.
import * as state from './state.js';
import * as controls from './controls.js';
import * as layout from './layout.js';
import { h, fill } from './dom.js';

const $ = (id) => document.getElementById(id);

/** What the sheet lists: [keys, what they do]; the views add theirs. */
const SHEET = [
  ['Page', [
    ['?', 'this list of shortcuts'],
    ['1 – 9', 'switch to the view of that tab'],
    ['/', 'search the view (a regular expression)'],
    ['f', 'focus on the selected function (pprof\'s focus)'],
    ['d', 'show or hide the files, filters and findings'],
    ['Esc', 'back out: close this list, the drawer over the view, the search'],
    ['Alt+← / Alt+→', 'undo / redo a step (the browser\'s Back and Forward)'],
  ]],
  ['Top table', [
    ['↑ ↓ PgUp PgDn Home End', 'move the selected row (announced)'],
    ['Menu key, Shift+F10', 'actions on the row: focus, ignore, hide, peek…'],
  ]],
  ['Flame graph', [
    ['← → ↑ ↓', 'move between frames'],
    ['Enter', 'zoom into the frame'],
    ['Esc', 'zoom out one level'],
  ]],
  ['Call graph', [
    ['+ − 0', 'zoom in, out, fit'],
    ['arrows', 'pan'],
    ['Tab, Enter', 'reach a node, open its actions'],
  ]],
  ['Tabs', [['← → Home End', 'move between tabs']]],
];

const typing = (t) => t && t.closest && t.closest('input, textarea, select, [contenteditable], dialog');

function sheet() {
  const d = $('help');
  if (!d.childElementCount) {
    fill(d,
      h('h2', { id: 'help-title' }, 'Keyboard shortcuts'),
      SHEET.map(([group, rows]) => h('table', {},
        h('caption', { class: 'sr-only' }, group),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, group), h('th', { scope: 'col' }, ''))),
        h('tbody', {}, rows.map(([k, what]) => h('tr', {}, h('td', {}, h('kbd', {}, k)), h('td', {}, what)))))),
      h('form', { method: 'dialog', class: 'dialog-buttons' }, h('button', { type: 'submit', autofocus: true }, 'Close')));
  }
  return d;
}

/** Opens the list of shortcuts. */
export function help() {
  const d = sheet();
  if (!d.open) d.showModal();
}

/** @param {{views: string[], focusSearch: () => void}} o */
export function init(o) {
  $('help-button').addEventListener('click', help);
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (e.key === 'Escape') {
      if (layout.isOpen() && document.body.classList.contains('narrow')) { layout.setOpen(false, false); return; }
      if (document.activeElement === $('search')) { $('search').blur(); $('view').focus(); }
      return;
    }
    if (typing(e.target) || !document.body.classList.contains('files-loaded')) {
      if (e.key === '?' && !typing(e.target)) { e.preventDefault(); help(); }
      return;
    }
    const s = state.get();
    if (e.key === '?') { e.preventDefault(); help(); }
    else if (/^[1-9]$/.test(e.key) && o.views[Number(e.key) - 1]) {
      e.preventDefault();
      const id = o.views[Number(e.key) - 1];
      if (id !== s.view) state.update({ view: id }, { push: true });
    } else if (e.key === 'f' && s.selection) {
      e.preventDefault();
      controls.apply([{ op: 'focus', value: state.exactly(s.selection) }]);
    } else if (e.key === 'd') {
      e.preventDefault();
      layout.setOpen(!layout.isOpen());
    }
  });
}
