"""`voicemail rules`: the active pack's rules, each with what fires it and the coaching hint; one
rule explained (--explain); a trainer's rule cases checked (--test)."""

from __future__ import annotations

import dataclasses
import json

from rich.console import Console
from rich.text import Text

from ..checks.kinds import MissingPhrases, NumberMismatch, Phrases
from ..checks.pack import Pack, Rule
from ..testing import check_case
from .terminal import STYLE


def render(pack: Pack, console: Console, *, include_off: bool = False) -> None:
    console.print(Text.assemble(("pack ", "bold"), pack.name, "  ", (" -> ".join(pack.files), "dim")))
    weights = ", ".join(f"{k} {v}" for k, v in pack.weights.items())
    console.print(Text(f"score: 100 less, once per rule that fires: {weights}", style="dim"))
    for rule in pack.rules if include_off else pack.active:
        console.print()
        console.print(Text.assemble(
            (rule.code, "bold"), "  ", (rule.name, "bold"), "  ", (str(rule.severity), STYLE[rule.severity]),
            ("  (off)" if not rule.enabled else "", "dim"),
        ))
        console.print(Text(f"  {rule.explained}"), soft_wrap=True)
        console.print(Text(f"  hint: {rule.filled(rule.hint)}", style="italic"), soft_wrap=True)
        if rule.source:
            console.print(Text(f"  source: {rule.source}", style="dim"), soft_wrap=True)


def explain(pack: Pack, rule: Rule, examples: list[tuple[str, dict]], console: Console) -> None:
    """What a rule checks, why, this pack's limits, a case that fires and one that passes (of
    `examples`, those that hold under this pack), how to change it."""
    console.print(Text.assemble((rule.code, "bold"), "  ", (rule.name, "bold"), "  ",
                                (str(rule.severity), STYLE[rule.severity]), ("" if rule.enabled else "  (off)", "dim"),
                                ("  in pack ", "dim"), pack.name))
    console.print(Text(rule.explained), soft_wrap=True)
    console.print(Text("\nWhy: ", style="bold") + Text(rule.filled(rule.hint)), soft_wrap=True)
    if rule.source:
        console.print(Text("Source: ", style="bold") + Text(rule.source), soft_wrap=True)
    console.print(Text(f"\nThis pack's settings ({rule.check.kind} check):", style="bold"))
    for line in _settings(rule, pack):
        console.print(Text(f"  {line}"), soft_wrap=True)
    _examples(rule, console)
    for kind, title in (("fail", "Fires on"), ("pass", "Keeps quiet on")):
        case = next((c for k, c in examples if k == kind and not check_case(rule, k, c)), None)
        if case is not None:
            console.print(Text(f"\n{title} ({case['about']}):", style="bold"))
            console.print(Text(f"  {case['script']}"), soft_wrap=True)
            if "line" in case:
                console.print(Text(f"  heard through the phone line as: {case['line']}"), soft_wrap=True)
    console.print(Text("\nChange it in a pack:", style="bold"))
    console.print(Text(f"  [rules.{rule.name}]"))
    for line in _changes(rule):
        console.print(Text(f"  {line}"), soft_wrap=True)


SHOWN_EXAMPLES = 4
SET_BY_PACK = ("meaning", "others_like")  # not the rule's keys (checks/pack.py)


def _examples(rule: Rule, console: Console) -> None:
    """What a rule that judges meaning learns from: some of its example sentences, and how it decides."""
    check = rule.check
    if not isinstance(check, Phrases | MissingPhrases) or not check.like:
        return
    like, unlike, others = check.like, check.unlike, len(check.others_like)
    if check.reads == "introduction":
        learns = (f"{len(like)} openings that say it (like) and {len(unlike)} that do not (unlike), read for "
                  f"whom they name. An opening scored")
    else:
        learns = (f"{len(like)} sentences that say it (like), {len(unlike)} that do not (unlike), and {others} of "
                  f"the other content rules' like sentences as ones that do not. A clause scored")
    console.print(Text(f"\nWhat it learns from: {learns} {check.like_min:g} or more says it; within "
                       f"{check.unsure_band:g} under that, it may, and the finding is a note.", style="bold"),
                  soft_wrap=True)
    for title, sentences in (("like", like), ("unlike", unlike)):
        shown = sentences[:SHOWN_EXAMPLES]
        console.print(Text(f"  {title}: " + " | ".join(shown) + (" | ..." if len(sentences) > len(shown) else "")),
                      soft_wrap=True)


def _settings(rule: Rule, pack: Pack) -> list[str]:
    out = []
    if isinstance(rule.check, NumberMismatch):  # its one setting is the rep's number, which is not the rule's key
        out.append(f"the rep's own number: {pack.number or 'not in this pack'}; the practice page's script card, "
                   "else --number, else `number` under [pack] (the nearest one wins); with none known it keeps quiet "
                   "and number-readings-differ compares the readings instead")
    for f in dataclasses.fields(rule.check):
        if f.name in SET_BY_PACK:
            continue
        value = getattr(rule.check, f.name)
        if isinstance(value, tuple) and f.name != "phrases":
            if value:  # regular expressions and example sentences: how many
                out.append(f"{f.name}: {len(value)}")
        elif isinstance(value, tuple):
            if value:
                shown = ", ".join(json.dumps(v) for v in value[:3]) + (", ..." if len(value) > 3 else "")
                out.append(f"{f.name}: {len(value)} ({shown})")
        elif value not in (None, "") and (value != f.default or f.name == "within"):
            out.append(f"{f.name} = {json.dumps(value)}")
    return out


def _changes(rule: Rule) -> list[str]:
    out = []
    for f in dataclasses.fields(rule.check):
        value = getattr(rule.check, f.name)
        if f.name in SET_BY_PACK:
            continue
        if isinstance(value, float) and f.name in ("min", "max"):
            out.append(f"{f.name} = {value:g}                # the limit")
        elif f.name == "like" and value:
            out.append('"like+" = ["..."]        # a sentence it got wrong that says it ("unlike+": one that does not)')
        elif f.name == "unlike" and value:
            continue
        elif isinstance(value, tuple) and value:
            out.append(f'"{f.name}+" = ["..."]        # add to the {f.name}; "{f.name}-" takes out')
    out.append(f'severity = "{rule.severity}"          # error, warning or info')
    out.append("enabled = false             # or --ignore " + rule.code)
    return out


def render_cases(results: list[tuple[str, str, str, str]], console: Console) -> int:
    """Each failing case with what is wrong, then a count; returns the number that failed.
    `results`: (rule, kind, about, problem), problem "" for a case that holds."""
    failed = [r for r in results if r[3]]
    for rule, kind, about, problem in failed:
        console.print(Text.assemble(("FAIL ", "bold red"), f"{rule} [{kind}] {about}: ", problem), soft_wrap=True)
    passed = len(results) - len(failed)
    console.print(f"{passed} passed, {len(failed)} failed")
    return len(failed)
