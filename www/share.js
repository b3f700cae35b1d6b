// Sharing without uploading: "Save report…" writes one .html file holding
// the viewer, the wasm and every loaded profile (gzipped, base64, in inert
// data blocks; see report-file.js), opening on the current view; optional
// redaction (crate/src/transform/redact.rs) replaces each profile by its
// redacted copy first. "Export" downloads what the current view shows: the
// table as CSV or Markdown, the flame graph as SVG or PNG, the shown (or
// diff) profile as a gzipped pprof file, the findings as Markdown.
// Everything is made in the page and saved through a Blob URL: no request.
import * as engine from './engine.js';
import * as state from './state.js';
import * as files from './files.js';
import * as insights from './insights.js';
import { pageHtml } from './report-file.js';
import { download } from './download.js';
import { flameSvg } from './export-svg.js';
import { modeOf, baseOf } from './views/compare.js';
import { h, fill } from './dom.js';

/** The engine's redaction options and the page's own (file names). */
const REDACT = [
  ['file_paths', 'Drop file paths (source file names) and comments'],
  ['function_names', 'Replace function names outside the standard library with hashes'],
  ['label_values', 'Replace label values with hashes'],
  ['mappings', 'Drop mappings (binary paths, build ids)'],
  ['file_names', 'Replace the files’ names with profile-1.pb.gz, profile-2.pb.gz, …'],
];

/** Figures of the last save, for tests and the benchmark: bytes written, milliseconds taken. */
export const lastSave = { bytes: 0, ms: 0, files: 0, name: '' };

let getView = () => null;
let dialog = null;
let exportMenu = null;

const attr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A file name part made of the shown files' names (safe in any file system). */
function stem() {
  const names = state.get().files.map((n) => n.replace(/\.(pb\.gz|pb|gz|txt|pprof|prof)$/i, ''));
  const s = (names.length > 2 ? `${names[0]}+${names.length - 1}` : names.join('+')) || 'profile';
  return s.replace(/[^\w.+-]+/g, '_').slice(0, 80);
}

/** Gzip by the browser's CompressionStream (the engine links no deflater: the wasm stays smaller). */
async function gzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function base64(bytes) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).slice(String(r.result).indexOf(',') + 1));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(new Blob([bytes]));
  });
}

/**
 * The report as HTML text: the page's own document plus one data block per
 * loaded file and the state. With any redaction, each file is the engine's
 * redacted copy, and the filters and selection (which name functions and
 * label values) are not kept.
 * @param {{file_paths?: boolean, function_names?: boolean, label_values?: boolean, mappings?: boolean, file_names?: boolean}} redact
 */
export async function buildReport(redact = {}) {
  const t0 = performance.now();
  const engineOpts = { file_paths: !!redact.file_paths, function_names: !!redact.function_names, label_values: !!redact.label_values, mappings: !!redact.mappings };
  const redacting = Object.values(engineOpts).some(Boolean);
  const loaded = files.entries.filter((e) => e.summary);
  const rename = new Map(loaded.map((e, i) => [e.name, redact.file_names ? `profile-${i + 1}.pb.gz` : e.name]));
  const blocks = [];
  for (const e of loaded) {
    let bytes = redacting ? await engine.redacted(e.summary.id, engineOpts) : new Uint8Array(await e.blob.arrayBuffer());
    if (!(bytes[0] === 0x1f && bytes[1] === 0x8b)) bytes = await gzip(bytes);
    const date = !redact.file_names && e.blob.lastModified ? ` data-last-modified="${e.blob.lastModified}"` : '';
    blocks.push(`<script type="application/octet-stream" data-profdrop-file data-encoding="base64" data-name="${attr(rename.get(e.name))}"${date}>${await base64(bytes)}</script>`);
  }
  const s = state.get();
  const kept = { ...s, files: s.files.map((n) => rename.get(n) || n), params: { ...s.params } };
  for (const k of ['diff_base', 'base']) if (kept.params[k]) kept.params[k] = rename.get(kept.params[k]) || kept.params[k];
  if (redacting) {
    kept.transforms = s.transforms.filter((t) => t.op === 'granularity');
    kept.selection = '';
  }
  const meta = { hash: state.toHash(kept), saved: new Date().toISOString(), files: loaded.length, redacted: { ...engineOpts, file_names: !!redact.file_names } };
  const json = JSON.stringify(meta).replace(/</g, '\\u003c');
  const data = `<script type="application/json" data-profdrop-report>${json}</script>\n${blocks.join('\n')}\n`;
  const page = pageHtml();
  const at = page.lastIndexOf('</body>');
  const html = at < 0 ? page + data : page.slice(0, at) + data + page.slice(at);
  return { html, ms: performance.now() - t0, files: loaded.length };
}

/** Builds the report and downloads it. */
export async function saveReport(redact) {
  const r = await buildReport(redact);
  const name = `profdrop-${stem()}.html`;
  const bytes = download(name, r.html, 'text/html');
  Object.assign(lastSave, { bytes, ms: r.ms, files: r.files, name });
  return lastSave;
}

function redactChoice() {
  const o = {};
  for (const [k] of REDACT) o[k] = dialog.querySelector(`input[name="${k}"]`).checked;
  return o;
}

async function renderKept() {
  const o = redactChoice();
  const list = dialog.querySelector('.kept');
  const redacting = ['file_paths', 'function_names', 'label_values', 'mappings'].some((k) => o[k]);
  let kept;
  try {
    kept = await engine.redactionKept(o);
  } catch (err) {
    fill(list, h('li', { class: 'error' }, err.message));
    return;
  }
  const n = files.entries.filter((e) => e.summary).length;
  fill(list,
    h('li', {}, redacting ? `${n} file${n === 1 ? '' : 's'}, each rewritten as a redacted pprof profile` : `${n} file${n === 1 ? '' : 's'}, byte for byte as opened (gzipped)`),
    redacting ? kept.map((k) => h('li', {}, k)) : h('li', {}, 'everything in them: names, paths, labels, mappings'),
    h('li', {}, o.file_names ? 'not the files’ names' : 'the files’ names'),
    h('li', {}, redacting ? 'the view and sample type; not the filters or selection (they name functions and labels), nor the per-goroutine records (arguments, creators) of text dumps' : 'the view, sample type, filters and selection'));
}

function openDialog() {
  if (!dialog) {
    const status = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
    dialog = h('dialog', { id: 'save-dialog', class: 'save-dialog', 'aria-labelledby': 'save-title' },
      h('h2', { id: 'save-title' }, 'Save report'),
      h('p', {}, 'One .html file holding the viewer and the loaded profiles, opening on this view. It works from disk or as a mail attachment, with no network; nothing is uploaded.'),
      h('fieldset', { class: 'redact' }, h('legend', {}, 'Redact before saving'),
        REDACT.map(([k, label]) => h('label', {}, h('input', { type: 'checkbox', name: k, onchange: renderKept }), ` ${label}`))),
      h('p', { class: 'kept-title' }, 'The file keeps:'),
      h('ul', { class: 'kept' }),
      h('div', { class: 'dialog-buttons' },
        h('button', { type: 'button', class: 'cancel', onclick: () => dialog.close() }, 'Cancel'),
        h('button', {
          type: 'button', class: 'save primary',
          onclick: async () => {
            status.textContent = 'saving…';
            try {
              const r = await saveReport(redactChoice());
              status.textContent = `saved ${r.name} (${(r.bytes / 1024).toFixed(0)} KiB)`;
              dialog.close();
            } catch (err) {
              status.textContent = `could not save: ${err.message}`;
            }
          },
        }, 'Save')),
      status);
    document.body.append(dialog);
  }
  renderKept();
  dialog.showModal();
}

// ---------------------------------------------------------------------------
// Exports of the current view.
// ---------------------------------------------------------------------------

/** The comparison the Compare view shows, or null. */
function shownPair() {
  const s = state.get();
  const loaded = files.entries.filter((e) => e.summary);
  const base = loaded.find((e) => e.name === baseOf(s.params));
  const target = files.active(s.files)[0];
  return base && target ? { base: base.summary.id, target: target.summary.id, mode: modeOf(s.params) } : null;
}

/** The flame view instance on show (plain or differential), or null. */
function shownFlame() {
  const v = getView();
  if (!v) return null;
  if (v.id === 'flame') return { inst: v.inst, diff: false };
  if (v.id === 'compare' && v.inst.sub) {
    const sub = v.inst.sub();
    if (sub && sub.flame && sub.data && sub.data()) return { inst: sub, diff: true };
  }
  return null;
}

const query = () => {
  const s = state.get();
  return { ids: files.active(s.files).map((e) => e.summary.id), options: state.options(s) };
};

async function flameAsSvg() {
  const f = shownFlame();
  const data = f && f.inst.data();
  if (!data) throw new Error('no flame graph on show');
  const s = state.get();
  const filters = s.transforms.map((t) => `${t.op}=${t.value}`).join(' ');
  let values = null;
  if (!f.diff) {
    const n = data.frame.length;
    const r = await engine.format(query(), Array.from(data.value), new Array(n).fill(0));
    values = r.values.map((v, i) => `${v} (${r.percents[i]})`);
  } else {
    values = Array.from(data.value, (v, i) => `delta ${v} (base ${data.base[i]}, target ${data.target[i]}, ${data.sample_type})`);
  }
  const title = `${f.diff ? 'Differential flame graph' : 'Flame graph'} · ${s.files.join(', ')} · ${data.sample_type}${filters ? ` · ${filters}` : ''}`;
  return flameSvg(data, { title, diff: f.diff, values });
}

function flameAsPng() {
  const f = shownFlame();
  const canvas = f && f.inst.el.querySelector('canvas.flame');
  if (!canvas) throw new Error('no flame graph on show');
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no image'))), 'image/png'));
}

/** What the current view can export: [label, action] pairs. */
function exportsFor() {
  const v = getView();
  const s = state.get();
  const out = [];
  if (!v) return out;
  const sorted = () => ({ ...query(), options: { ...query().options, cum: s.sort === 'cum' } });
  const flameOn = shownFlame();
  if (v.id === 'top') {
    out.push(['Table as CSV', async () => download(`${stem()}-top.csv`, await engine.topExport(sorted(), 'csv'), 'text/csv')]);
    out.push(['Table as Markdown', async () => download(`${stem()}-top.md`, await engine.topExport(sorted(), 'markdown'), 'text/markdown')]);
  }
  if (flameOn) {
    const what = flameOn.diff ? 'diff-flame' : 'flame';
    out.push([`${flameOn.diff ? 'Differential flame' : 'Flame'} graph as SVG`, async () => download(`${stem()}-${what}.svg`, await flameAsSvg(), 'image/svg+xml')]);
    out.push([`${flameOn.diff ? 'Differential flame' : 'Flame'} graph as PNG`, async () => download(`${stem()}-${what}.png`, await flameAsPng(), 'image/png')]);
  }
  if (v.id === 'compare') {
    const pair = shownPair();
    if (pair) {
      if ((s.params.compare || 'table') === 'table') {
        out.push(['Diff table as CSV', async () => download(`${stem()}-diff.csv`, await engine.compareExport(pair, { ...query().options, cum: s.sort === 'cum' }, 'csv'), 'text/csv')]);
        out.push(['Diff table as Markdown', async () => download(`${stem()}-diff.md`, await engine.compareExport(pair, { ...query().options, cum: s.sort === 'cum' }, 'markdown'), 'text/markdown')]);
      }
      out.push(['Diff profile as pprof (.pb.gz)', async () => download(`${stem()}-diff.pb.gz`, await gzip(await engine.compareExportPprof(pair, query().options)), 'application/gzip')]);
    }
  } else {
    out.push(['Profile as pprof (.pb.gz)', async () => download(`${stem()}-filtered.pb.gz`, await gzip(await engine.exportPprof(query())), 'application/gzip')]);
    // Go's PGO: the shown CPU profiles merged, unfiltered, as `go tool pprof -proto a b > default.pgo`.
    out.push(['PGO profile (default.pgo)', async () => {
      const m = await engine.mergeExport(query().ids, true);
      download('default.pgo', await gzip(m.bytes), 'application/octet-stream');
      return m.warnings.length ? { note: `default.pgo saved (${m.summary}). ${m.warnings.join(' ')}` } : null;
    }]);
  }
  const found = insights.shown();
  if (found && found.findings.length) out.push(['Findings as Markdown', () => download('profdrop-findings.md', found.markdown, 'text/markdown')]);
  return out;
}

function closeExports() {
  exportMenu.hidden = true;
  document.getElementById('export-button').setAttribute('aria-expanded', 'false');
}

function toggleExports() {
  const button = document.getElementById('export-button');
  if (!exportMenu.hidden) { closeExports(); return; }
  const status = h('p', { class: 'hint export-status', role: 'status' });
  fill(exportMenu, exportsFor().map(([label, run]) => h('button', {
    type: 'button', role: 'menuitem',
    onclick: async () => {
      try {
        // An action may return {note} to show (the menu then stays open to show it).
        const r = await run();
        if (r && r.note) status.textContent = r.note;
        else closeExports();
      } catch (err) {
        status.textContent = `could not export: ${err.message}`;
      }
    },
  }, label)), status);
  exportMenu.hidden = false;
  button.setAttribute('aria-expanded', 'true');
  const first = exportMenu.querySelector('button');
  if (first) first.focus();
}

/**
 * Adds "Save report…" to the page's header and "Export" to the tabs bar.
 * @param {{view: () => ({id: string, inst: object} | null)}} o  the view on show
 */
export function init(o) {
  getView = o.view;
  const save = h('button', { type: 'button', id: 'save-report', hidden: true, onclick: openDialog }, 'Save report…');
  document.getElementById('load-example').after(save);
  exportMenu = h('div', { id: 'export-menu', class: 'export-menu', role: 'menu', hidden: true });
  exportMenu.addEventListener('keydown', (e) => { if (e.key === 'Escape') { closeExports(); document.getElementById('export-button').focus(); } });
  const button = h('button', { type: 'button', id: 'export-button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': 'export-menu', onclick: toggleExports }, 'Export ▾');
  const wrap = h('span', { class: 'export-wrap' }, button, exportMenu);
  document.querySelector('#tabs-bar .search').before(wrap);
  document.addEventListener('click', (e) => { if (!exportMenu.hidden && !wrap.contains(e.target)) closeExports(); });
}

/** Shows "Save report…" once a file is loaded. */
export function refresh() {
  const b = document.getElementById('save-report');
  if (b) b.hidden = !files.entries.some((e) => e.summary);
}
