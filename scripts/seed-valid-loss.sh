#!/usr/bin/env bash
# Validation loss of a seed-encoding model and a full-encoding model on the same cards:
# the cards the seed's filter keeps that are validation cards in both splits (so neither
# model trained on them), each model reading them in its own encoding (the two encodings
# write these cards alike, but for a planeswalker's loyalty).
#
#   scripts/seed-valid-loss.sh [OLD_MODEL] NEW_MODEL [CARD_DATA]
#
# OLD_MODEL defaults to models/default, CARD_DATA to ../shared/data/AllSets.json.xz.
# Both corpora are prepared as scripts/build-default-model.sh prepares them (reprints
# removed, 5% of the names for validation, seed 0). Prints one line per model and the
# relative difference; WORK (default target/seed-valid) keeps the corpora.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ]; then
  echo "usage: $0 [OLD_MODEL] NEW_MODEL [CARD_DATA]" >&2
  exit 2
fi
if [ $# -ge 2 ]; then OLD=$1; NEW=$2; else OLD=models/default; NEW=$1; fi
DATA=${3:-../shared/data/AllSets.json.xz}
WORK=${WORK:-target/seed-valid}
CARDLM=${CARDLM:-target/release/cardlm}
[ -x "$CARDLM" ] || cargo build --release -q -p cardlm

mkdir -p "$WORK"
for enc in seed full; do
  if [ ! -f "$WORK/$enc/stats.json" ]; then
    "$CARDLM" prepare "$DATA" --encoding "$enc" --out "$WORK/$enc"
  fi
done

# Corpora whose valid.txt holds only the shared validation names.
python3 - "$WORK" <<'EOF'
import os, shutil, sys
work = sys.argv[1]
def name(line):
    body = line[1:] if line.startswith("Ⓢ") else line
    return body.split("⒞", 1)[0]
def lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip()]
valid = {enc: lines(f"{work}/{enc}/valid.txt") for enc in ("seed", "full")}
shared = {name(l) for l in valid["seed"]} & {name(l) for l in valid["full"]}
for enc in ("seed", "full"):
    out = f"{work}/{enc}-shared-valid"
    os.makedirs(out, exist_ok=True)
    for f in ("train.txt", "vocab.json", "stats.json"):
        shutil.copy(f"{work}/{enc}/{f}", out)
    kept = [l for l in valid[enc] if name(l) in shared]
    with open(f"{out}/valid.txt", "w", encoding="utf-8") as f:
        f.write("".join(l + "\n" for l in kept))
    print(f"{enc}: {len(kept)} validation cards of {len(shared)} shared names", file=sys.stderr)
EOF

# Writes the eval report of model $1 on corpus $2 to $3 (validation loss only: one sample).
evaluate() {
  rm -f "$3"
  "$CARDLM" eval --model "$1" --corpus "$2" --samples 1 --best-of 0 --json "$3" >/dev/null
}
loss_in() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["valid_loss_nats"])' "$1"
}
evaluate "$OLD" "$WORK/seed-shared-valid" "$WORK/old-eval.json"
evaluate "$NEW" "$WORK/full-shared-valid" "$WORK/new-eval.json"
old=$(loss_in "$WORK/old-eval.json")
new=$(loss_in "$WORK/new-eval.json")
echo "old $OLD: $old nats/char"
echo "new $NEW: $new nats/char"
python3 -c "import sys; o, n = map(float, sys.argv[1:]); print(f'change: {100 * (n - o) / o:+.2f}% (goal: -10% or better)')" "$old" "$new"
