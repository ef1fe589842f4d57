#!/usr/bin/env bash
# Every case of issue 14 (careless and hostile input), run as a user would with the
# cardlm binary: each must end with one line on stderr and a non-zero exit (or work,
# where it should), without a panic or an abort, and leave nothing half-written. The
# readers run under a 2 GB address-space cap (prlimit --as), where prlimit exists.
#
#   scripts/hostile-input.sh [CARDLM_BINARY]     (default: target/release/cardlm)
#
# Prints one line a case (ok / FAIL and why) and exits 1 if any case failed.
# Needs python3 (to write .npy, JSON and safetensors edits) and gzip.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN="$(realpath "${1:-target/release/cardlm}")"
[ -x "$BIN" ] || { echo "no cardlm binary at $BIN (cargo build --release)" >&2; exit 2; }
if command -v prlimit >/dev/null 2>&1; then CAP=(prlimit --as=2000000000); else CAP=(); fi
FIXTURES="$(pwd)/crates/cards/tests/fixtures"
KERAS="$(pwd)/crates/lm/tests/fixtures/keras"
W="$(mktemp -d)"
BACKGROUND=()
cleanup() {
  for pid in "${BACKGROUND[@]}"; do kill "$pid" 2>/dev/null; done
  rm -rf "$W"
}
trap cleanup EXIT
cd "$W"

PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok    $1"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL  $1: $2"; }

# run NAME CMD...: runs a cardlm command, capped, with stdin from /dev/null; sets
# RC, OUT (stdout) and ERR (stderr).
run() {
  local name="$1"; shift
  "${CAP[@]}" "$BIN" "$@" </dev/null >"$W/.out" 2>"$W/.err"
  RC=$?
  OUT="$(cat "$W/.out")"
  ERR="$(cat "$W/.err")"
  CASE="$name"
}

# expect_error NEEDLE [EXIT]: the last command failed with exit EXIT (default 1),
# one line on stderr containing NEEDLE, no panic.
expect_error() {
  local needle="$1" want="${2:-1}" lines
  lines="$(printf '%s' "$ERR" | grep -c '')"
  if [ "$RC" != "$want" ]; then fail "$CASE" "exit $RC, expected $want; stderr: ${ERR:0:300}"
  elif [ "$want" = 1 ] && [ "$lines" != 1 ]; then fail "$CASE" "$lines lines on stderr: ${ERR:0:300}"
  elif [[ "$ERR" == *panicked* ]]; then fail "$CASE" "panic: ${ERR:0:300}"
  elif [[ "$ERR" != *"$needle"* ]]; then fail "$CASE" "\"$needle\" not in: ${ERR:0:300}"
  else ok "$CASE"
  fi
}

expect_success() {
  if [ "$RC" = 0 ]; then ok "$CASE"; else fail "$CASE" "exit $RC: ${ERR:0:300}"; fi
}

# nothing_left PATH...: none of the paths exists, and no temporary is left in $W.
nothing_left() {
  local p
  for p in "$@"; do
    if [ -e "$p" ]; then fail "$CASE (nothing left behind)" "$p exists"; return; fi
  done
  if compgen -G "$W/.*.tmp-*" >/dev/null || compgen -G "$W/*/.*.tmp-*" >/dev/null; then
    fail "$CASE (nothing left behind)" "a temporary file is left: $(ls -a "$W" | tr '\n' ' ')"
  fi
}

npy() { # npy PATH DESCR SHAPE: an .npy header with no data
  python3 - "$@" <<'PY'
import sys
path, descr, shape = sys.argv[1:]
header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
pad = (64 - (10 + len(header) + 1) % 64) % 64
header = header + " " * pad + "\n"
open(path, "wb").write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode())
PY
}

echo "== 1. unbounded reads"
run "prepare /dev/zero" prepare /dev/zero --out o
expect_error "control character '\\0' on line 1"; nothing_left o
mkfifo fifo
cat /dev/zero > fifo 2>/dev/null & BACKGROUND+=($!)
run "prepare a fifo fed from /dev/zero" prepare fifo --out o
expect_error "control character"; nothing_left o
run "decode /dev/zero" decode /dev/zero
expect_error "control character"
truncate -s 1G s.json
start=$SECONDS
run "prepare a 1 GB sparse file" prepare s.json --out o
expect_error "control character"; nothing_left o
[ $((SECONDS - start)) -le 5 ] || fail "prepare a 1 GB sparse file" "took $((SECONDS - start)) s"
rm -f s.json
head -c 256M /dev/zero | gzip -1 > zeros.gz
run "prepare a gzip of zeros" prepare zeros.gz --out o
expect_error "zeros.gz"; nothing_left o
yes aaaa | head -c 256M | gzip -1 > bomb.gz
run "prepare a gzip bomb of text" prepare bomb.gz --out o
expect_error "--max-ratio"; nothing_left o
run "prepare a gzip bomb, ratio raised, content capped" prepare bomb.gz --out o --max-ratio 100000 --max-decompressed 1M
expect_error "--max-decompressed"; nothing_left o
head -c 3M /dev/zero | tr '\0' a > long.txt
run "prepare a line with no end" prepare long.txt --out o
expect_error "--max-line"; nothing_left o
run "decode a line with no end" decode long.txt
expect_error "--max-line"
rm -f zeros.gz bomb.gz long.txt

echo "== 2. sizes"
mkdir corpus
python3 - <<'PY'
import json
lines = ["Ⓢbear %d⒞②Ⓖ⒭C⒯creature⒫%d/%d⒜trampleⒺ" % (i % 7, i % 5, i % 3) for i in range(60)]
open("corpus/train.txt", "w").write("\n".join(lines) + "\n")
open("corpus/valid.txt", "w").write("")
chars = sorted(set("".join(lines)) - {"Ⓔ"})
json.dump(["Ⓔ"] + chars, open("corpus/vocab.json", "w"))
PY
run "train --hidden 8 --batch-size 1000000" train --corpus corpus --out big --hidden 8 --batch-size 1000000 --quiet
expect_error "--batch-size"; nothing_left big
run "train --hidden 100000" train --corpus corpus --out big --hidden 100000 --quiet
expect_error "needs about"; nothing_left big
run "train a tiny model (for the cases below)" train --corpus corpus --out run --hidden 8 --batch-size 8 --epochs 1 --state-every 1 --quiet
expect_success
cp -r run huge
python3 - <<'PY'
import json
c = json.load(open("huge/config.json"))
c["model"]["hidden"] = 100000
json.dump(c, open("huge/config.json", "w"))
PY
run "generate with config.json hidden 100000" generate --model huge -n 2 --corpus corpus
expect_error "config.json needs"
mkdir u1 u0
npy u1/card_texts.npy '<U1' '(4611686018427387904,)'
npy u0/card_texts.npy '<U0' '(1000000000000,)'
run "prepare --from-seed-npy <U1 (2**62,)" prepare --from-seed-npy u1 --out o
expect_error "impossibly large"; nothing_left o
run "prepare --from-seed-npy <U0 (10**12,)" prepare --from-seed-npy u0 --out o
expect_error "only empty strings"; nothing_left o
run "summary with sizes that overflow" summary --hidden 18446744073709551615 --vocab-size 18446744073709551615
expect_error "more parameters than this machine can address"
run "bench train --hidden 0" bench train --hidden 0
expect_error "at least 1"
run "bench train --layers 0" bench train --layers 0
expect_error "at least 1"
run "bench generate --hidden 0" bench generate --hidden 0
expect_error "at least 1"
run "bench generate --layers 0" bench generate --layers 0
expect_error "at least 1"
run "bench generate --vocab 1" bench generate --vocab 1
expect_error "at least 2 characters"

echo "== 3. corrupted corpora"
python3 - <<'PY'
import json
def card(name, text):
    return {"name": name, "manaCost": "{G}", "types": ["Creature"], "subtypes": ["Bear"],
            "rarity": "Common", "text": text, "power": "2", "toughness": "2", "layout": "normal"}
cards = [card("Good Bear", "Trample"), card("Nul\u0000Bear", "x"), card("Bel Bear", "a\u0007b"),
         card("Esc\u001b[2JBear", "x"), card("Cost\u249eBear", "x"), card("Text Bear", "one \u249c two")]
json.dump({"name": "Test", "code": "TST", "cards": cards}, open("hostile_set.json", "w"))
PY
run "prepare MTGJSON with NUL, BEL, ESC and markers in cards" prepare hostile_set.json --out dirty --valid-fraction 0
expect_success
if python3 - <<'PY'
import json, sys
text = open("dirty/train.txt", encoding="utf-8").read()
vocab = json.load(open("dirty/vocab.json"))
stats = json.load(open("dirty/stats.json"))
bad = [c for c in text.replace("\n", "") if ord(c) < 32 or ord(c) == 127]
dropped = sum(stats["dropped"].get(k, 0) for k in ("control_character", "reserved_symbol"))
ok = not bad and all(len(v) == 1 and ord(v) >= 32 for v in vocab) and stats["train_cards"] == 1 and dropped == 5
sys.exit(0 if ok else 1)
PY
then ok "  ... and none of them reaches train.txt or vocab.json; five counted as dropped"
else fail "  ... and none of them reaches train.txt or vocab.json" "$(cat dirty/stats.json | tr -d '\n' | head -c 300)"; fi
printf 'Ⓢa\033[2Jb⒞Ⓔ\n' > esc.txt
run "decode a line with ESC" decode esc.txt
if [ "$RC" -le 1 ] && [[ "$OUT" != *$'\033'* ]] && [[ "$ERR" != *$'\033'* ]]; then ok "$CASE: escaped, never raw"; else fail "$CASE" "raw ESC on the terminal"; fi
# The seed's c2i/i2c with one character ('w', a pickled one-character string:
# SHORT_BINUNICODE of length 1) turned into a newline.
python3 - "$KERAS" <<'PY'
import sys
for name in ("c2i.npy", "i2c.npy"):
    data = open(f"{sys.argv[1]}/{name}", "rb").read()
    assert data.count(b"\x8c\x01w") == 1, name
    open(name, "wb").write(data.replace(b"\x8c\x01w", b"\x8c\x01\n"))
PY
run "import-keras with a newline in the vocabulary" import-keras --weights "$KERAS/sigmoid/weights.h5" --c2i c2i.npy --i2c i2c.npy --out imported
expect_error "control character"; nothing_left imported

echo "== 4. silent garbage"
cp -r run nan
python3 - <<'PY'
import json, struct
path = "nan/model.safetensors"
data = bytearray(open(path, "rb").read())
n = struct.unpack("<Q", data[:8])[0]
header = json.loads(data[8:8 + n])
name = next(k for k in header if k != "__metadata__")
start = 8 + n + header[name]["data_offsets"][0]
dtype = header[name]["dtype"]
data[start:start + (4 if dtype == "F32" else 2)] = struct.pack("<f", float("nan")) if dtype == "F32" else b"\x00\x7e"
open(path, "wb").write(data)
PY
run "generate with NaN weights" generate --model nan -n 2 --corpus corpus
expect_error "NaN"

echo "== 5. runs without a lock"
"$BIN" train --corpus corpus --out run --resume --epochs 400 --quiet >/dev/null 2>first.err & FIRST=$!
BACKGROUND+=($FIRST)
for _ in $(seq 50); do [ -s run/.lock ] && grep -q . run/.lock 2>/dev/null && break; sleep 0.1; done
sleep 0.5
run "a second train --resume on the same --out" train --corpus corpus --out run --resume --epochs 400 --quiet
expect_error "another cardlm process"
kill -9 "$FIRST" 2>/dev/null; wait "$FIRST" 2>/dev/null
run "train --resume after the first was killed (stale lock)" train --corpus corpus --out run --resume --epochs 2 --quiet
expect_success
if python3 -c 'import json,sys; sys.exit(0 if json.load(open("run/config.json"))["training"]["state_every"] == 1 else 1)'; then
  ok "  ... and --resume kept --state-every 1"
else fail "  ... and --resume kept --state-every 1" "$(grep -o '"state_every": [0-9]*' run/config.json)"; fi

echo "== 6. large requests"
"$BIN" generate --model run -n 1000000 --max-len 100000 --format json --corpus corpus > stream.json 2>stream.err & GEN=$!
BACKGROUND+=($GEN)
for _ in $(seq 100); do [ -s stream.json ] && break; sleep 0.1; done
if [ -s stream.json ]; then ok "generate -n 1000000 writes cards as they finish"; else fail "generate -n 1000000" "nothing written after 10 s"; fi
sleep 0.5
kill -INT "$GEN"; wait "$GEN"; GEN_RC=$?
if [ "$GEN_RC" = 130 ] && python3 -c 'import json; json.load(open("stream.json"))' 2>/dev/null; then
  ok "  ... Ctrl-C: exit 130 and a whole JSON array"
else fail "  ... Ctrl-C" "exit $GEN_RC, $(tail -c 100 stream.json)"; fi

echo "== 7. minor"
run "prepare --seed-npy equal to --out" prepare "$FIXTURES/set_v3.json" --out same --seed-npy same
expect_success
run "  ... and again, over its own output" prepare "$FIXTURES/set_v3.json" --out same --seed-npy same
expect_success
run "prepare --valid-fraction 2" prepare /nonexistent.json --out o --valid-fraction 2
expect_error "--valid-fraction" 2
[[ "$ERR" != *nonexistent* ]] || fail "  ... --valid-fraction's error" "names the input: $ERR"
run "ship over a run directory" ship run --out run
expect_error "refusing to replace it"
[[ "$ERR" != *"did not write"* ]] || fail "  ... ship's message" "says it did not write: $ERR"
run "import-keras the seed's sigmoid fixture (with its architecture)" import-keras --weights "$KERAS/sigmoid/weights.h5" --arch "$KERAS/sigmoid/arch.json" --c2i "$KERAS/c2i.npy" --i2c "$KERAS/i2c.npy" --out sig
expect_success
run "  ... export-keras it" export-keras sig --out sig.h5
expect_success
run "  ... import-keras the export (no architecture)" import-keras --weights sig.h5 --c2i "$KERAS/c2i.npy" --i2c "$KERAS/i2c.npy" --out back
if [ "$RC" != 0 ]; then fail "$CASE" "exit $RC: $ERR"
elif grep -q '"recurrent_activation": "sigmoid"' back/config.json; then ok "$CASE: sigmoid, as it left"
else fail "$CASE" "came back as $(grep -o '"recurrent_activation": "[a-z_]*"' back/config.json)"; fi

echo "== $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
