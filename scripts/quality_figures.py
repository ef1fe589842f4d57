#!/usr/bin/env python3
"""The figures of docs/quality.md, rerunnable.

  scripts/quality_figures.py guide   [--n 300] [--seed 11] [--rounds 3]
      raw samples (--best-of 1) at T=1.0, type lines guided and free
      (--free-types), alternated in the same minutes: well-formed, strict,
      invented type words (share of well-formed, as `cardlm eval` counts them),
      characters per second (median of the rounds).
  scripts/quality_figures.py curate  [--n 100] [--seed 11] [--best-of 1,4,8,16]
      curated samples at T=1.0: strict, flaw-free, strict and flaw-free,
      known phrasing (every phrase of the rules text in a training card),
      mean share of known phrases, near and exact copies, seconds.
      --temperature T samples at T instead.
  scripts/quality_figures.py topp    [--n 300] [--seed 101] [--top-p 1,0.95,0.9,0.8,0.7]
      raw samples (--best-of 1) at T=1.0 for each top-p: well-formed,
      strict, strict and flaw-free, known phrasing, near copies, median length,
      seconds (what a curator has to choose from; --best-of 8 for the picks).

Runs target/release/cardlm (or $CARDLM) on models/default (or $CARDLM_MODEL);
prints markdown rows. Lines of the output that are not JSON (a warning) are
passed to stderr, not parsed.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CARDLM = os.environ.get("CARDLM", "target/release/cardlm")
MODEL = os.environ.get("CARDLM_MODEL", "models/default")


def generate(n, seed, temperature, best_of, extra=()):
    cmd = [CARDLM, "generate", "--model", MODEL, "-n", str(n), "--seed", str(seed),
           "--temperature", str(temperature), "--best-of", str(best_of),
           "--format", "jsonl", *extra]
    start = time.monotonic()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    seconds = time.monotonic() - start
    cards = []
    for line in out.splitlines():
        if line.startswith("{"):
            cards.append(json.loads(line))
        elif line.strip():
            print(f"not a card: {line}", file=sys.stderr)
    if len(cards) != n:
        sys.exit(f"quality_figures: asked {n} cards, got {len(cards)} from {' '.join(cmd)}")
    return cards, seconds


def invents_a_type(card):
    strict = card.get("strict") or {}
    return any(p.startswith(("type word", "subtype", "no real card is"))
               for p in strict.get("problems", []))


def is_strict(card):
    strict = card.get("strict") or {}
    return card["well_formed"] and bool(strict.get("well_formed"))


def pct(k, n):
    return f"{100.0 * k / max(n, 1):.1f}%"


def guide(args):
    rows = {"guided": [], "free (--free-types)": []}
    cards = {}
    for _ in range(args.rounds):
        for label, extra in (("guided", ()), ("free (--free-types)", ("--free-types",))):
            drawn, seconds = generate(args.n, args.seed, 1.0, 1, extra)
            chars = sum(len(c["line"]) for c in drawn)
            rows[label].append(chars / seconds)
            cards[label] = drawn
    print("| type lines | well-formed | strict | invented type words (of well-formed) | chars/s (median) |")
    print("|---|---|---|---|---|")
    for label, speeds in rows.items():
        drawn = cards[label]
        wf = [c for c in drawn if c["well_formed"]]
        inv = sum(1 for c in wf if invents_a_type(c))
        print(f"| {label} | {pct(len(wf), len(drawn))} | {pct(sum(map(is_strict, drawn)), len(drawn))} "
              f"| {inv} of {len(wf)} ({pct(inv, len(wf))}) | {statistics.median(speeds):.0f} |")


def curate(args):
    print("| --best-of | strict | no flaw | strict, no flaw | known phrasing | phrases known "
          "| near copies | exact copies | seconds |")
    print("|---|---|---|---|---|---|---|---|---|")
    for b in [int(x) for x in args.best_of.split(",")]:
        drawn, seconds = generate(args.n, args.seed, args.temperature, b)
        n = len(drawn)
        strict = sum(map(is_strict, drawn))
        clean = sum(1 for c in drawn if not c.get("flaws"))
        both = sum(1 for c in drawn if is_strict(c) and not c.get("flaws"))
        near = sum(1 for c in drawn if (c.get("novelty") or {}).get("near_copy"))
        exact = sum(1 for c in drawn if (c.get("novelty") or {}).get("exact_copy"))
        phrased = [c["phrasing"] for c in drawn if c["well_formed"] and c.get("phrasing")]
        known = sum(1 for p in phrased if p["known_phrasing"])
        # "-": a cardlm without the phrasing judge.
        known_col = pct(known, len(phrased)) if phrased else "-"
        share_col = f"{100 * statistics.mean(p['score'] for p in phrased):.1f}%" if phrased else "-"
        print(f"| {b} | {pct(strict, n)} | {pct(clean, n)} | {pct(both, n)} | {known_col} "
              f"| {share_col} | {pct(near, n)} "
              f"| {pct(exact, n)} | {seconds:.1f} |")


def topp(args):
    b = int(args.best_of)
    print(f"| --top-p (--best-of {b}) | well-formed | strict | strict, no flaw | known phrasing "
          "| near copies | median length | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    for p in args.top_p.split(","):
        drawn, seconds = generate(args.n, args.seed, args.temperature, b, ("--top-p", p))
        n = len(drawn)
        wf = sum(1 for c in drawn if c["well_formed"])
        strict = sum(map(is_strict, drawn))
        both = sum(1 for c in drawn if is_strict(c) and not c.get("flaws"))
        phrased = [c["phrasing"] for c in drawn if c["well_formed"] and c.get("phrasing")]
        known = sum(1 for q in phrased if q["known_phrasing"])
        near = sum(1 for c in drawn if (c.get("novelty") or {}).get("near_copy"))
        length = statistics.median(len(c["line"]) for c in drawn)
        print(f"| {p} | {pct(wf, n)} | {pct(strict, n)} | {pct(both, n)} | {pct(known, len(phrased))} "
              f"| {pct(near, n)} | {length:.0f} | {seconds:.1f} |")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=["guide", "curate", "topp"])
    p.add_argument("--n", type=int)
    p.add_argument("--seed", type=int)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--best-of")
    p.add_argument("--top-p", default="1,0.95,0.9,0.8,0.7")
    p.add_argument("--temperature", type=float, default=1.0)
    args = p.parse_args()
    if args.what == "guide":
        args.n = args.n or 300
        args.seed = 11 if args.seed is None else args.seed
        guide(args)
    elif args.what == "curate":
        args.n = args.n or 100
        args.seed = 11 if args.seed is None else args.seed
        args.best_of = args.best_of or "1,4,8,16"
        curate(args)
    else:
        args.n = args.n or 300
        args.seed = 101 if args.seed is None else args.seed
        args.best_of = args.best_of or "1"
        topp(args)


if __name__ == "__main__":
    sys.exit(main())
