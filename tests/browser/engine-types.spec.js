// The engine's results have the shapes www/engine.js documents: every
// @typedef there is parsed, and real results of the engine (the wasm package
// the page bundles, run here in Node exactly as the Worker runs it) are
// compared with them key by key and value by value: a key the engine returns
// that the docs do not list, a documented key it does not return (unless
// marked optional with `?`), or a value of another type fails the test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, root } from './fixtures.js';

/** The text of every `@typedef {TYPE} Name` in engine.js, by name. */
function typedefs(source) {
  const out = new Map();
  const text = source.replace(/^\s*\*\s?/gm, ' ');
  const at = /@typedef\s*\{/g;
  let m;
  while ((m = at.exec(text))) {
    let depth = 1;
    let i = m.index + m[0].length;
    for (; depth > 0 && i < text.length; i++) depth += text[i] === '{' ? 1 : text[i] === '}' ? -1 : 0;
    const type = text.slice(m.index + m[0].length, i - 1).trim();
    const name = /^\s*(\w+)/.exec(text.slice(i))[1];
    out.set(name, type);
  }
  return out;
}

/** Splits `s` at top-level occurrences of `sep` (outside (), [], {}). */
function split(s, sep) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && c === sep) {
      parts.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(s.slice(start).trim());
  return parts;
}

/** Why `v` does not have type `t` ('' when it does). */
function mismatch(v, t, defs, path) {
  t = t.trim();
  const union = split(t, '|');
  if (union.length > 1) {
    const why = union.map((u) => mismatch(v, u, defs, path));
    return why.some((w) => w === '') ? '' : why.join(' or ');
  }
  const inter = split(t, '&');
  if (inter.length > 1) return objectMismatch(v, inter.map((p) => objectType(p, defs)).flat(), defs, path);
  if (t.startsWith('(') && t.endsWith(')')) return mismatch(v, t.slice(1, -1), defs, path);
  if (t.endsWith('[]')) {
    if (!Array.isArray(v)) return `${path}: not an array`;
    for (let i = 0; i < Math.min(v.length, 20); i++) {
      const why = mismatch(v[i], t.slice(0, -2), defs, `${path}[${i}]`);
      if (why) return why;
    }
    return '';
  }
  if (t.startsWith('[')) {
    const items = split(t.slice(1, -1), ',');
    if (!Array.isArray(v) || v.length !== items.length) return `${path}: not a ${items.length}-tuple`;
    return items.map((it, i) => mismatch(v[i], it, defs, `${path}[${i}]`)).find((w) => w) || '';
  }
  if (t.startsWith('{')) return objectMismatch(v, objectType(t, defs), defs, path);
  switch (t) {
    case 'string': case 'number': case 'boolean':
      return typeof v === t ? '' : `${path}: ${typeof v}, documented ${t}`;
    case 'null':
      return v === null ? '' : `${path}: not null`;
    case 'Uint8Array': case 'Uint32Array': case 'Float64Array':
      return v instanceof globalThis[t] ? '' : `${path}: ${v?.constructor?.name}, documented ${t}`;
    default:
      if (!defs.has(t)) return `${path}: documented as ${t}, which no @typedef defines`;
      return mismatch(v, defs.get(t), defs, path);
  }
}

/** The fields `[name, type, optional]` of an object type (a literal or a typedef's name). */
function objectType(t, defs) {
  t = t.trim();
  if (!t.startsWith('{')) return split(defs.get(t) || '', '&').map((p) => objectType(p, defs)).flat();
  return split(t.slice(1, -1), ',').filter(Boolean).map((f) => {
    const [, name, opt, type] = /^(\w+)(\??)\s*:\s*([\s\S]+)$/.exec(f);
    return [name, type, opt === '?'];
  });
}

function objectMismatch(v, fields, defs, path) {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return `${path}: not an object`;
  const known = new Set(fields.map(([n]) => n));
  const extra = Object.keys(v).filter((k) => !known.has(k));
  if (extra.length) return `${path}: returns ${extra.join(', ')}, which the docs do not list`;
  for (const [name, type, optional] of fields) {
    if (!(name in v)) {
      if (optional) continue;
      return `${path}.${name}: documented, not returned`;
    }
    const why = mismatch(v[name], type, defs, `${path}.${name}`);
    if (why) return why;
  }
  return '';
}

test('the engine returns what engine.js documents', async () => {
  const defs = typedefs(readFileSync(join(root, 'www/engine.js'), 'utf8'));
  const pkg = join(root, 'target/wasm-pkg');
  const wasm = await import(join(pkg, 'profdrop.js'));
  wasm.initSync({ module: readFileSync(join(pkg, 'profdrop_bg.wasm')) });
  const s = new wasm.Session();
  const fx = (n) => readFileSync(join(root, 'tests/fixtures/go', n));
  const load = (n) => s.load(n, fx(n));
  const sum = [load('allocs_t0.pb.gz'), load('allocs_t1.pb.gz'), load('cpu_t1.pb.gz'),
    load('goroutine_t0.debug2.txt'), load('goroutine_t1.debug2.txt'), load('heap_t1.pb.gz')];
  const [a0, a1, cpu, g0, g1] = sum.map((x) => x.id);
  const ids = (...v) => Uint32Array.from(v);
  const o = { sample_index: 'alloc_space' };
  const fileTime = s.set_file_time(g0, Date.UTC(2026, 0, 1));
  s.set_file_time(g1, Date.UTC(2026, 0, 1, 0, 10));
  const results = [
    ['Summary', sum[0]],
    ['Summary', sum[3]],
    ['FileTime', fileTime],
    ['Details', s.details(a1)],
    ['Details', s.details(cpu)],
    ['TopView', s.top(ids(a1), o)],
    ['FlameView', s.flame(ids(cpu), {}, 0, 0)],
    ['FlameSearch', s.flame_search(ids(cpu), {}, 'runtime')],
    ['TreeChildren', s.tree_children(ids(cpu), {}, false, 0, 10, 'main')],
    ['PeekView', s.peek(ids(cpu), {}, 'runtime.mallocgc')],
    ['Formatted', s.format(ids(cpu), {}, Float64Array.of(1e9), Float64Array.of(0))],
    ['DotView', s.dot(ids(cpu), {})],
    ['TagsView', s.tags(ids(cpu), {}, 1000)],
    ['DiffTopView', s.compare_top(a0, a1, '', o)],
    ['DiffTopView', s.compare_top(g0, g1, '', {})],
    ['DiffFlameView', s.compare_flame(a0, a1, '', o, 0, 0)],
    ['CompareDescription', s.compare_describe(1, 2)],
    ['StackChanges', s.compare_stacks(a0, a1, '', o, 5)],
    ['CompareGroup[]', s.compare_groups(ids(...sum.map((x) => x.id)))],
    ['DefaultMode', s.compare_default_mode(a1, o)],
    ['GrowthView', s.growth(ids(a0, a1), o, '1GiB', 20)],
    ['GrowthView', s.growth(ids(a0, a1), o, 'lots', 20)],
    ['GoroutinesView', s.goroutines(ids(g1), 'pointers', true, 50)],
    ['GoroutineDiff', s.goroutine_compare(g0, g1, 'pointers', NaN, 50)],
    ['Findings', s.findings('10', '1MB')],
  ];
  const problems = [];
  for (const [type, value] of results) {
    const why = mismatch(value, type, defs, type);
    if (why) problems.push(why);
  }
  expect(problems).toEqual([]);
  // The check can fail: a key the docs do not list, a missing one, a wrong type.
  const top = s.top(ids(a1), o);
  expect(mismatch({ ...top, extra: 1 }, 'TopView', defs, 'TopView')).toContain('extra');
  const { labels, ...noLabels } = top;
  expect(labels.length).toBeGreaterThan(0);
  expect(mismatch(noLabels, 'TopView', defs, 'TopView')).toContain('labels: documented, not returned');
  expect(mismatch({ ...top, flat: Array.from(top.flat) }, 'TopView', defs, 'TopView')).toContain('Float64Array');
  // The results the check saw are not empty.
  expect(results.find(([t]) => t === 'Findings')[1].findings.length).toBeGreaterThan(0);
  expect(results.find(([t]) => t === 'GoroutinesView')[1].groups.length).toBeGreaterThan(0);
  s.free();
});
