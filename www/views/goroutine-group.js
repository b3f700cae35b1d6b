// How a group of goroutines (crate/src/view/goroutines.rs GoroutineGroup) is
// shown, in the Goroutines view and in the goroutine diff alike: its name
// (first user frame, else the function it started in, else its leaf), its
// states with counts, its wait range, its creator, its labels, and its stack
// with files, lines and arguments.
import { h } from '../dom.js';

/** The name a group goes by. */
export function groupName(g) {
  return g.first_user_frame || g.entry || (g.frames[0] && g.frames[0].function) || '(no frames)';
}

export function statesText(states) {
  return states.map((s) => `${s.state} ${s.count}`).join(', ');
}

/** "3 min" or "2–7 min" (tracebacks print waits of a minute or more). */
export function waitText(g) {
  if (!g.wait_minutes) return '';
  const [lo, hi] = g.wait_minutes;
  if (hi === 0) return '';
  return lo === hi ? `${lo} min` : `${lo}–${hi} min`;
}

export function siteText(s) {
  return s ? `${s.function} ${s.file}:${s.line}` : '';
}

export function labelsText(g) {
  return g.labels.map((l) => `${l.key}=${l.value} (${l.count})`).join(', ');
}

/** The stack, leaf first: each frame's function (arguments when known) and file:line; then the creator. */
export function stackEl(g) {
  const items = g.frames.map((f) => h('li', {},
    h('span', { class: 'fn' }, f.function, f.args !== null && f.args !== undefined ? `(${f.args})` : ''),
    h('span', { class: 'loc' }, `${f.file}:${f.line}`)));
  if (g.frames_elided) items.push(h('li', { class: 'hint' }, '…additional frames elided…'));
  if (g.stack_unavailable) items.push(h('li', { class: 'hint' }, 'goroutine running on another thread: stack unavailable'));
  if (g.created_by) items.push(h('li', { class: 'creator' }, h('span', { class: 'fn' }, `created by ${g.created_by.function}`), h('span', { class: 'loc' }, `${g.created_by.file}:${g.created_by.line}`)));
  return h('ol', { class: 'goroutine-stack' }, items);
}
