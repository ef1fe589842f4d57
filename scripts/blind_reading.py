#!/usr/bin/env python3
"""A blind reading of two ways of generating cards, side by side (docs/quality.md).

  scripts/blind_reading.py make DIR --seeds 81-88 --a "--top-p 1" --b "" [--shuffle-seed 11]
      runs `cardlm generate --seed S --format jsonl` plus each arm's options for every
      seed, mixes the cards of both arms, shuffles them and writes DIR/sheet.txt (one card
      a line, numbered, no arm shown) and DIR/key.json (which arm each line is).
      With --differing, only the places (seed, card) where the arms wrote different cards
      are kept: a change that alters a few picks is read on those alone.
  scripts/blind_reading.py tally DIR
      reads DIR/ratings.txt (one letter a card, in sheet order: P plausible, B borderline,
      N nonsense; spaces and line breaks ignored) and prints each arm's counts.

Rate the sheet before opening the key. Runs target/release/cardlm (or $CARDLM) on
models/default (or $CARDLM_MODEL), unless an arm's options name a model: `--a "" --b "--model
DIR"` reads the shipped model against another; `--a-bin OLD --b-bin NEW` reads two builds.
"""
import argparse
import json
import os
import random
import shlex
import subprocess
import sys
from collections import Counter

CARDLM = os.environ.get("CARDLM", "target/release/cardlm")
MODEL = os.environ.get("CARDLM_MODEL", "models/default")


def seeds(spec):
    out = []
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def one_line(card):
    """A card as one line: name, cost, rarity, type, P/T or loyalty, then its text."""
    s = f"{card['name']} {card.get('cost') or ''} [{card['rare']}] {card['type']}"
    if card.get("pt"):
        s += f" {card['pt']}"
    if card.get("loyalty"):
        s += f" loyalty {card['loyalty']}"
    text = " / ".join(a for a in card["abil"] if a)
    return s + (f" :: {text}" if text else "")


def make(args):
    items = []
    for seed in seeds(args.seeds):
        by_arm = {}
        for arm, extra, binary in (("a", args.a, args.a_bin), ("b", args.b, args.b_bin)):
            options = shlex.split(extra)
            # An arm may name its own model ("--model DIR"), to read two models side by side.
            model = [] if "--model" in options else ["--model", MODEL]
            cmd = [binary, "generate", *model, "--seed", str(seed), "--format", "jsonl", *options]
            try:
                out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            except FileNotFoundError:
                sys.exit(f"blind_reading: {binary} not found (cargo build --release, or set CARDLM)")
            except subprocess.CalledProcessError as e:
                last = (e.stderr.strip().splitlines() or ["failed"])[-1]
                sys.exit(f"blind_reading: {' '.join(cmd)}: {last}")
            by_arm[arm] = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
        for arm, cards in by_arm.items():
            other = by_arm["b" if arm == "a" else "a"]
            for i, c in enumerate(cards):
                # --differing: only the places where the two arms wrote different cards.
                if args.differing and i < len(other) and other[i]["line"] == c["line"]:
                    continue
                items.append(((seed, i, arm), c))
    random.seed(args.shuffle_seed)
    random.shuffle(items)
    os.makedirs(args.dir, exist_ok=True)
    with open(os.path.join(args.dir, "sheet.txt"), "w") as f:
        for n, (_, card) in enumerate(items):
            f.write(f"{n}\t{one_line(card)}\n")
    with open(os.path.join(args.dir, "key.json"), "w") as f:
        json.dump({"a": args.a, "b": args.b, "seeds": args.seeds,
                   "a_bin": args.a_bin, "b_bin": args.b_bin, "differing": args.differing,
                   "cards": [list(k) for k, _ in items]}, f)
    print(f"{len(items)} cards in {args.dir}/sheet.txt; rate them in {args.dir}/ratings.txt")


def tally(args):
    key = json.load(open(os.path.join(args.dir, "key.json")))
    ratings = [c for c in open(os.path.join(args.dir, "ratings.txt")).read() if c in "PBN"]
    if len(ratings) != len(key["cards"]):
        sys.exit(f"blind_reading: {len(ratings)} ratings for {len(key['cards'])} cards")
    counts = {"a": Counter(), "b": Counter()}
    for (_, _, arm), r in zip(key["cards"], ratings):
        counts[arm][r] += 1
    for arm in ("a", "b"):
        c = counts[arm]
        n = sum(c.values())
        binary = key.get(f"{arm}_bin")
        label = (key[arm] or "the defaults") + (f", {binary}" if binary else "")
        print(f"{arm} ({label}): plausible {c['P']}, borderline {c['B']}, "
              f"nonsense {c['N']} ({100 * c['P'] / max(n, 1):.1f}% plausible of {n})")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="what", required=True)
    m = sub.add_parser("make")
    m.add_argument("dir")
    m.add_argument("--seeds", required=True, help="e.g. 81-88 or 81,83,90-92")
    m.add_argument("--a", default="", help="options of arm a (quoted)")
    m.add_argument("--b", default="", help="options of arm b (quoted)")
    m.add_argument("--shuffle-seed", type=int, default=11)
    m.add_argument("--a-bin", default=CARDLM, help="the cardlm binary of arm a (two builds side by side)")
    m.add_argument("--b-bin", default=CARDLM, help="the cardlm binary of arm b")
    m.add_argument("--differing", action="store_true",
                   help="keep only the places where the arms' cards differ")
    t = sub.add_parser("tally")
    t.add_argument("dir")
    args = p.parse_args()
    try:
        make(args) if args.what == "make" else tally(args)
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"blind_reading: {args.dir}: {e}")


if __name__ == "__main__":
    sys.exit(main())
