"""Helpers for testing rules from text, shipped so trainers can test their own packs too.

A script is words with optional directives in brackets:
    "[start 1.0] Hi this is Sam with Acme. [pause 2.5] Call me at [wpm 240] 8 1 6 9 1 6 6 1 4 1"
`[start S]` jumps to second S, `[pause S]` leaves S seconds of silence, `[wpm N]` sets the pace
of the words that follow, `[probability P]` how sure the transcriber was of them (0.9 unless set:
"you've got [probability 0.2] so much armor [probability 0.9] at some insurance" is a name
misheard). Each word takes 60/wpm seconds, its last fifth silent.
"""

from __future__ import annotations

import dataclasses
import re

from .checks.findings import Finding
from .checks.kinds import Context
from .checks.pack import Pack, Rule
from .engines.transcript import EngineInfo, Transcript, Word
from .measure.measurements import Measurements, measure

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


def measure_script(script: str, *, wpm: float = 150.0,
                   duration_s: float | None = None) -> tuple[Transcript, Measurements]:
    transcript = transcript_from_script(script, wpm=wpm)
    return transcript, measure(transcript, duration_s=duration_s)


def run_rule(rule: Rule, script: str, *, wpm: float = 150.0, number: str | None = None,
             duration_s: float | None = None, measures: dict | None = None) -> list[Finding]:
    """The findings of one rule on a script; `measures` overrides measurements text cannot give (pitch)."""
    transcript, measured = measure_script(script, wpm=wpm, duration_s=duration_s)
    if measures:
        measured = dataclasses.replace(measured, **measures)
    return rule.findings(Context(transcript, measured, number))


def rule_by_name(pack: Pack, name: str) -> Rule:
    for rule in pack.rules:
        if rule.name == name:
            return rule
    raise KeyError(f"no rule named {name!r} in pack {pack.name}")
