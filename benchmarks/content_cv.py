#!/usr/bin/env python3
"""The content rules on wording their examples never held: each labelled part measured with the
pack's examples fitted without that part's sentences (leave one part out).

Every part whose clauses were taken into the examples (tools/examples_from_eval.py) is seen, so
measuring it with the full pack says how well the examples were learned, not how well they carry
to a new message. Here, for each part, every example sentence found in one of that part's scripts
is taken out of every rule's `like` and `unlike` before the rules are fitted, and the part is
measured with what is left: an estimate of the rules on new wording, for choosing between methods
while tuning. The holdouts written after the last change (benchmarks/RESULTS.md) stay the figure
that counts. Printed, never asserted.

    .venv/bin/python benchmarks/content_cv.py [--parts dev holdout4 ... holdout8] [--verbose]
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.checks.kinds import MissingPhrases, Phrases  # noqa: E402
from analyzer.checks.pack import Pack, _with_others, load_pack  # noqa: E402
from analyzer.measure import introduction  # noqa: E402
from benchmarks.content import RULES, Score, evaluate  # noqa: E402
from benchmarks.scoring import table  # noqa: E402

PARTS = ("dev", "holdout4", "real", "holdout5", "real2", "holdout6", "real3", "holdout7", "real4", "holdout8")


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def without(pack: Pack, scripts: list[str]) -> Pack:
    """The pack with every example sentence said in one of the scripts taken out (and every example
    opening, which drops a title's full stop)."""
    said = [_plain(s) for s in scripts] + [_plain(introduction.opening(s)) for s in scripts]

    def kept(sentences: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(x for x in sentences if not any(_plain(x) in s for s in said))

    rules = []
    for rule in pack.rules:
        check = rule.check
        if isinstance(check, Phrases | MissingPhrases) and check.like:
            check = dataclasses.replace(check, like=kept(check.like), unlike=kept(check.unlike), others_like=())
            rule = dataclasses.replace(rule, check=check)
        rules.append(rule)
    return dataclasses.replace(pack, rules=_with_others(tuple(rules)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", nargs="+", default=list(PARTS))
    parser.add_argument("--pack", default="default")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    pack = load_pack(args.pack)
    overall = Score()
    for part in args.parts:
        messages = tomllib.loads((ROOT / "eval" / "text" / f"{part}.toml").read_text())["message"]
        held = without(pack, [m["script"] for m in messages])
        sizes = ", ".join(f"{r.name} {len(r.check.like)}/{len(r.check.unlike)}" for r in held.rules  # type: ignore[union-attr]
                          if isinstance(r.check, Phrases | MissingPhrases) and r.check.like)
        score = evaluate(held, messages, "script", args.verbose)
        score.show(f"{part}, its sentences left out of the examples (like/unlike left: {sizes}): "
                   f"{len(messages)} scripts")
        for rule in RULES:
            overall.confusion[rule] = [a + b for a, b in zip(overall.confusion[rule], score.confusion[rule])]
            overall.keeps[rule] += score.keeps[rule]
            overall.notes[rule] = [a + b for a, b in zip(overall.notes[rule], score.notes[rule])]
    print(f"\nall of {', '.join(args.parts)}, each left out in turn")
    table(overall.confusion)
    print("  warned where the habit is kept: " + ", ".join(
        f"{rule} {overall.confusion[rule][1]} of {n} ({100 * overall.confusion[rule][1] / max(n, 1):.1f} %)"
        for rule, n in overall.keeps.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
