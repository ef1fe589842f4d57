#!/usr/bin/env bash
# Training's share of the processor's peak, both measured in the same minutes:
# the ceilings (`cargo bench --bench gemm -- peak`) run on every core at once
# and summed, then `cardlm bench train` in each precision the processor has,
# alternating, ROUNDS times, then the ceilings again. Host noise moves both
# (the same Zen 5 gave a bf16 ceiling of 918 GFLOP/s on two cores one day and
# 995 the next), so a share against a ceiling of another day means little.
#
# Usage: scripts/bench-peak-share.sh CORPUS [ROUNDS] [BATCHES]
#   CORPUS  from `cardlm prepare AllSets.json.xz --encoding seed --keep-reprints --valid-fraction 0 --out CORPUS`
# Env: CARDLM (default target/release/cardlm).
set -euo pipefail
corpus=${1:?usage: $0 CORPUS [ROUNDS] [BATCHES]}
rounds=${2:-3}
batches=${3:-20}
cardlm=${CARDLM:-target/release/cardlm}
[ -x "$cardlm" ] || { echo "$0: $cardlm missing (cargo build --release)" >&2; exit 1; }
[ -d "$corpus" ] || { echo "$0: $corpus: no such corpus directory" >&2; exit 1; }
gemm=$(cargo bench -p cardlm-lm --bench gemm --no-run 2>&1 | grep -o 'target/[^ )]*/deps/gemm-[0-9a-f]*' | head -1 || true)
[ -x "$gemm" ] || { echo "$0: could not build the gemm bench" >&2; exit 1; }
cores=$(nproc)
lscpu | grep -E '^Model name' || true
date -u +%Y-%m-%dT%H:%MZ
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The sum over all cores at once of one ceiling line ("avx-512 fma", "vdpbf16ps").
ceilings() {
    for c in $(seq 1 "$cores"); do "$gemm" --bench peak >"$out/peak$c" 2>&1 & done
    wait
    for what in "AVX-512 FMA" "AVX2 FMA" "vdpbf16ps"; do
        # awk, not grep: a line this processor lacks must not end the script.
        cat "$out"/peak* | awk -F'|' -v w="$what" 'index($0, w) {gsub(/[^0-9.]/, "", $3); s += $3; n++}
            END {if (n) printf "%s %.1f\n", w, s}'
    done
}
ceilings | tee "$out/before"

precisions=(f32)
grep -qw avx512_bf16 /proc/cpuinfo && precisions+=(bf16)
for r in $(seq 1 "$rounds"); do
    for p in "${precisions[@]}"; do
        g=$("$cardlm" bench train --corpus "$corpus" --batches "$batches" --precision "$p" --json |
            python3 -c 'import json,sys; print(round(json.load(sys.stdin)["gflops"], 1))')
        echo "round $r $p: $g GFLOP/s"
        echo "$g" >>"$out/$p"
    done
done
ceilings | tee "$out/after"

median() { sort -g "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
peak() { # the higher of the two ceilings measured, before and after (the stricter share)
    cat "$out/before" "$out/after" | awk -v w="$1" 'index($0, w) {v = $NF; if (v > m) m = v} END {print m}'
}
echo
echo "| precision | training, median GFLOP/s | ceiling, all $cores cores (higher of before and after) | share |"
echo "|---|---|---|---|"
f32peak=$(peak "AVX-512 FMA"); [ -n "$f32peak" ] || f32peak=$(peak "AVX2 FMA")
for p in "${precisions[@]}"; do
    c=$f32peak; [ "$p" = bf16 ] && c=$(peak vdpbf16ps)
    m=$(median "$out/$p")
    echo "| $p | $m | $c | $(awk -v m="$m" -v c="$c" 'BEGIN {printf "%.1f%%", 100 * m / c}') |"
done
