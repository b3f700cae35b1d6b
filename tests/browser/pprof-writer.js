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

// Reading and rewriting real profiles: the wire format's top-level fields
// (profile.proto: 2 = sample, 9 = time_nanos), nothing else decoded.
import { gunzipSync } from 'node:zlib';

function readVarint(b, i) {
  let v = 0n;
  let s = 0n;
  for (;;) {
    const x = b[i++];
    v |= BigInt(x & 0x7f) << s;
    s += 7n;
    if (x < 0x80) return [v, i];
  }
}

/** Top-level fields of a protobuf message: [{field, wire, start, end, value?}] (value for varints, bytes for length-delimited). */
function fields(b) {
  const out = [];
  let i = 0;
  while (i < b.length) {
    const start = i;
    const [key, j] = readVarint(b, i);
    i = j;
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, k] = readVarint(b, i);
      out.push({ field, wire, start, end: k, value: v });
      i = k;
    } else if (wire === 2) {
      const [len, k] = readVarint(b, i);
      out.push({ field, wire, start, end: k + Number(len), bytes: b.subarray(k, k + Number(len)) });
      i = k + Number(len);
    } else if (wire === 1) { out.push({ field, wire, start, end: i + 8 }); i += 8; }
    else if (wire === 5) { out.push({ field, wire, start, end: i + 4 }); i += 4; }
    else throw new Error(`wire type ${wire}`);
  }
  return out;
}

const unzip = (bytes) => (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : Buffer.from(bytes));

/** A profile's time_nanos (field 9). */
export function timeNanos(bytes) {
  const f = fields(unzip(bytes)).find((x) => x.field === 9);
  return f ? f.value : 0n;
}

/**
 * A copy of a real profile with every sample value multiplied by `scale` (an
 * integer) and its time set to `timeNanos`; everything else byte for byte.
 */
export function rewriteProfile(bytes, { scale = 1, timeNanos: t }) {
  const w = new Writer();
  const raw = unzip(bytes);
  for (const f of fields(raw)) {
    if (f.field === 9 && t !== undefined) {
      w.key(9, 0);
      w.varint(t);
    } else if (f.field === 2) {
      w.msg(2, (m) => {
        for (const g of fields(f.bytes)) {
          if (g.field === 2 && g.wire === 2) {
            const vs = [];
            for (let i = 0; i < g.bytes.length;) {
              const [v, j] = readVarint(g.bytes, i);
              vs.push(BigInt.asIntN(64, v) * BigInt(scale));
              i = j;
            }
            m.packed(2, vs);
          } else if (g.field === 2 && g.wire === 0) {
            m.key(2, 0);
            m.varint(BigInt.asIntN(64, g.value) * BigInt(scale));
          } else {
            for (const x of f.bytes.subarray(g.start, g.end)) m.bytes.push(x);
          }
        }
      });
    } else {
      for (const x of raw.subarray(f.start, f.end)) w.bytes.push(x);
    }
  }
  return gzipSync(Uint8Array.from(w.bytes));
}
