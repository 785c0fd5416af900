#!/usr/bin/env bash
# Times `vanban build` at HEAD against BASE_COMMIT and a ripgrep scan, on corpus-ext ×20.
#
#   scripts/bench-build.sh [BASE_COMMIT] [COPIES] [RUNS]
#
# Each copy's documents get their own numbers (every số before a `/` gets the copy's two
# digits appended, in the document and in the citations of its copy), so that copies do not
# collide into duplicate ids and the registry grows as a real one would. Prints, for each
# build, the median wall time of RUNS runs, MB/s, the speed-up over BASE_COMMIT, the ratio to
# `rg -c "Nơi nhận"` over the same files, and the peak RSS (`/usr/bin/time -v`).
set -euo pipefail
cd "$(dirname "$0")/.."

base=${1:-HEAD~1}
copies=${2:-20}
runs=${3:-5}
shared=../shared/corpus-ext
work=${BENCH_DIR:-/tmp/vanban-bench}

for tool in rg /usr/bin/time python3; do
    command -v "$tool" >/dev/null || { echo "bench-build: needs $tool (apt-get install ripgrep time)" >&2; exit 1; }
done
[ -d "$shared" ] || { echo "bench-build: needs $shared beside the repository" >&2; exit 1; }

mkdir -p "$work"
corpus="$work/corpus-x$copies"
if [ ! -d "$corpus" ]; then
    python3 - "$shared" "$corpus" "$copies" <<'EOF'
import pathlib, re, sys
src, out, copies = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
number = re.compile(r"(?<![\d/])(\d{1,6})(?=/(?:\d{4}/)?[A-ZĐ])")
for copy in range(copies):
    folder = out / f"copy{copy:02}"
    folder.mkdir(parents=True)
    for path in sorted(src.iterdir()):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            (folder / path.name).write_text(number.sub(lambda m: f"{m[1]}{copy:02}", text), encoding="utf-8")
EOF
fi
bytes=$(du -sb "$corpus" | cut -f1)
mb=$(python3 -c "print(f'{$bytes / 1e6:.1f}')")

cargo build --release --quiet
head_bin="$work/vanban-head"
cp target/release/vanban "$head_bin"
base_tree="$work/base-tree"
base_bin="$work/vanban-base"
if [ "$(git rev-parse "$base")" != "$(cat "$work/base-commit" 2>/dev/null)" ]; then
    git worktree remove --force "$base_tree" 2>/dev/null || true
    git worktree add --detach --quiet "$base_tree" "$base"
    (cd "$base_tree" && cargo build --release --quiet)
    cp "$base_tree/target/release/vanban" "$base_bin"
    git worktree remove --force "$base_tree"
    git rev-parse "$base" > "$work/base-commit"
fi

# median_seconds CMD...: the median wall time of $runs runs; the last run's peak RSS (KiB) in $work/rss.
median_seconds() {
    local times=() log="$work/time.log"
    for _ in $(seq "$runs"); do
        # The parse cache beside OUT (`.out.cache`) would turn every run after the first into
        # a rebuild: remove it too, so that each run parses the whole corpus.
        rm -rf "$work/out" "$work/.out.cache" "$work"/.out.*
        # Wall time from the nanosecond clock: time(1)'s elapsed has 10 ms steps, less than
        # ripgrep takes over the whole corpus.
        local start end
        start=$(date +%s.%N)
        /usr/bin/time -v -o "$log" "$@" >/dev/null 2>&1 || true
        end=$(date +%s.%N)
        times+=("$(python3 -c "print($end - $start)")")
        awk -F': ' '/Maximum resident set size/ {print $2}' "$log" > "$work/rss"
    done
    printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

report() {
    local label=$1 seconds=$2 rss_kb
    rss_kb=$(cat "$work/rss")
    python3 - "$label" "$seconds" "$bytes" "$rss_kb" <<'EOF'
import sys
label, seconds, size, rss = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"{label:<28} {seconds:8.3f} s  {size / 1e6 / seconds:8.1f} MB/s  peak RSS {rss / 1024:7.0f} MiB")
EOF
}

echo "corpus: $corpus ($mb MB, $copies copies of corpus-ext), median of $runs runs"
head_s=$(median_seconds "$head_bin" build "$corpus" --out "$work/out" --quiet); report "build at HEAD" "$head_s"
base_s=$(median_seconds "$base_bin" build "$corpus" --out "$work/out" --quiet); report "build at $base" "$base_s"
rg_s=$(median_seconds rg -c "Nơi nhận" "$corpus"); report "rg -c \"Nơi nhận\"" "$rg_s"
python3 -c "print(f'speed-up over $base: {$base_s / $head_s:.2f}x; HEAD takes {$head_s / $rg_s:.0f}x as long as rg')"
