#!/usr/bin/env bash
# Times `vanban parse` on the shapes that once made a stage superlinear (issues 11 and 17,
# defect 6): the same shapes as the `pathological` group of benches/parse.rs, which is too slow
# to run on the worst of them. Prints MB/s per shape; each must reach 1 MB/s.
#   scripts/pathological.sh [BIN] [SHAPE...]
set -euo pipefail
BIN=${1:-target/release/vanban}
shift || true
DIR=${PATHOLOGICAL_DIR:-/tmp/vanban-pathological}
mkdir -p "$DIR"
python3 - "$DIR" <<'PY'
import os, sys
d = sys.argv[1]
MB = 1 << 20
head = "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP\nSố: 1/KH-UBND\nĐồng Tháp, ngày 01 tháng 12 năm 2025\n\nKẾ HOẠCH\nThử\n\n"
wrapped = "Sở Tài chính phối hợp với các sở, ban, ngành rà soát, tổng hợp\nvà báo cáo kết quả thực hiện"
citation = "Quyết định số 12/2025/QĐ-UBND ngày 01/02/2025"
agency = "Sở Tài chính, Sở Xây dựng, Sở Y tế, UBND các xã, phường"

def repeat_to(head, unit, sep, tail, size):
    # Sizes count UTF-8 bytes, as the benchmark's do.
    parts, n = [head], len(head.encode())
    step = len((unit + sep).encode())
    while n < size:
        parts.append(unit + sep)
        n += step
    parts.append(tail)
    return "".join(parts)

def numbers():
    out = [head]
    for i in range(20000):
        depth = i % 10 + 1
        marker = ".".join(str(1 + (i // 10 + k) % 9) for k in range(depth))
        out.append(f"{marker}. Sở Y tế thực hiện nội dung {i}\n")
    return "".join(out)

shapes = {
    "wrapped-paragraph-1MB": lambda: repeat_to(head, wrapped, " ", ".\n", MB),
    "one-line-16MB": lambda: repeat_to(head, "các cơ quan, đơn vị triển khai thực hiện", " ", ".\n", 16 * MB),
    "citations-list-100k": lambda: head + "".join("- " + citation + ";\n" for _ in range(100000)),
    "citations-sentence-100k": lambda: head + "Căn cứ " + (citation + ", ") * 100000 + "quy định như sau.\n",
    "agencies-sentence-50k": lambda: head + (agency + ", ") * 10000 + "chủ trì thực hiện.\n",
    "giao-list-1MB": lambda: repeat_to(head + "1. Giao ", agency, ", ", " thực hiện.\n", MB),
    "nested-numbers-20k": numbers,
    "clauses-200k": lambda: head + "a) Sở Y tế thực hiện\n" * 200000,
}
for name, make in shapes.items():
    path = os.path.join(d, name + ".txt")
    if not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(make())
PY
SHAPES=("$@")
if [ ${#SHAPES[@]} -eq 0 ]; then
  SHAPES=(wrapped-paragraph-1MB one-line-16MB citations-list-100k citations-sentence-100k
          agencies-sentence-50k giao-list-1MB nested-numbers-20k clauses-200k)
fi
printf '%-26s %10s %8s %8s\n' shape bytes seconds MB/s
for shape in "${SHAPES[@]}"; do
  file="$DIR/$shape.txt"
  bytes=$(stat -c %s "$file")
  start=$(date +%s.%N)
  "$BIN" parse "$file" --format json -o /dev/null
  end=$(date +%s.%N)
  python3 -c "import sys; b, s = int(sys.argv[1]), float(sys.argv[2]) - float(sys.argv[3]); print(f'%-26s %10d %8.2f %8.2f' % (sys.argv[4], b, s, b / s / (1 << 20)))" "$bytes" "$end" "$start" "$shape"
done
