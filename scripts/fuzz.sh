#!/usr/bin/env bash
# Builds the fuzzer with LLVM's coverage counters (stable rustc) and runs one target, or
# all, under a 2 GB address-space cap. See docs/reliability.md.
#   scripts/fuzz.sh TARGET|all [fuzz_readers options: --seconds S --inputs N --seed K --save-corpus]
set -euo pipefail
cd "$(dirname "$0")/.."
# --target keeps the flags off build scripts and proc macros (they have no counter
# callbacks); overflow checks and debug assertions on, as in a debug build, at release speed.
TRIPLE="$(rustc -vV | sed -n 's/^host: //p')"
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=3 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Coverflow-checks=on -Cdebug-assertions=on" \
  cargo build -q --release -p cardlm-fuzz --target "$TRIPLE" --target-dir target/fuzz
if command -v prlimit >/dev/null 2>&1; then CAP=(prlimit --as=2000000000); else CAP=(); fi
exec "${CAP[@]}" "target/fuzz/$TRIPLE/release/fuzz_readers" "$@"
