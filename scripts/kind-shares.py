#!/usr/bin/env python3
"""Checks issue 12's aim on a `cardlm eval --json` report: every card type and layout that makes
up at least 1% of the corpus appears among the well-formed samples at temperature 1.0 (raw, not
curated) within a factor of 1.5 of its corpus share.

Usage: scripts/kind-shares.py EVAL_JSON [MIN_SHARE] [FACTOR]
Prints one line per type and layout (corpus share, sample share, ratio, verdict) and exits 1 when
one is outside the factor."""
import json
import sys


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path = sys.argv[1]
    min_share = float(sys.argv[2]) if len(sys.argv) > 2 else 0.01
    factor = float(sys.argv[3]) if len(sys.argv) > 3 else 1.5
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{path}: cannot read the eval report: {e}", file=sys.stderr)
        return 2
    raw = [s for s in report["samples"] if s["temperature"] == 1.0 and s["best_of"] == 1]
    if not raw:
        print(f"{path}: no raw samples at temperature 1.0", file=sys.stderr)
        return 2
    sampled = raw[0]["distributions"]
    corpus = report["corpus_distributions"]
    failed = 0
    print(f"{raw[0]['samples']} samples at T=1.0, {sampled['cards']} well-formed; "
          f"categories with at least {min_share:.0%} of the corpus's {corpus['cards']} cards:")
    for field in ("types", "layouts"):
        for name, share in sorted(corpus.get(field, {}).items(), key=lambda kv: -kv[1]):
            if share < min_share:
                continue
            got = sampled.get(field, {}).get(name, 0.0)
            ratio = got / share
            ok = 1 / factor <= ratio <= factor
            failed += not ok
            print(f"  {field[:-1]:6} {name:14} corpus {share:6.1%}  samples {got:6.1%}  "
                  f"ratio {ratio:4.2f}  {'ok' if ok else 'OUTSIDE ' + str(factor) + 'x'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
