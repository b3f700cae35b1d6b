// A tiny profile.proto writer for tests that need profiles no fixture has:
// hostile names, 100,000 functions. One location (one line) per function.
import { gzipSync } from 'node:zlib';

class Writer {
  constructor() { this.bytes = []; }
  varint(v) {
    let n = BigInt.asUintN(64, BigInt(v));
    while (n >= 0x80n) { this.bytes.push(Number(n & 0x7fn) | 0x80); n >>= 7n; }
    this.bytes.push(Number(n));
  }
  key(field, wire) { this.varint((field << 3) | wire); }
  int(field, v) { if (v) { this.key(field, 0); this.varint(v); } }
  bytesField(field, b) { this.key(field, 2); this.varint(b.length); for (const x of b) this.bytes.push(x); }
  str(field, s) { this.bytesField(field, [...new TextEncoder().encode(s)]); }
  msg(field, fn) { const w = new Writer(); fn(w); this.bytesField(field, w.bytes); }
  packed(field, vs) { const w = new Writer(); for (const v of vs) w.varint(v); this.bytesField(field, w.bytes); }
}

/**
 * @param {{sampleTypes: [string, string][], samples: {stack: string[], values: number[], labels?: Record<string, string>}[],
 *   comments?: string[], mappingFile?: string, timeNanos?: number}} p  stacks are function names, leaf first
 * @returns {Buffer} the gzipped profile
 */
export function encodeProfile(p) {
  const strings = [''];
  const index = new Map([['', 0]]);
  const s = (x) => {
    if (!index.has(x)) { index.set(x, strings.length); strings.push(x); }
    return index.get(x);
  };
  const funcs = new Map();
  const fid = (name) => {
    if (!funcs.has(name)) funcs.set(name, funcs.size + 1);
    return funcs.get(name);
  };
  const w = new Writer();
  for (const [t, u] of p.sampleTypes) w.msg(1, (m) => { m.int(1, s(t)); m.int(2, s(u)); });
  for (const smp of p.samples) {
    w.msg(2, (m) => {
      m.packed(1, smp.stack.map(fid));
      m.packed(2, smp.values);
      for (const [k, v] of Object.entries(smp.labels || {})) m.msg(3, (l) => { l.int(1, s(k)); l.int(2, s(v)); });
    });
  }
  w.msg(3, (m) => { m.int(1, 1); m.int(2, 0x400000); m.int(3, 0x800000); m.int(5, s(p.mappingFile || 'test-binary')); m.int(7, 1); });
  for (const [name, id] of funcs) {
    w.msg(4, (m) => { m.int(1, id); m.int(2, 1); m.int(3, 0x400000 + id * 16); m.msg(4, (l) => { l.int(1, id); l.int(2, 10 + id); }); });
  }
  for (const [name, id] of funcs) {
    w.msg(5, (m) => { m.int(1, id); m.int(2, s(name)); m.int(3, s(name)); m.int(4, s(`/src/${name}.go`)); });
  }
  const comments = (p.comments || []).map(s);
  for (const x of strings) w.str(6, x);
  w.int(9, p.timeNanos || 1_700_000_000_000_000_000);
  w.msg(11, (m) => { m.int(1, s(p.sampleTypes[0][0])); m.int(2, s(p.sampleTypes[0][1])); });
  w.int(12, 1);
  for (const c of comments) w.int(13, c);
  return gzipSync(Uint8Array.from(w.bytes));
}
