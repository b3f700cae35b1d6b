// Files the user keeps: a Blob URL and an <a download> click, revoked
// afterwards. Nothing leaves the machine: the browser saves the bytes it
// already holds.

/**
 * @param {string} name  the suggested file name
 * @param {BlobPart | BlobPart[]} data
 * @param {string} type  MIME type
 */
export function download(name, data, type) {
  const blob = new Blob(Array.isArray(data) ? data : [data], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return blob.size;
}
