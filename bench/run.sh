#!/usr/bin/env bash
# Benchmarks `pmlint check` against a bare pulldown-cmark parse of the same files.
#
#   bench/run.sh [N_FILES]     (default 10000, about 60 MB)
#
# Builds a corpus of N files by cycling through fixtures/ (the real corpus, the seed, the rule
# fixtures), padding each to about 6 KB with an appendix of plain prose (so the padding adds
# text to read, not extra timelines or findings), then
# times with hyperfine: the whole-folder check, the bare parse baseline, one document as a
# whole process, and peak memory at N/10 and N files. Needs hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --bin pmlint --example bare_parse
python3 - "$work" "$n" <<'PY'
import os, sys, glob
out, n = sys.argv[1], int(sys.argv[2])
srcs = sorted(glob.glob("fixtures/**/*.md", recursive=True) + glob.glob("fixtures/**/*.txt", recursive=True))
texts = [open(p, encoding="utf-8").read() for p in srcs]
for i in range(n):
    t = texts[i % len(texts)]
    if len(t) < 6000:
        t += "\n## Appendix: investigation notes\n\n"
        while len(t) < 6000:
            t += ("The on-call engineer compared the error rates of each region and found the "
                  "increase confined to the hosts that had received the new build. Traces "
                  "showed requests waiting on the connection pool rather than on the database "
                  "itself, which pointed the investigation at the client configuration.\n\n")
    d = os.path.join(out, "corpus", f"d{i // 500:03d}")
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, f"pm{i:05d}.md"), "w", encoding="utf-8").write(t)
small = os.path.join(out, "small")
os.makedirs(small, exist_ok=True)
for i in range(n // 10):
    os.link(os.path.join(out, "corpus", f"d{i // 500:03d}", f"pm{i:05d}.md"), os.path.join(small, f"pm{i:05d}.md"))
PY
du -sh "$work/corpus"
# hyperfine sends the commands' output to /dev/null; -i because findings exit 1.
hyperfine --warmup 2 --runs 10 -N -i \
  "target/release/examples/bare_parse $work/corpus" \
  "target/release/pmlint check --format json $work/corpus" \
  "target/release/pmlint check $work/corpus"
hyperfine --warmup 5 --runs 50 -N -i "target/release/pmlint check fixtures/seed/webstack-outage.txt"
for dir in "$work/small" "$work/corpus"; do
  /usr/bin/time -f "peak memory %M KB for $(find "$dir" -name '*.md' | wc -l) files" \
    target/release/pmlint check --format json "$dir" > /dev/null || true
done
