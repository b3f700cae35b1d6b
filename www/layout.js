// The app shell: a thin header and the tabs on top, the view filling the
// rest of the window (it scrolls inside itself), and a drawer beside it with
// the files, the filters, the findings and the details. The drawer's state
// is remembered (localStorage); in a narrow window it lies over the view and
// closes when an action in it shows its result. Results of actions are
// brought into sight (`reveal`), and messages about them appear above the
// view (`notice`), where the user is looking.
import { h } from './dom.js';

const $ = (id) => document.getElementById(id);
const KEY = 'profdrop.drawer';
/** Below this width the drawer lies over the view instead of beside it. */
const narrow = matchMedia('(max-width: 999px)');

function stored() {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function store(v) {
  try {
    localStorage.setItem(KEY, v);
  } catch {
    // storage refused (private mode, file://): the state lasts for this page only
  }
}

/** Whether the drawer is open now. */
export const isOpen = () => !document.body.classList.contains('drawer-closed');

/** Opens or closes the drawer; `remember` keeps the choice across reloads. */
export function setOpen(open, remember = true) {
  document.body.classList.toggle('drawer-closed', !open);
  $('drawer-toggle').setAttribute('aria-expanded', String(open));
  $('drawer').inert = !open;
  if (remember) store(open ? 'open' : 'closed');
}

export function init() {
  const saved = stored();
  setOpen(saved ? saved === 'open' : !narrow.matches, false);
  document.body.classList.toggle('narrow', narrow.matches);
  narrow.addEventListener('change', () => document.body.classList.toggle('narrow', narrow.matches));
  $('drawer-toggle').addEventListener('click', () => setOpen(!isOpen()));
}

/**
 * Brings the view into sight after an action: closes a drawer that lies
 * over it, scrolls it into view and moves the keyboard focus there when the
 * action came from elsewhere (a button in the drawer, a finding's link).
 */
export function reveal({ focus = true } = {}) {
  if (narrow.matches && isOpen()) setOpen(false, false);
  const view = $('view');
  view.scrollIntoView({ block: 'nearest' });
  const active = document.activeElement;
  if (focus && !(active && view.contains(active))) view.focus({ preventScroll: true });
}

/** Opens the drawer and shows `el` in it (the findings panel from their one-line summary). */
export function showInDrawer(el) {
  setOpen(true, !narrow.matches);
  el.scrollIntoView({ block: 'start' });
}

/**
 * A dismissible message above the view (a file that failed to load), kept
 * until dismissed; one per `key` (a newer message of the same key replaces it).
 */
export function notice(key, text, kind = 'error') {
  const box = $('notices');
  const old = [...box.children].find((n) => n.dataset.key === key);
  const close = h('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss', title: 'Dismiss' }, '×');
  const n = h('div', { class: `notice ${kind}`, role: 'alert', 'data-key': key }, h('span', {}, text), close);
  close.addEventListener('click', () => n.remove());
  if (old) old.replaceWith(n);
  else box.append(n);
  n.scrollIntoView({ block: 'nearest' });
  return n;
}

/** Removes the message of `key`, if shown. */
export function dismiss(key) {
  const n = [...$('notices').children].find((x) => x.dataset.key === key);
  if (n) n.remove();
}

/**
 * Asks before Back leaves the page with `n` files loaded; resolves to true
 * to leave. The page's own dialog (not window.confirm), focus on "Stay".
 */
export function confirmLeave(n) {
  const d = $('leave');
  const stay = h('button', { type: 'submit', value: 'stay', autofocus: true }, 'Stay');
  const leave = h('button', { type: 'submit', value: 'leave', class: 'leave' }, 'Leave the page');
  d.replaceChildren(
    h('h2', { id: 'leave-title' }, 'Leave profdrop?'),
    h('p', {}, `The ${n} loaded file${n === 1 ? '' : 's'} will be closed: the address keeps the view, not the files, so they would have to be dropped again.`),
    h('form', { method: 'dialog', class: 'dialog-buttons' }, leave, stay));
  d.returnValue = '';
  return new Promise((resolve) => {
    d.addEventListener('close', () => resolve(d.returnValue === 'leave'), { once: true });
    d.showModal();
  });
}
