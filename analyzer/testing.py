"""Helpers for testing rules from text, shipped so trainers can test their own packs too.

A script is words with optional directives in brackets:
    "[start 1.0] Hi this is Sam with Acme. [pause 2.5] Call me at [wpm 240] 8 1 6 9 1 6 6 1 4 1"
`[start S]` jumps to second S, `[pause S]` leaves S seconds of silence, `[wpm N]` sets the pace
of the words that follow, `[probability P]` how sure the transcriber was of them (0.9 unless set:
"you've got [probability 0.2] so much armor [probability 0.9] at some insurance" is a name
misheard). Each word takes 60/wpm seconds, its last fifth silent.

Rule cases are TOML files, one per rule (the file's name, or `rule = "NAME"` in it): `[[fail]]`
cases the rule must fire on and `[[pass]]` cases it must keep quiet on, each with `about` and
`script`, and optionally `number` (the rep's own), `measures` (what text cannot give: pitch),
`options` (the rule's keys set for this case only: `{max = 25.0}`), `line` (a script of what the
recording's phone-line version was heard as, on the recording's clock: the line is then on), and
for a failing case the
`severity`, a piece of the `message`, and the `start` and `end` of the first finding (seconds).
The project's own cases ship in the package (rules/cases/); `voicemail rules --test FILE` runs a
trainer's against their pack with `check_case`, the runner the project's tests use.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import typing
from pathlib import Path

from .audio.line import CODECS, DEFAULT_CODEC
from .checks.findings import Finding
from .checks.kinds import Context
from .checks.pack import Pack, Rule, labeller_of
from .errors import UsageError
from .measure.clauses import Labeller
from .measure.line import through_line
from .measure.measurements import Measurements, measure
from .transcript import EngineInfo, Transcript, Word

_DIRECTIVE = re.compile(r"\[(start|pause|wpm|probability)\s+([\d.]+)\]")


def transcript_from_script(script: str, *, wpm: float = 150.0) -> Transcript:
    words: list[Word] = []
    t, probability = 0.0, 0.9
    for token in re.split(r"(\[[^\]]*\])|\s+", script):
        if not token:
            continue
        directive = _DIRECTIVE.fullmatch(token)
        if directive:
            kind, value = directive.group(1), float(directive.group(2))
            if kind == "start":
                t = value
            elif kind == "pause":
                t += value
            elif kind == "probability":
                probability = value
            else:
                wpm = value
            continue
        slot = 60.0 / wpm
        words.append(Word(token, round(t, 3), round(t + 0.8 * slot, 3), probability))
        t += slot
    return Transcript(tuple(words), "en", EngineInfo("script", "none"))


def measure_script(script: str, *, wpm: float = 150.0, duration_s: float | None = None,
                   labeller: Labeller = Labeller(), line: str | None = None) -> tuple[Transcript, Measurements]:
    """`line`: the script of what the recording's phone-line version was heard as (a mobile call's)."""
    transcript = transcript_from_script(script, wpm=wpm)
    measured = measure(transcript, duration_s=duration_s, labeller=labeller)
    if line is not None:
        heard = through_line(measured.phone_numbers, DEFAULT_CODEC, CODECS[DEFAULT_CODEC].what,
                             transcript_from_script(line, wpm=wpm))
        measured = dataclasses.replace(measured, phone_line=heard)
    return transcript, measured


def run_rule(rule: Rule, script: str, *, wpm: float = 150.0, number: str | None = None,
             duration_s: float | None = None, measures: dict | None = None, line: str | None = None) -> list[Finding]:
    """The findings of one rule on a script; `measures` overrides measurements text cannot give (pitch);
    `line`: what its phone-line version was heard as."""
    transcript, measured = measure_script(script, wpm=wpm, duration_s=duration_s, labeller=labeller_of((rule,)),
                                          line=line)
    if measures:
        measured = dataclasses.replace(measured, **measures)
    return rule.findings(Context(transcript, measured, number))


def rule_by_name(pack: Pack, name: str) -> Rule:
    for rule in pack.rules:
        if rule.name == name:
            return rule
    raise KeyError(f"no rule named {name!r} in pack {pack.name}")


CASE_KEYS = {"about", "script", "number", "measures", "options", "severity", "message", "start", "end", "line"}
SPAN_TOLERANCE_S = 0.05


def shipped_cases(rule_name: str) -> list[tuple[str, dict]]:
    """The project's own cases of a default rule (rules/cases/NAME.toml, in the package); none for a
    trainer's own rule."""
    from importlib import resources

    case_file = resources.files("analyzer").joinpath("packs", "cases", f"{rule_name}.toml")
    if not case_file.is_file():
        return []
    with resources.as_file(case_file) as path:
        return load_cases(path)[1]


def load_cases(path: Path) -> tuple[str, list[tuple[str, dict]]]:
    """A case file's rule name and its (kind, case) pairs, "fail" first; a bad file is one sentence."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"The rule cases {path} cannot be read ({exc}); check the path.") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"The rule cases {path} are not valid TOML ({exc}); fix the line it names.") from None
    cases = [(kind, case) for kind in ("fail", "pass") for case in data.get(kind, [])]
    unknown = set(data) - {"rule", "fail", "pass"}
    if unknown or not cases or not all(isinstance(c, dict) and "script" in c for _, c in cases):
        raise UsageError(f"The rule cases {path} need [[fail]] and [[pass]] tables, each with a script "
                         f"(and `rule = \"NAME\"` unless the file is named for its rule); fix the file.")
    return str(data.get("rule", Path(path).stem)), cases


def check_case(rule: Rule, kind: str, case: dict) -> str:
    """What is wrong with the rule on one case ("" when the case holds)."""
    unknown = sorted(set(case) - CASE_KEYS)
    if unknown:
        return f"unknown key {unknown[0]!r} (a case may set {', '.join(sorted(CASE_KEYS))})"
    try:
        rule = _with_options(rule, case.get("options", {}))
    except (TypeError, ValueError) as exc:
        return f"options: {exc}"
    findings = run_rule(rule, case["script"], number=case.get("number"), measures=case.get("measures"),
                        line=case.get("line"))
    said = "; ".join(f.message for f in findings)
    if kind == "pass":
        return f"fired: {said}" if findings else ""
    if not findings:
        return "did not fire"
    if "severity" in case and {str(f.severity) for f in findings} != {case["severity"]}:
        return f"fired at {', '.join(sorted({str(f.severity) for f in findings}))}, not {case['severity']}: {said}"
    if "message" in case and not any(case["message"] in f.message for f in findings):
        return f"no message says {case['message']!r}: {said}"
    first = findings[0]
    for key in ("start", "end"):
        if key in case:
            got = getattr(first, key)
            if got is None or abs(got - case[key]) > SPAN_TOLERANCE_S:
                return f"the finding's {key} is {got}, not {case[key]}"
    return ""


def _with_options(rule: Rule, options: dict) -> Rule:
    """The rule with some of its check's keys set for one case (lists become tuples, as in packs)."""
    if not options:
        return rule
    fields = {f.name for f in dataclasses.fields(rule.check)}
    hints = typing.get_type_hints(type(rule.check))
    values: dict[str, typing.Any] = {}
    for key, value in options.items():
        if key not in fields:
            raise ValueError(f"{key!r} is no key of a {rule.check.kind!r} rule")
        values[key] = tuple(value) if isinstance(value, list) else (float(value) if hints[key] in (float, float | None)
                                                                      and isinstance(value, int) else value)
    check = dataclasses.replace(rule.check, **values)
    problem = check.validate()
    if problem:
        raise ValueError(problem)
    return dataclasses.replace(rule, check=check)
