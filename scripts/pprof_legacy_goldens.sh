#!/bin/sh
# Writes `go tool pprof -top` and `-raw` outputs (Go 1.19.8's pprof, TZ=UTC,
# -symbolize=none) for every pprof-accepted legacy-format fixture of
# google-pprof (the files there that are not gzipped) into
# tests/fixtures/pprof-legacy/, for crate/tests/text_legacy.rs:
#   sh scripts/pprof_legacy_goldens.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
ext="$root/tests/fixtures/external"
out="$root/tests/fixtures/pprof-legacy"
mkdir -p "$out"
cd "$ext"
for f in google-pprof/profile/testdata/* google-pprof/internal/driver/testdata/*; do
  case "$f" in *.string|*.src|*/pprof.*) continue ;; esac
  [ "$(head -c 2 "$f" | od -An -tx1 | tr -d ' ')" = "1f8b" ] && continue
  TZ=UTC go tool pprof -symbolize=none -raw "$f" >/dev/null 2>&1 || continue
  name=$(printf '%s' "$f" | sed 's|^google-pprof/||; s|/|__|g')
  TZ=UTC go tool pprof -symbolize=none -top "$f" > "$out/$name.top.txt" 2>/dev/null
  TZ=UTC go tool pprof -symbolize=none -raw "$f" > "$out/$name.raw.txt" 2>/dev/null
done
