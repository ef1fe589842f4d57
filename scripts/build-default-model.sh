#!/usr/bin/env bash
# Rebuilds models/default from card data in one command:
#
#   scripts/build-default-model.sh [CARD_DATA] [EPOCHS]
#
# CARD_DATA: any input `cardlm prepare` reads (default: ../shared/data/AllSets.json.xz, the
# MTGJSON v3 file the shipped model was trained on; AllPrintings.json.xz from
# https://mtgjson.com/downloads/all-files/ works the same). EPOCHS: default 7, as the shipped
# model (the seed trained for 10; an epoch took 10.9 minutes on two quiet cores, up to 57 on a
# busy machine: see models/default/metrics.jsonl).
#
# Work files go to target/default-model/ (corpus, the training run); an interrupted run
# continues where it stopped when the script is started again. Then the model is shipped to
# models/default (f16 weights), evaluated (eval.txt, eval.json) and a gallery of 20 samples at
# temperature 0.8 is written to docs/gallery.md and docs/gallery.html.
#
# CARDLM_TRAIN_ARGS adds options to `cardlm train` (e.g. "--hidden 64" for a quick trial). A
# trial (CARDLM_TRAIN_ARGS set, or EPOCHS other than 7) never touches models/default or the
# gallery: it trains in target/default-model/trial/run and ships to target/default-model/trial/model.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA="${1:-../shared/data/AllSets.json.xz}"
EPOCHS="${2:-7}"
WORK=target/default-model
RUN="$WORK/run"
MODEL=models/default
GALLERY_SEED=2026
TRIAL=""
if [ -n "${CARDLM_TRAIN_ARGS:-}" ] || [ "$EPOCHS" != 7 ]; then
  TRIAL=1
  RUN="$WORK/trial/run"
  MODEL="$WORK/trial/model"
  echo "trial run (CARDLM_TRAIN_ARGS='${CARDLM_TRAIN_ARGS:-}', $EPOCHS epochs): writing $MODEL, not models/default" >&2
fi

cargo build --release -q
CARDLM="${CARGO_TARGET_DIR:-target}/release/cardlm"
read -r -a TRAIN_ARGS <<< "${CARDLM_TRAIN_ARGS:-}"

if [ ! -f "$WORK/corpus/train.txt" ]; then
  # CARDLM_ENCODING=full builds on the full encoding (docs/encoding.md); the shipped
  # model is the seed's encoding, the default here until a full-encoding model replaces it.
  "$CARDLM" prepare "$DATA" --encoding "${CARDLM_ENCODING:-seed}" --out "$WORK/corpus"
fi

if [ -f "$RUN/state.safetensors" ]; then
  "$CARDLM" train --corpus "$WORK/corpus" --out "$RUN" --resume --epochs "$EPOCHS" "${TRAIN_ARGS[@]}"
else
  "$CARDLM" train --corpus "$WORK/corpus" --out "$RUN" --epochs "$EPOCHS" "${TRAIN_ARGS[@]}"
fi

# The corpus path is recorded relative to the model, so that `generate` finds the training
# cards (for its novelty verdicts) wherever the repository is, once this script has run.
if [ -n "$TRIAL" ]; then
  "$CARDLM" ship "$RUN" --out "$MODEL" --corpus-path "../../corpus"
else
  "$CARDLM" ship "$RUN" --out "$MODEL" --corpus-path "../../$WORK/corpus"
fi
"$CARDLM" eval --model "$MODEL" --corpus "$WORK/corpus" --samples 500 \
  --json "$MODEL/eval.json" > "$MODEL/eval.txt"
cat "$MODEL/eval.txt"

if [ -n "$TRIAL" ]; then
  echo "trial model in $MODEL (models/default and the gallery are unchanged)"
else
  scripts/gallery.sh "$MODEL" "$GALLERY_SEED"
fi
