#!/usr/bin/env bash
# Rebuilds models/default from card data in one command:
#
#   scripts/build-default-model.sh [CARD_DATA] [EPOCHS]
#
# CARD_DATA: any input `cardlm prepare` reads (default: ../shared/data/AllSets.json.xz, the
# MTGJSON v3 file the shipped model was trained on; AllPrintings.json.xz from
# https://mtgjson.com/downloads/all-files/ works the same).
#
# The shipped model (v3) was trained in three stages, and so is its rebuild:
#   1. the seed's encoding (no lands, no multi-part cards), 7 epochs: model v1, shipped to
#      target/default-model/v1-model (f16 weights, as v1 was shipped);
#   2. the full encoding (every card kind, docs/encoding.md), `--max-len 448`, starting from v1's
#      weights (`train --init-from`), EPOCHS epochs (default 8): model v2, shipped to
#      target/default-model/v2-model (f16 weights, as v2 was shipped);
#   3. the full encoding again from v2's weights with a fresh Adam at half the learning rate
#      (`--learning-rate 0.0005`; v2's validation loss was still falling), 6 epochs: model v3.
# An epoch of any stage takes about 6-12 minutes on two quiet cores (models/default/metrics.jsonl).
#
# Work files go to target/default-model/ (corpora, the two runs); an interrupted run continues
# where it stopped when the script is started again. Then the model is shipped to models/default
# (f16 weights), given its realness judge (`cardlm fit-realness`), evaluated (eval.txt, eval.json)
# and a gallery of 20 samples at temperature 0.8 is
# written to docs/gallery.md and docs/gallery.html.
#
# CARDLM_TRAIN_ARGS adds options to every `cardlm train` stage (e.g. "--hidden 64" for a quick
# trial), CARDLM_V1_EPOCHS sets stage 1's epochs and CARDLM_V3_EPOCHS stage 3's (0 skips stage 3
# and ships v2). A trial (CARDLM_TRAIN_ARGS set, or epochs other than 7, 8 and 6) never touches
# models/default or the gallery: it trains in target/default-model/trial/ and ships to
# target/default-model/trial/model.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA="${1:-../shared/data/AllSets.json.xz}"
EPOCHS="${2:-8}"
V1_EPOCHS="${CARDLM_V1_EPOCHS:-7}"
V3_EPOCHS="${CARDLM_V3_EPOCHS:-6}"
WORK=target/default-model
STAGES="$WORK"
MODEL=models/default
GALLERY_SEED=2026
TRIAL=""
if [ -n "${CARDLM_TRAIN_ARGS:-}" ] || [ "$EPOCHS" != 8 ] || [ "$V1_EPOCHS" != 7 ] || [ "$V3_EPOCHS" != 6 ]; then
  TRIAL=1
  STAGES="$WORK/trial"
  MODEL="$WORK/trial/model"
  echo "trial run (CARDLM_TRAIN_ARGS='${CARDLM_TRAIN_ARGS:-}', $V1_EPOCHS, $EPOCHS and $V3_EPOCHS epochs): writing $MODEL, not models/default" >&2
fi
V1_RUN="$STAGES/v1-run"
V1_MODEL="$STAGES/v1-model"
V2_RUN="$STAGES/run"
V2_MODEL="$STAGES/v2-model"
V3_RUN="$STAGES/v3-run"

cargo build --release -q
CARDLM="${CARGO_TARGET_DIR:-target}/release/cardlm"
read -r -a TRAIN_ARGS <<< "${CARDLM_TRAIN_ARGS:-}"

for enc in seed full; do
  if [ ! -f "$WORK/corpus-$enc/train.txt" ]; then
    "$CARDLM" prepare "$DATA" --encoding "$enc" --out "$WORK/corpus-$enc"
  fi
done

# train_stage RUN_DIR CORPUS EPOCHS [first-start options]: starts the run, or resumes it.
train_stage() {
  local run=$1 corpus=$2 epochs=$3
  shift 3
  if [ -f "$run/state.safetensors" ]; then
    "$CARDLM" train --corpus "$corpus" --out "$run" --resume --epochs "$epochs" "${TRAIN_ARGS[@]}"
  else
    # f32 products, as the shipped model was trained (bf16 is the default only on
    # processors with AVX512_BF16; a rebuild should give the same model everywhere).
    "$CARDLM" train --corpus "$corpus" --out "$run" --epochs "$epochs" --precision f32 "$@" "${TRAIN_ARGS[@]}"
  fi
}

# ship_stage RUN_DIR MODEL_DIR: a finished stage's model (f16), the next stage's start; kept
# once written, so a resumed rebuild starts the next stage from the same weights.
ship_stage() {
  if [ ! -f "$2/model.safetensors" ]; then
    "$CARDLM" ship "$1" --out "$2"
  fi
}

# Stage 1: the seed's encoding.
train_stage "$V1_RUN" "$WORK/corpus-seed" "$V1_EPOCHS"
ship_stage "$V1_RUN" "$V1_MODEL"
# Stage 2: the full encoding, from v1's weights.
train_stage "$V2_RUN" "$WORK/corpus-full" "$EPOCHS" --init-from "$V1_MODEL" --max-len 448
RUN="$V2_RUN"
# Stage 3: on from v2's (f16) weights at half the learning rate.
if [ "$V3_EPOCHS" != 0 ]; then
  ship_stage "$V2_RUN" "$V2_MODEL"
  train_stage "$V3_RUN" "$WORK/corpus-full" "$V3_EPOCHS" --init-from "$V2_MODEL" --max-len 448 \
    --learning-rate 0.0005
  RUN="$V3_RUN"
fi

# The corpus path is recorded relative to the model, so that `generate` finds the training
# cards (for its novelty verdicts) wherever the repository is, once this script has run.
if [ -n "$TRIAL" ]; then
  "$CARDLM" ship "$RUN" --out "$MODEL" --corpus-path "../../corpus-full"
else
  "$CARDLM" ship "$RUN" --out "$MODEL" --corpus-path "../../$WORK/corpus-full"
fi
# The realness judge the curator weighs: the training cards against 60,000 of the model's own
# candidates (about 5 minutes on two cores; docs/quality.md, "Session 20").
"$CARDLM" fit-realness --model "$MODEL" --corpus "$WORK/corpus-full"
"$CARDLM" eval --model "$MODEL" --corpus "$WORK/corpus-full" --samples 500 \
  --json "$MODEL/eval.json" > "$MODEL/eval.txt"
cat "$MODEL/eval.txt"

if [ -n "$TRIAL" ]; then
  echo "trial model in $MODEL (models/default and the gallery are unchanged)"
else
  scripts/gallery.sh "$MODEL" "$GALLERY_SEED"
fi
