#!/usr/bin/env bash
# Benchmark (not a test) of incremental builds: ../shared/corpus-ext copied COPIES times (20 by
# default), each copy with its own số (every document number N of copy K becomes K*100000+N,
# so that the copies are distinct documents and do not collide), built in full, rebuilt with
# nothing changed, and rebuilt with one file changed; as a folder and as an SQLite file.
#
#   scripts/bench-incremental.sh [COPIES]
#
# Prints one line per build with its wall time, and the ratio of the one-file rebuild to the
# full build (the goal: under 1/10). Writes only under a temporary folder, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

copies=${1:-20}
corpus=../shared/corpus-ext
bin=target/release/vanban
if [ ! -d "$corpus" ]; then
    echo "bench-incremental: $corpus is absent" >&2
    exit 1
fi
[ -x "$bin" ] || cargo build --release --quiet

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A copy: a cargo build during the run must not change the binary (the parse cache is of
# the executable that wrote it, so a new one would parse everything again).
cp "$bin" "$work/vanban"
bin=$work/vanban

python3 - "$corpus" "$work/corpus" "$copies" <<'EOF'
import pathlib, re, sys
source, target, copies = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
# A số: digits, a slash, an optional year and a slash, then the ký hiệu's first letter
# (ASCII or Đ): `556/KH-UBND`, `94/2010/NĐ-CP`. Dates (`13/5/2020`) do not match.
number = re.compile(rb'(?<![0-9])([0-9]{1,5})(/(?:[0-9]{4}/)?(?:[A-Z]|\xc4\x90))')
for k in range(1, copies + 1):
    folder = target / f"copy-{k:02d}"
    folder.mkdir(parents=True)
    for file in sorted(source.iterdir()):
        if file.is_file():
            text = number.sub(lambda m: b"%d%s" % (k * 100000 + int(m.group(1)), m.group(2)),
                              file.read_bytes())
            (folder / file.name).write_bytes(text)
EOF
files=$(find "$work/corpus" -type f | wc -l)
echo "corpus: $copies copies of corpus-ext, $files files, $(du -sh "$work/corpus" | cut -f1)"

seconds() {
    local start=$EPOCHREALTIME
    # Exit 1 (some files skipped) is still a build.
    "$@" >/dev/null 2>&1 || [ $? -eq 1 ]
    python3 -c "print(f'{$EPOCHREALTIME - $start:.2f}')"
}

# One file changed: a task added in the middle of the first file of the first copy.
edit() {
    local file
    file=$(find "$work/corpus/copy-01" -type f | sort | head -1)
    python3 - "$file" "$1" <<'EOF'
import sys
path, n = sys.argv[1], sys.argv[2]
lines = open(path, encoding="utf-8").read().split("\n")
lines.insert(len(lines) // 2, f"- Sở Tư pháp chủ trì rà soát văn bản lần {n}, hoàn thành trước ngày 30/9/2025.")
open(path, "w", encoding="utf-8").write("\n".join(lines))
EOF
}

for out in "$work/registry" "$work/registry.sqlite"; do
    name=$(basename "$out")
    full=$(seconds "$bin" build "$work/corpus" --out "$out" -q)
    same=$(seconds "$bin" build "$work/corpus" --out "$out" -q)
    edit "$name"
    one=$(seconds "$bin" build "$work/corpus" --out "$out" -q)
    ratio=$(python3 -c "print(f'{$one / $full:.3f}')")
    echo "$name: full build ${full}s, rebuild unchanged ${same}s, rebuild with one file changed ${one}s (${ratio} of the full build)"
done
