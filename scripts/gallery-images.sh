#!/usr/bin/env bash
# Writes docs/gallery/card-NN-*.png: the gallery's 20 cards (the same model, seed and
# temperature as scripts/gallery.sh) drawn as card images by `cardlm generate --format png`.
#
#   scripts/gallery-images.sh [MODEL_DIR] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL="${1:-models/default}"
SEED="${2:-2026}"
CARDLM="${CARGO_TARGET_DIR:-target}/release/cardlm"
[ -x "$CARDLM" ] || cargo build --release -q

# The directory is replaced atomically; it may hold only earlier card images.
"$CARDLM" generate --model "$MODEL" -n 20 --temperature 0.8 --seed "$SEED" \
  --format png --out docs/gallery
echo "wrote $(ls docs/gallery | wc -l) card images to docs/gallery/"
