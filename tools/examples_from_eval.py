#!/usr/bin/env python3
"""Labelled clauses for the content rules' examples, from labelled messages (eval/text/*.toml).

A message of a training bank (train1, train2) is labelled clause by clause: its `opener`, `gains`
and `asks` are the words that carry each label (see `annotated`). A message of an evaluation part
is labelled as a whole (`fires`: the rules it breaks); its clauses are labelled from that:
- self-focused-opener: the opening line (TextIndex.opener, after the greeting and the
  introduction) says it when the message breaks the habit (unless it states a quantified gain: then
  the self-focus is elsewhere, and the line is left out), and does not when it keeps it;
- no-benefit-claim, no-call-to-action: in a message with no gain (no ask), no clause is one, so
  every clause but the greeting and the introduction is an `unlike`; in a message with one, the
  clause the rule found it in is a `like` (a message where the rule found none is left out, and
  printed, for a person to label);
- no-name-or-company: the message's opening (its first two sentences) is a `like` when the
  message keeps the habit, an `unlike` when it breaks it.

    .venv/bin/python tools/examples_from_eval.py dev holdout4 real holdout5 real2 train1 train2 holdout6 real3 \
        holdout7 real4 holdout8 real5 holdout9 holdout10 --rules self-focused-opener no-benefit-claim no-call-to-action
    .venv/bin/python tools/examples_from_eval.py dev test holdout holdout2 holdout3 holdout4 real holdout5 real2 \
        holdout6 real3 holdout7 real4 holdout8 real5 holdout9 holdout10 --rules no-name-or-company

writes rules/examples/<rule>.toml (the default pack's `examples = ...`), reading the pack as it stands
(run again with those files in place, it finds a few more). With --add, the parts' sentences are
added to the files as they are (a new training bank, the rest not harvested again):

    .venv/bin/python tools/examples_from_eval.py train3 --add --rules self-focused-opener
    .venv/bin/python tools/examples_from_eval.py train4 --add --rules no-benefit-claim

The parts named are seen from then on: measure on parts written after it (benchmarks/RESULTS.md
says which).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyzer.checks.kinds import Context, Phrases  # noqa: E402
from analyzer.checks.pack import load_pack  # noqa: E402
from analyzer.checks.text import is_greeting_or_introduction, searchable  # noqa: E402
from analyzer.measure import introduction  # noqa: E402
from analyzer.measure.measurements import measure  # noqa: E402
from analyzer.testing import rule_by_name, transcript_from_script  # noqa: E402

OPENER = "self-focused-opener"
NAME = "no-name-or-company"
FOUND_IN = ("no-benefit-claim", "no-call-to-action")
MIN_WORDS = 3


def harvest(pack, messages: list[dict]) -> tuple[dict[str, dict[str, list[str]]], list[str]]:
    out: dict[str, dict[str, list[str]]] = {rule: {"like": [], "unlike": []} for rule in (OPENER, *FOUND_IN)}
    unlabelled = []
    opener = rule_by_name(pack, OPENER).check
    assert isinstance(opener, Phrases)
    gain = rule_by_name(pack, "no-benefit-claim").check.compiled
    for m in messages:
        transcript = transcript_from_script(m["script"])
        ctx = Context(transcript, measure(transcript, labeller=pack.labeller))
        fires = set(m["fires"])
        if "opener" in m:  # labelled clause by clause: no rule's verdict is needed
            for rule, sentences in annotated(m, ctx.measures.clauses).items():
                for key in ("like", "unlike"):
                    out[rule][key] += sentences[key]
            continue
        window = opener.opening_line(ctx)  # as the rule reads it
        if window.stop > window.start:
            said = " ".join(w.text for w in transcript.words[window.start:window.stop]).strip()
            if OPENER not in fires:
                out[OPENER]["unlike"].append(said)
            elif not gain.search(searchable(said)):  # a quantified gain is no self-focused opening: the
                out[OPENER]["like"].append(said)  # message's self-focus is elsewhere (a composed part's)
        body = [c for c in ctx.measures.clauses
                if not is_greeting_or_introduction(c.text) and len(c.text.split()) >= MIN_WORDS]
        for rule in FOUND_IN:
            if rule in fires:
                out[rule]["unlike"] += [c.text for c in body]
                continue
            evidence = rule_by_name(pack, rule).evidence(ctx, False)
            starts = [f.start for f in (evidence.found if evidence else ())]
            found = [c for c in body if any(c.start - 0.01 <= t <= c.end + 0.01 for t in starts)]
            if found:
                out[rule]["like"].append(max(found, key=lambda c: getattr(c.score(rule), "score", 0.0)).text)
            else:
                unlabelled.append(f"{m['id']} ({rule}): {m['script']}")
    for rule in out:
        for key in out[rule]:
            out[rule][key] = list(dict.fromkeys(s.strip() for s in out[rule][key]))
    return out, unlabelled


ANNOTATIONS = {OPENER: "opener", "no-benefit-claim": "gains", "no-call-to-action": "asks"}


def annotated(message: dict, clauses) -> dict[str, dict[str, list[str]]]:
    """The clauses of a message labelled clause by clause (a training bank's `opener`, `gains`,
    `asks`: the words that carry each label, as said in its script). The clauses the opener's words
    fall in are a `like` of self-focused-opener when the message breaks that habit, else an
    `unlike`; a clause a gain (an ask) falls in is a `like` of that rule, and every other clause of
    the body an `unlike`; a clause only partly inside one is left out."""
    script = message["script"]
    offsets = [m.span() for m in re.finditer(r"\S+", script)]
    out: dict[str, dict[str, list[str]]] = {}
    for rule, key in ANNOTATIONS.items():
        pieces = message.get(key, [])
        pieces = [pieces] if isinstance(pieces, str) else pieces
        spans = [(i, i + len(p)) for p in pieces if (i := script.find(p)) >= 0]
        like, unlike = [], []
        for c in clauses:
            a, b = offsets[c.first_word][0], offsets[c.last_word][1]
            inside = max((min(b, e) - max(a, s) for s, e in spans), default=0)
            if inside >= 0.5 * (b - a):
                like.append(c.text)
            elif inside <= 0 and not is_greeting_or_introduction(c.text) and len(c.text.split()) >= MIN_WORDS:
                unlike.append(c.text)
        if rule == OPENER:  # only the opening line says whom the opening is about
            said = " ".join(like)
            like, unlike = ([said], []) if OPENER in message["fires"] else ([], [said] if said else [])
        out[rule] = {"like": like, "unlike": unlike}
    return out


def openings(messages: list[dict]) -> dict[str, list[str]]:
    """no-name-or-company reads whole openings (analyzer/measure/introduction.py): a message's
    opening is a `like` when the message keeps the habit, an `unlike` when it breaks it."""
    out: dict[str, list[str]] = {"like": [], "unlike": []}
    for m in messages:
        if "fires" in m:
            said = introduction.opening(m["script"])
            out["unlike" if NAME in m["fires"] else "like"].append(said)
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}


def write(folder: Path, rule: str, sentences: dict[str, list[str]], parts: list[str]) -> Path:
    what = "openings" if rule == NAME else "clauses"
    lines = [f"# {rule}: {what} of labelled messages ({', '.join(parts)} in eval/text/), by",
             "# tools/examples_from_eval.py. `like` says the rule's thing, `unlike` does not. Read by the",
             "# default pack's `examples`; a trainer changes a verdict with \"like+\" / \"unlike+\" in their pack."]
    for key in ("like", "unlike"):
        lines.append(f"{key} = [")
        lines += [f"    {json.dumps(s, ensure_ascii=False)}," for s in sentences[key]]
        lines.append("]")
    path = folder / f"{rule}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tomllib.loads(path.read_text(encoding="utf-8"))  # it reads back
    return path


def added(path: Path, sentences: dict[str, list[str]], parts: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """The sentences of the rule's file at `path` and `sentences` after them, each once, and the parts
    its header names and `parts` after them."""
    text = path.read_text(encoding="utf-8")
    held = tomllib.loads(text)
    named = re.search(r"\((.*) in eval/text/\)", text.splitlines()[0])
    before = named.group(1).split(", ") if named else []
    return ({key: list(dict.fromkeys([*held.get(key, []), *sentences[key]])) for key in ("like", "unlike")},
            list(dict.fromkeys([*before, *parts])))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="+", help="parts of eval/text/ (dev, holdout4, real, ...)")
    parser.add_argument("--out", type=Path, default=ROOT / "rules" / "examples")
    parser.add_argument("--rules", nargs="+", help="write only these rules' files (default: all)")
    parser.add_argument("--add", action="store_true",
                        help="add the parts' sentences to the files as they are, instead of writing them anew "
                             "(what the files hold was harvested with the pack of its day)")
    args = parser.parse_args()
    pack = load_pack("default")
    messages = [m for part in args.parts
                for m in tomllib.loads((ROOT / "eval" / "text" / f"{part}.toml").read_text())["message"]]
    sentences, unlabelled = harvest(pack, messages)
    sentences[NAME] = openings(messages)
    args.out.mkdir(parents=True, exist_ok=True)
    for rule, found in sentences.items():
        if args.rules and rule not in args.rules:
            continue
        parts = args.parts
        if args.add:
            found, parts = added(args.out / f"{rule}.toml", found, parts)
        path = write(args.out, rule, found, parts)
        print(f"{path}: {len(found['like'])} like, {len(found['unlike'])} unlike")
    for line in unlabelled:
        print(f"left out, the rule found nothing to label: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
