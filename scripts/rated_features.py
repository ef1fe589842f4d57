#!/usr/bin/env python3
"""What the blind readings' ratings say about the curator's signals (docs/quality.md, session 12).

  scripts/rated_features.py join OUT.jsonl READING:ARM_A_MODEL:ARM_B_MODEL ...
      for each reading directory of docs/readings (e.g. session-11/4-seeds-201-208), runs
      `cardlm generate` again with each arm's options from key.json and the model given for it,
      keeps the cards that come out as the sheet had them (the same line), and writes each with
      its rating and the features `generate --format jsonl` gives (mean log-probability, phrasing,
      type) to OUT.jsonl. Cards that a later judge would pick differently are left out. An arm
      that key.json says a binary made (`a_bin`, `b_bin`, from `blind_reading.py make --a-bin`)
      is made again with that binary when it is still there.
  scripts/rated_features.py table RATED.jsonl
      prints the share of plausible and nonsense cards by each feature's quartile or value.
  scripts/rated_features.py ceiling RATED.jsonl [RATED.jsonl ...] --mix NAME=CARDS.jsonl ...
      the ratings by rules text length (none or up to 20 characters, 21-100, over 100), and
      the share of plausible cards a curator could reach by choosing lengths alone: each band's
      plausible rate weighted by the length mix of the cards in CARDS.jsonl (`generate --format
      jsonl` or `decode --format json` lines: real cards, curated picks), and by an output of
      short cards only. (docs/quality.md, "Session 17".)

Runs target/release/cardlm (or $CARDLM). An arm's options are the text of key.json before " (".
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blind_reading import one_line, seeds  # noqa: E402

CARDLM = os.environ.get("CARDLM", "target/release/cardlm")
KEPT = ("reading", "arm", "rating", "line", "name", "types", "abil", "mean_log_prob", "phrasing")


def join(args):
    specs = []
    for spec in args.readings:
        parts = spec.split(":")
        if len(parts) != 3:
            sys.exit(f"rated_features: {spec}: expected READING:MODEL_A:MODEL_B")
        specs.append(parts)
    rows = []
    for reading, model_a, model_b in specs:
        base = os.path.join("docs/readings", reading)
        key = json.load(open(os.path.join(base, "key.json")))
        ratings = [c for c in open(os.path.join(base, "ratings.txt")).read() if c in "PBN"]
        sheet = [l.rstrip("\n").split("\t", 1)[1] for l in open(os.path.join(base, "sheet.txt"))]
        made = {}
        for arm, model in (("a", model_a), ("b", model_b)):
            binary = key.get(f"{arm}_bin") or CARDLM
            if not os.path.exists(binary):
                binary = CARDLM
            options = key[arm].split(" (")[0].split()
            options = [o for i, o in enumerate(options)
                       if o != "--model" and (i == 0 or options[i - 1] != "--model")]
            for s in seeds(key["seeds"]):
                cmd = [binary, "generate", "--model", model, "--seed", str(s), "--format", "jsonl", *options]
                try:
                    text = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
                except (OSError, subprocess.CalledProcessError) as e:
                    sys.exit(f"rated_features: {' '.join(cmd)}: {e}")
                for i, l in enumerate(x for x in text.splitlines() if x.startswith("{")):
                    made[(s, i, arm)] = json.loads(l)
        kept = 0
        for (s, i, arm), rating, line in zip(key["cards"], ratings, sheet):
            card = made.get((s, i, arm))
            if card and one_line(card) == line:
                card.update(reading=reading, arm=arm, rating=rating)
                rows.append(json.dumps({k: card[k] for k in KEPT}) + "\n")
                kept += 1
        print(f"{reading}: {kept} of {len(ratings)} cards made again", flush=True)
    # Written whole or not at all: a failed run leaves no partial file.
    tmp = args.out + ".tmp"
    with open(tmp, "w") as out:
        out.writelines(rows)
    os.replace(tmp, args.out)


def shares(group):
    c = Counter(r["rating"] for r in group)
    n = len(group)
    if n == 0:
        return "   0 cards"
    return f"{n:4d} cards, {100 * c['P'] / n:5.1f}% plausible, {100 * c['N'] / n:5.1f}% nonsense"


def by_quartile(rated, name, value):
    values = sorted(value(r) for r in rated)
    cuts = [values[len(values) * q // 4] for q in (1, 2, 3)]
    groups = defaultdict(list)
    for r in rated:
        groups[sum(value(r) >= c for c in cuts)].append(r)
    print(f"{name} (quartile cuts {', '.join(f'{c:g}' for c in cuts)}):")
    for q in sorted(groups):
        print(f"  quartile {q + 1}: {shares(groups[q])}")


def by_value(rated, name, value):
    groups = defaultdict(list)
    for r in rated:
        groups[value(r)].append(r)
    print(f"{name}:")
    for v in sorted(groups, key=lambda v: -len(groups[v])):
        print(f"  {v}: {shares(groups[v])}")


def table(args):
    rated = [json.loads(l) for l in open(args.rated)]
    if not rated:
        sys.exit(f"rated_features: {args.rated}: no cards")
    print(f"all: {shares(rated)}")
    length = lambda r: sum(len(a) for a in r["abil"])  # noqa: E731
    by_quartile(rated, "rules text length (characters)", length)
    by_quartile(rated, "mean log-probability per character", lambda r: r["mean_log_prob"])
    by_value(rated, "phrases no real card has", lambda r: min(r["phrasing"]["unknown"], 2))
    by_value(rated, "card type", lambda r: (r["types"] or ["?"])[0])
    print("mean log-probability within each length quartile (below / above its median):")
    values = sorted(length(r) for r in rated)
    cuts = [0] + [values[len(values) * q // 4] for q in (1, 2, 3)] + [10 ** 9]
    for lo, hi in zip(cuts, cuts[1:]):
        group = [r for r in rated if lo <= length(r) < hi]
        if len(group) < 2:
            continue
        median = statistics.median(r["mean_log_prob"] for r in group)
        low = [r for r in group if r["mean_log_prob"] < median]
        high = [r for r in group if r["mean_log_prob"] >= median]
        print(f"  {lo}-{hi - 1} characters: below {shares(low)} | above {shares(high)}")


BANDS = ((0, 20, "0-20"), (21, 100, "21-100"), (101, 10 ** 9, "over 100"))


def band_of(length):
    return next(name for lo, hi, name in BANDS if lo <= length <= hi)


def text_length(card):
    return sum(len(a) for a in card["abil"])


def ceiling(args):
    rate = {}
    pooled = defaultdict(list)
    for path in args.rated:
        rated = [json.loads(l) for l in open(path)]
        if not rated:
            sys.exit(f"rated_features: {path}: no cards")
        groups = defaultdict(list)
        for r in rated:
            groups[band_of(text_length(r))].append(r)
            pooled[band_of(text_length(r))].append(r)
        print(f"{path}:")
        for _, _, name in BANDS:
            print(f"  rules text {name:>8} characters: {shares(groups[name])}")
    print("pooled:")
    for _, _, name in BANDS:
        group = pooled[name]
        rate[name] = sum(r["rating"] == "P" for r in group) / max(1, len(group))
        print(f"  rules text {name:>8} characters: {shares(group)}")
    for spec in args.mix:
        label, _, path = spec.partition("=")
        if not label or not path:
            sys.exit(f"rated_features: --mix {spec}: expected NAME=CARDS.jsonl")
        cards = [json.loads(l) for l in open(path) if l.startswith("{")]
        if not cards:
            sys.exit(f"rated_features: {path}: no cards")
        mix = Counter(band_of(text_length(c)) for c in cards)
        reach = sum(mix[name] / len(cards) * rate[name] for _, _, name in BANDS)
        parts = ", ".join(f"{name} {mix[name] / len(cards):.1%}" for _, _, name in BANDS)
        print(f"{label} ({len(cards)} cards: {parts}): {reach:.1%} plausible at the pooled rates")
    print(f"short texts only: {rate['0-20']:.1%} plausible at the pooled rates")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="what", required=True)
    j = sub.add_parser("join")
    j.add_argument("out")
    j.add_argument("readings", nargs="+", help="READING:MODEL_A:MODEL_B")
    t = sub.add_parser("table")
    t.add_argument("rated")
    c = sub.add_parser("ceiling")
    c.add_argument("rated", nargs="+")
    c.add_argument("--mix", action="append", default=[], help="NAME=CARDS.jsonl")
    args = p.parse_args()
    try:
        {"join": join, "table": table, "ceiling": ceiling}[args.what](args)
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"rated_features: {e}")


if __name__ == "__main__":
    sys.exit(main())
