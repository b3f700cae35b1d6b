// Several files as one profile: with two or more loaded files of one kind
// (one per pod, say) the file list offers to show them merged, as pprof
// merges several sources; while several files are shown, "label samples by
// file" merges them with a `file` label naming each (the engine's
// merge_with_provenance), so the Tags view and tag filters split the merge
// by source. The option lives in the address (provenance=1).
import * as state from './state.js';
import * as files from './files.js';
import { h, fill } from './dom.js';

let bar = null;

export function init() {
  bar = h('div', { id: 'merge-bar', class: 'merge-bar', hidden: true });
  document.getElementById('files').after(bar);
}

/** Brings the bar up to date with the loaded files and the state. */
export function render() {
  if (!bar) return;
  const s = state.get();
  const loaded = files.entries.filter((e) => e.summary);
  const byKind = new Map();
  for (const e of loaded) byKind.set(e.summary.kind, [...(byKind.get(e.summary.kind) || []), e.name]);
  const offers = [...byKind].filter(([, names]) => names.length >= 2 && !(names.length === s.files.length && names.every((n) => s.files.includes(n))));
  const shown = files.active(s.files).length;
  const items = offers.map(([kind, names]) => h('button', {
    type: 'button', class: 'merge', 'data-kind': kind,
    title: `Show ${names.join(', ')} as one profile`,
    onclick: () => state.update({ files: names, view: s.view === 'compare' ? 'top' : s.view }, { push: true }),
  }, `Merge the ${names.length} ${kind} profiles`));
  if (shown > 1) {
    items.unshift(
      h('span', { class: 'hint' }, `${shown} files shown merged.`),
      h('label', { class: 'provenance', title: 'adds a label `file` naming each sample’s file: the Tags view and tagfocus split the merge by file' },
        h('input', {
          type: 'checkbox', id: 'provenance', checked: s.params.provenance === '1',
          onchange: (e) => {
            const params = { ...state.get().params };
            if (e.target.checked) params.provenance = '1';
            else delete params.provenance;
            state.update({ params }, { push: true });
          },
        }), ' label samples by file'));
  }
  fill(bar, items);
  bar.hidden = items.length === 0;
}
