#!/usr/bin/env python3
"""Writes the hostile inputs of issue 19 at full size into a directory, to
measure the CLI's peak memory on them (/usr/bin/time -v; figures in
DEVELOPERS.md). The tests (crate/tests/hostile.rs) make small versions.
    python3 scripts/hostile_inputs.py DIR
"""
import gzip, os, sys, zlib

def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7f) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)

def field(n, payload):
    return varint(n << 3 | 2) + varint(len(payload)) + payload

STRINGS = field(6, b"") + field(6, b"samples") + field(6, b"count")
ONE_TYPE = field(1, b"\x08\x01\x10\x02")

def write(path, chunks, compress=True):
    with (gzip.open(path, "wb", 6) if compress else open(path, "wb")) as f:
        for c in chunks:
            f.write(c)
    print(f"{os.path.getsize(path):>12} {path}")

def repeat(b, n, per=1 << 16):
    block = b * per
    while n >= per:
        yield block
        n -= per
    yield b * n

def main(d):
    os.makedirs(d, exist_ok=True)
    # 1e7 sample types (two bytes each) and 1000 empty samples.
    write(f"{d}/types.pb.gz", [STRINGS, *repeat(b"\x0a\x00", 10_000_000), *repeat(b"\x12\x00", 1000)])
    # One location with 1e8 empty lines.
    n = 100_000_000
    body = b"\x08\x01"  # id 1, then the lines
    loc_len = len(body) + 2 * n
    write(f"{d}/lines.pb.gz", [STRINGS, ONE_TYPE, varint(4 << 3 | 2), varint(loc_len), body, *repeat(b"\x22\x00", n)])
    # 2e8 comments, packed (a byte each).
    n = 200_000_000
    write(f"{d}/comments.pb.gz", [STRINGS, ONE_TYPE, varint(13 << 3 | 2), varint(n), *repeat(b"\x00", n)])
    # 1 GB of zeros.
    write(f"{d}/zeros.gz", repeat(b"\x00", 1 << 30, 1 << 20))
    # Gzip inside gzip, and a zlib stream, of a small profile.
    inner = gzip.compress(STRINGS + ONE_TYPE * 1)
    write(f"{d}/twice.pb.gz", [inner])
    with open(f"{d}/zlib.pb", "wb") as f:
        f.write(zlib.compress(STRINGS + ONE_TYPE))
    # 200 MB of goroutine text: a real debug=2 dump, repeated.
    dump = open(os.path.join(os.path.dirname(__file__), "../tests/fixtures/go/goroutine_t1.debug2.txt"), "rb").read()
    write(f"{d}/goroutines.txt", [dump] * (200_000_000 // len(dump)), compress=False)

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "hostile")
