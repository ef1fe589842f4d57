#!/usr/bin/env bash
# Side by side in the same minutes: cardlm's training on every kernel choice
# the processor offers (automatic, AVX2 forced, matrixmultiply, bf16 where the
# processor has AVX512_BF16) and length-bucketed PyTorch, alternating, ROUNDS
# times; prints each run with the machine's load beside it, then medians of
# the projected seed epoch and their ratios to PyTorch. The table of
# docs/benchmarks.md comes from this script.
#
# Usage: scripts/bench-side-by-side.sh CORPUS NPY_DIR [ROUNDS] [BATCHES]
#   CORPUS  from `cardlm prepare AllSets.json.xz --encoding seed --keep-reprints --valid-fraction 0 --out CORPUS --seed-npy NPY_DIR`
#   NPY_DIR the seed's xcards.npy/ycards.npy (same command)
# Env: CARDLM (the binary, default target/release/cardlm), PYTHON (with torch
# and numpy, default python3), ANCHOR (default ../shared/tools/torch_seed_anchor.py).
set -euo pipefail
corpus=${1:?usage: $0 CORPUS NPY_DIR [ROUNDS] [BATCHES]}
npy=${2:?usage: $0 CORPUS NPY_DIR [ROUNDS] [BATCHES]}
rounds=${3:-3}
batches=${4:-20}
cardlm=${CARDLM:-target/release/cardlm}
python=${PYTHON:-python3}
anchor=${ANCHOR:-../shared/tools/torch_seed_anchor.py}
[ -x "$cardlm" ] || { echo "$0: $cardlm missing (cargo build --release)" >&2; exit 1; }
[ -f "$anchor" ] || { echo "$0: $anchor missing (set ANCHOR)" >&2; exit 1; }
"$python" -c 'import torch, numpy' 2>/dev/null || { echo "$0: $python lacks torch/numpy (pip install torch numpy)" >&2; exit 1; }

lscpu | grep -E '^(Model name|Flags)' | sed 's/^Flags: */flags: /' | cut -c1-400
date -u +%Y-%m-%dT%H:%MZ
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# name|environment|extra arguments
runs=("auto|CARDLM_GEMM=auto|--precision f32" "avx2|CARDLM_GEMM=avx2|--precision f32" "matrixmultiply|CARDLM_GEMM=matrixmultiply|--precision f32")
if grep -qw avx512_bf16 /proc/cpuinfo; then
    runs+=("bf16|CARDLM_GEMM=auto|--precision bf16")
fi
if ! grep -qw avx2 /proc/cpuinfo; then
    runs=("${runs[@]:0:1}" "${runs[@]:2:1}")
fi

for r in $(seq 1 "$rounds"); do
    for run in "${runs[@]}"; do
        IFS='|' read -r name envs args <<<"$run"
        load=$(cut -d' ' -f1 /proc/loadavg)
        # shellcheck disable=SC2086
        env $envs "$cardlm" bench train --corpus "$corpus" --batches "$batches" $args --json >"$out/j"
        min=$("$python" -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["projected_seed_epoch_minutes"], 2))' "$out/j")
        gf=$("$python" -c 'import json,sys; j=json.load(open(sys.argv[1])); print(round(j["gflops"],1), round(j["gflops_per_cpu_second"],1))' "$out/j")
        echo "round $r  load $load  cardlm $name: $min min/epoch (GFLOP/s, per CPU-s: $gf)"
        echo "$min" >>"$out/$name"
    done
    load=$(cut -d' ' -f1 /proc/loadavg)
    min=$("$python" "$anchor" "$npy" 10 0 2>/dev/null | sed -n 's/.*length-bucketed.*epoch ~ \([0-9.]*\) min.*/\1/p')
    echo "round $r  load $load  pytorch bucketed: $min min/epoch"
    echo "$min" >>"$out/pytorch"
done

median() { sort -g "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
torch=$(median "$out/pytorch")
echo
echo "| run | median projected seed epoch (min) | speed vs PyTorch |"
echo "|---|---|---|"
echo "| PyTorch, length-bucketed | $torch | 1.00x |"
for run in "${runs[@]}"; do
    name=${run%%|*}
    m=$(median "$out/$name")
    echo "| cardlm $name | $m | $(awk -v t="$torch" -v m="$m" 'BEGIN {printf "%.2fx", t / m}') |"
done
