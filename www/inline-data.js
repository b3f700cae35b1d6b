// Profiles carried inline, decoded locally (never fetched): base64 in an
// embedded view's <script type="application/octet-stream"
// data-encoding="base64"> child (embed.js), or in the page's address for
// the iframe form: #data=<base64>&name=heap.pb.gz (app.js; `data` and `name`
// may repeat, paired in order). The bytes may be gzipped or not: the engine
// tells by their first bytes.

/**
 * Standard or URL-safe base64, whitespace ignored (a `+` read back from an
 * address as a space counts as `+`). Throws, naming `name` and the position
 * of the first character that is not base64.
 * @returns {Uint8Array}
 */
export function decodeBase64(text, name) {
  const t = text.replace(/[\t\n\r\f]/g, '').trim().replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/');
  const bad = t.search(/[^A-Za-z0-9+/=]|=[^=]/);
  if (bad >= 0 || t.replace(/=+$/, '').length % 4 === 1) {
    const where = bad >= 0 ? `character ${bad + 1} (${JSON.stringify(t[bad])})` : `its length (${t.length} characters)`;
    throw new Error(`${name}: decoding base64: not base64 at ${where}`);
  }
  const bin = atob(t.replace(/=+$/, '').padEnd(Math.ceil(t.replace(/=+$/, '').length / 4) * 4, '='));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/**
 * The profiles in an address's hash: `{inputs: [{name, blob}]}`, or
 * `{inputs: [], error}` when one is not base64.
 */
export function hashInputs(hash) {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const names = q.getAll('name');
  const files = q.getAll('file');
  const inputs = [];
  try {
    q.getAll('data').forEach((d, i) => {
      const name = names[i] || files[i] || `inline-${i + 1}`;
      inputs.push({ name, blob: new Blob([decodeBase64(d, name)]) });
    });
  } catch (err) {
    return { inputs: [], error: err.message };
  }
  return { inputs };
}
