// Saved reports (www/share.js writes them): this module is the page's first
// import, so it runs before anything touches the document or reads the
// address. It keeps a pristine copy of the page's own document (the page
// holds all of its code inline, so the copy is the whole viewer: a report is
// written without any request), and, when the page is a saved report, reads
// the profiles and the view the report carries:
//   <script type="application/json" data-profdrop-report>{"hash": "file=…&view=flame", …}</script>
//   <script type="application/octet-stream" data-profdrop-file data-encoding="base64"
//           data-name="heap.pb.gz" data-last-modified="…">H4sI…</script>
// Neither type is JavaScript: the browser never runs them, and the page's
// Content-Security-Policy (scripts by hash) is unchanged.

import { decodeBase64 } from './inline-data.js';

const FILE_SEL = 'script[type="application/octet-stream"][data-profdrop-file]';
const REPORT_SEL = 'script[type="application/json"][data-profdrop-report]';

/** The document as it was parsed, without a report's data blocks. */
const pristine = document.documentElement.cloneNode(true);
for (const el of pristine.querySelectorAll(`${FILE_SEL}, ${REPORT_SEL}`)) el.remove();

/** The page's own document as HTML text (doctype included), ready to receive data blocks. */
export function pageHtml() {
  return `<!doctype html>\n${pristine.outerHTML}`;
}

/** Whether the page holds its code inline (the single file and the hosted page both do). */
export function selfContained() {
  return [...pristine.querySelectorAll('script')].some((s) => !s.src && s.type === 'module' && s.textContent.length > 0);
}

/** What this report carries: `{hash, saved, redacted}` (null when the page is no report). */
export const report = (() => {
  const el = document.querySelector(REPORT_SEL);
  if (!el) return null;
  try {
    const r = JSON.parse(el.textContent);
    return r && typeof r === 'object' ? r : null;
  } catch {
    return null;
  }
})();

// The report's view: its state becomes the address before state.js reads it
// (an address that already names a view wins: a reload keeps the user's steps).
if (report && typeof report.hash === 'string' && !location.hash) {
  history.replaceState(null, '', `#${report.hash}`);
}


/**
 * The profiles the report carries, as files to open (gzipped or not: the
 * engine tells by the bytes). Blocks that fail to decode are skipped.
 * @returns {{name: string, blob: Blob}[]}
 */
export function savedFiles() {
  const out = [];
  for (const el of document.querySelectorAll(FILE_SEL)) {
    const name = el.dataset.name || `profile-${out.length + 1}`;
    if (el.dataset.encoding !== 'base64') continue;
    try {
      const lastModified = Number(el.dataset.lastModified) || undefined;
      // A file's date (comparisons of text dumps use it) when the original had one.
      const bytes = decodeBase64(el.textContent, name);
      out.push({ name, blob: lastModified ? new File([bytes], name, { lastModified }) : new Blob([bytes]) });
    } catch {
      // not base64: nothing to open
    }
  }
  return out;
}
