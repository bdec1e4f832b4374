#!/usr/bin/env bash
# Benchmarks `pmlint check` against a bare pulldown-cmark parse of the same files and against
# two markdown linters, on documents shaped like real postmortems (no padding).
#
#   bench/run.sh [N_FILES]      (default 10000)
#
# Corpora, each N files:
#   generated  python3 bench/gen.py: timeline-heavy postmortems (10-40 entries in nine styles,
#              front matter, action tables), the same bytes for the same seed
#   fixtures   fixtures/**/*.md|txt (the real corpus, the seed, the rule fixtures) cycled as is
# For each tool: wall (hyperfine mean), CPU user+sys and peak RSS (GNU time, one run), files/s,
# MB/s, and wall against the bare parse. Then one small file as a whole process, peak memory
# at 100,000 generated files, and `lint_source` per size (the divan bench, 1 KB to 10 MB).
#
# Environment: BENCH_BIG=0 skips the 100,000-file run (~1 min); BENCH_PHASES=0 skips the divan
# bench; BENCH_PEERS=0 skips rumdl and markdownlint-cli2, BENCH_MDL=0 only markdownlint-cli2 (about
# two minutes a corpus); BENCH_RUNS (default 10) hyperfine runs. About 15 minutes in all.
# Peers are installed under the temporary directory (a venv and an npm prefix), never globally.
# Needs cargo, python3 (with venv), npm; installs hyperfine and GNU time with apt-get if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
runs=${BENCH_RUNS:-10}
big=${BENCH_BIG:-1}
phases=${BENCH_PHASES:-1}
peers=${BENCH_PEERS:-1}
mdl_on=${BENCH_MDL:-1}
started=$SECONDS

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# hyperfine -N splits its command on whitespace: no spaces allowed in the paths it runs.
case "$work$PWD" in *" "*) echo "bench/run.sh: paths with spaces are not supported" >&2; exit 2 ;; esac

say() { printf '%s\n' "$*" >&2; }

need_apt() { # $1 command, $2 Debian package
  command -v "$1" > /dev/null && return
  say "installing $2 (apt-get)"
  { apt-get update -qq && apt-get install -y -qq "$2"; } > "$work/apt.log" 2>&1 ||
    { cat "$work/apt.log" >&2; say "bench/run.sh: $1 is needed"; exit 2; }
}
need_apt hyperfine hyperfine
[ -x /usr/bin/time ] || need_apt /usr/bin/time time

echo "## Machine"
echo
echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores available"
echo "- memory: $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)"
echo "- $(uname -sr), $(rustc --version), $(hyperfine --version)"
# Other work on the machine slows every row alike; the load says how quiet it was.
echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

say "building (release)"
cargo build --release --locked --quiet --bin pmlint --example bare_parse
pmlint=target/release/pmlint
bare=target/release/examples/bare_parse

say "generating corpora ($n files each)"
python3 bench/gen.py "$work/generated" "$n"
# The fixtures as they are, cycled to N files, all named .md so every tool reads every file.
python3 - "$work/fixtures" "$n" <<'PY'
import glob, os, sys
out, n = sys.argv[1], int(sys.argv[2])
srcs = sorted(p for ext in ("md", "txt") for p in glob.glob(f"fixtures/**/*.{ext}", recursive=True))
texts = [open(p, "rb").read() for p in srcs]
for i in range(n):
    d = os.path.join(out, f"d{i // 500:03d}")
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, f"pm{i:05d}.md"), "wb").write(texts[i % len(texts)])
PY

# Peers under the temporary directory. A failed install leaves the tool out ("not installed").
rumdl="" mdl=""
if [ "$peers" = 1 ]; then
  say "installing rumdl 0.3.0 and markdownlint-cli2 0.22.1 (temporary)"
  if python3 -m venv "$work/venv" > "$work/venv.log" 2>&1 &&
    "$work/venv/bin/pip" install -q rumdl==0.3.0 >> "$work/venv.log" 2>&1; then
    rumdl="$work/venv/bin/rumdl"
  else
    say "rumdl not installed:"; tail -3 "$work/venv.log" >&2
  fi
  if [ "$mdl_on" != 1 ]; then
    say "markdownlint-cli2 skipped (BENCH_MDL=0)"
  elif npm install --prefix "$work/npm" --no-audit --no-fund --silent markdownlint-cli2@0.22.1 \
    > "$work/npm.log" 2>&1; then
    mdl="$work/npm/node_modules/.bin/markdownlint-cli2"
    # Default rules; no banner or progress lines. Its findings go to /dev/null like the others'.
    echo '{ "config": { "default": true }, "noBanner": true, "noProgress": true }' \
      > "$work/markdownlint-cli2.jsonc"
  else
    say "markdownlint-cli2 not installed:"; tail -3 "$work/npm.log" >&2
  fi
fi

files_in() { find "$1" -type f -name '*.md' | wc -l; }
bytes_in() { find "$1" -type f -name '*.md' -printf '%s\n' | awk '{s += $1} END {print s}'; }

# measure ROWS DIR LABEL RUNS CMD...: appends "label|wall|cpu|peak_kb|exit" to ROWS. RUNS=1 means one
# run under GNU time only (for the slow peer); otherwise hyperfine gives the wall time.
# Linters exit non-zero on findings: neither hyperfine (-i) nor `|| true` stops the script.
measure() {
  local rows=$1 dir=$2 label=$3 runs=$4; shift 4
  say "  $label"
  /usr/bin/time -f '%e %U %S %M %x' -o "$work/time.txt" "$@" > /dev/null 2>&1 || true
  local wall user sys cpu peak code
  # GNU time puts "Command exited with non-zero status N" above its line when findings exit 1.
  read -r wall user sys peak code < <(tail -1 "$work/time.txt")
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')
  if [ "$runs" -gt 1 ]; then
    hyperfine -N -i --style none --warmup 2 --runs "$runs" --export-json "$work/h.json" "$*" \
      > /dev/null 2>&1
    wall=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$work/h.json")
  fi
  echo "$label|$wall|$cpu|$peak|$code" >> "$rows"
}

# table ROWS FILES BYTES: the markdown table, each row against the first (the bare parse).
# The exit column shows each tool ran (1: findings); 2 or more would mean it failed.
table() {
  awk -F'|' -v files="$2" -v bytes="$3" '
    BEGIN {
      print "| tool | wall | CPU | files/s | MB/s | peak MB | x bare parse | exit |"
      print "|---|---:|---:|---:|---:|---:|---:|---:|"
    }
    $2 == "" { printf "| %s | not installed | | | | | | |\n", $1; next }
    {
      if (NR == 1) base = $2
      printf "| %s | %.3f s | %.2f s | %.0f | %.1f | %.1f | %.1fx | %s |\n",
        $1, $2, $3, files / $2, bytes / 1e6 / $2, $4 / 1024, $2 / base, $5
    }' "$1"
}

for corpus in generated fixtures; do
  dir="$work/$corpus"
  rows="$work/rows-$corpus"
  : > "$rows"
  say "timing the $corpus corpus"
  measure "$rows" "$dir" "bare parse (examples/bare_parse)" "$runs" $bare "$dir"
  measure "$rows" "$dir" "pmlint check --format json" "$runs" $pmlint check --format json "$dir"
  measure "$rows" "$dir" "pmlint check (human)" "$runs" $pmlint check "$dir"
  if [ "$peers" = 1 ]; then
    if [ -n "$rumdl" ]; then
      measure "$rows" "$dir" "rumdl 0.3.0 check --no-cache" "$runs" "$rumdl" check --no-cache "$dir"
    else echo "rumdl 0.3.0|" >> "$rows"; fi
    if [ -n "$mdl" ]; then
      # About 100 times slower than the rest: one run, timed by GNU time alone.
      measure "$rows" "$dir" "markdownlint-cli2 0.22.1 (1 run)" 1 \
        "$mdl" --config "$work/markdownlint-cli2.jsonc" "$dir/**/*.md"
    elif [ "$mdl_on" = 1 ]; then echo "markdownlint-cli2 0.22.1|" >> "$rows"; fi
  fi
  files=$(files_in "$dir")
  bytes=$(bytes_in "$dir")
  echo "## $corpus corpus: $files files, $(awk -v b="$bytes" 'BEGIN {printf "%.1f MB", b / 1e6}')"
  echo
  table "$rows" "$files" "$bytes"
  echo
done

say "timing one small file as a whole process"
small=fixtures/seed/webstack-outage.txt
hyperfine -N -i --style none --warmup 5 --runs 100 --export-json "$work/small.json" \
  "$bare $small" "$pmlint check $small" > /dev/null 2>&1
echo "## One small file as a whole process ($small, $(wc -c < $small) bytes)"
echo
python3 - "$work/small.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"- `{r['command']}`: {r['mean'] * 1e3:.2f} ms ± {r['stddev'] * 1e3:.2f} ms (mean of 100)")
PY
echo

echo "## Peak memory of pmlint check --format json (generated corpus)"
echo
peak_of() {
  /usr/bin/time -f '%M' -o "$work/peak.txt" $pmlint check --format json "$1" > /dev/null 2>&1 || true
  echo "- $(files_in "$1") files: $(tail -1 "$work/peak.txt" | awk '{printf "%.1f MB", $1 / 1024}')"
}
peak_of "$work/generated"
if [ "$big" = 1 ]; then
  say "generating 100,000 files for the peak-memory run (~1 min)"
  rm -rf "$work/fixtures"
  python3 bench/gen.py "$work/big" 100000
  peak_of "$work/big"
  rm -rf "$work/big"
fi
echo

if [ "$phases" = 1 ]; then
  say "lint_source from 1 KB to 10 MB (cargo bench --bench phases -- lint_source)"
  echo "## lint_source per document size (divan; flat MB/s means linear)"
  echo
  echo '```'
  cargo bench --locked --quiet --bench phases -- lint_source 2>&1
  echo '```'
  echo
fi
say "bench/run.sh took $((SECONDS - started)) s"
