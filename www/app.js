// The page: load files (dialog, drop, example), list them, show a report.
import './style.css';
import * as engine from './engine.js';
import { examples } from './examples.js';

const files = [];
const list = document.getElementById('files');
const report = document.getElementById('report');

function render() {
  list.replaceChildren(...files.map((f) => {
    const li = document.createElement('li');
    li.textContent = f.error ? `${f.name}: ${f.error}` : `${f.name} (${f.summary.sample_types.map((t) => t[0]).join(', ')})`;
    if (f.error) li.className = 'error';
    return li;
  }));
}

async function show() {
  const ok = files.filter((f) => f.summary);
  if (!ok.length) { report.textContent = ''; return; }
  const last = ok[ok.length - 1];
  try {
    report.textContent = await engine.topText([last.summary.id], {});
  } catch (e) {
    report.textContent = e.message;
  }
}

async function add(name, bytes) {
  const entry = { name };
  files.push(entry);
  try {
    entry.summary = await engine.load(name, bytes);
  } catch (e) {
    entry.error = e.message;
  }
  render();
  await show();
}

document.getElementById('file-input').addEventListener('change', async (e) => {
  for (const f of e.target.files) await add(f.name, new Uint8Array(await f.arrayBuffer()));
  e.target.value = '';
});
document.addEventListener('dragover', (e) => e.preventDefault());
document.addEventListener('drop', async (e) => {
  e.preventDefault();
  for (const f of e.dataTransfer.files) await add(f.name, new Uint8Array(await f.arrayBuffer()));
});
document.getElementById('load-example').addEventListener('click', async () => {
  for (const x of examples) await add(x.name, x.bytes.slice());
});
