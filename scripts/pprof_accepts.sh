#!/bin/sh
# Records which external fixtures `go tool pprof` (Go 1.19.8, the version of
# the reference outputs) accepts, for crate/tests/external_fixtures.rs:
#   sh scripts/pprof_accepts.sh > tests/fixtures/external/PPROF-ACCEPTS.tsv
# Covers tests/fixtures/external and the AGPL / CC-BY-SA folders that stay in
# ../shared/fixtures/external (only their names and pprof's verdicts are recorded).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
printf '# path\tgo tool pprof -symbolize=none -raw (%s)\tpprof error\n' "$(go version | cut -d' ' -f3)"
list() {
  (cd "$1" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) | while read -r f; do
    if err=$(cd "$1" && TZ=UTC go tool pprof -symbolize=none -raw "$f" 2>&1 >/dev/null); then
      printf '%s\taccepted\t\n' "$f"
    else
      # The first line, without the file name pprof puts in front.
      printf '%s\trejected\t%s\n' "$f" "$(printf '%s' "$err" | head -1 | sed "s|^$f: ||")"
    fi
  done
}
list "$root/tests/fixtures/external"
shared="$root/../shared/fixtures/external"
for d in grafana-pyroscope DataDog-go-profiler-notes; do
  [ -d "$shared/$d" ] && list "$shared" | grep "^$d/"
done
exit 0
