#!/usr/bin/env bash
# Writes docs/gallery.md and docs/gallery.html: 20 unedited cards sampled from a model at
# temperature 0.8, with the verdicts `cardlm generate` gives them.
#
#   scripts/gallery.sh [MODEL_DIR] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL="${1:-models/default}"
SEED="${2:-2026}"
CARDLM="${CARGO_TARGET_DIR:-target}/release/cardlm"
[ -x "$CARDLM" ] || cargo build --release -q

ARGS=(generate --model "$MODEL" -n 20 --temperature 0.8 --seed "$SEED")
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
"$CARDLM" "${ARGS[@]}" --format html > "$TMP/gallery.html"
"$CARDLM" "${ARGS[@]}" --format text > "$TMP/cards.txt"
"$CARDLM" "${ARGS[@]}" --format jsonl > "$TMP/cards.jsonl"

well_formed=$(grep -c '"well_formed":true' "$TMP/cards.jsonl" || true)
{
  echo "# Gallery: 20 cards from the default model"
  echo
  echo "Unedited output of \`cardlm ${ARGS[*]}\`: the first 20 cards that seed gives,"
  echo "none picked or left out. $well_formed of the 20 are well-formed. Under each card, the"
  echo "verdicts \`generate\` prints: whether it is well-formed, and whether it copies a training card"
  echo "(its line, its name, or rules text with trigram similarity of 0.8 or more). The same cards as"
  echo "a page of rendered cards: [gallery.html](gallery.html), and as card images in"
  echo "[gallery/](gallery/) (\`scripts/gallery-images.sh\`). Rebuild with \`scripts/gallery.sh\`."
  echo
  echo '```'
  cat "$TMP/cards.txt"
  echo '```'
} > "$TMP/gallery.md"
mkdir -p docs
mv "$TMP/gallery.md" docs/gallery.md
mv "$TMP/gallery.html" docs/gallery.html
echo "wrote docs/gallery.md and docs/gallery.html ($well_formed of 20 well-formed)"
scripts/gallery-images.sh "$MODEL" "$SEED"
