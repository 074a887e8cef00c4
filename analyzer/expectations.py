"""Expected results of a recording (NAME.expected.json beside it) and the checks against them.

Which rules fire is compared exactly; each measurement against its tolerance. The sample
corpus's expectations come from tools/make_samples.py, which knows the exact timings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .report import FileReport

SUFFIX = ".expected.json"


@dataclass(frozen=True)
class Expectation:
    path: Path
    recording: Path
    rules: tuple[str, ...]
    measures: dict
    options: dict


@dataclass(frozen=True)
class Check:
    """One comparison: a stable name per (recording, rule) or (recording, measurement)."""

    recording: str
    name: str  # "rule:number-too-fast", "measure:spoken_length_s", "measure:phone_numbers[1].digits_per_s"
    passed: bool
    expected: str
    got: str


def expectation_path(recording: Path) -> Path:
    return recording.with_name(recording.name.rsplit(".", 1)[0] + SUFFIX)


def load(path: Path) -> Expectation:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        recording = path.with_name(data["recording"])
        return Expectation(path, recording, tuple(sorted(data.get("rules", []))), data.get("measures", {}),
                           data.get("options", {}))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path} is not a readable expectation file ({exc}); fix it or re-create it.") from None


def compare(expected: Expectation, report: FileReport, rule_names: list[str]) -> list[Check]:
    name = expected.recording.name
    if report.error:
        return [Check(name, "analysis", False, "analysed", report.error)]
    fired = {f.name for f in report.findings}
    checks = [
        Check(name, f"rule:{rule}", (rule in fired) == (rule in expected.rules),
              _fires(rule in expected.rules), _fires(rule in fired))
        for rule in sorted(set(rule_names) | set(expected.rules) | fired)
    ]
    m = report.measures
    for key, want in expected.measures.items():
        if key == "pauses":
            checks.append(_pauses(name, want, expected.measures.get("silences", []), m.pauses))
        elif key == "phone_numbers":
            checks += _numbers(name, want, m.phone_numbers)
        elif key != "silences":
            checks.append(_scalar(name, f"measure:{key}", want, getattr(m, key, None)))
    return checks


def _fires(yes: bool) -> str:
    return "fires" if yes else "does not fire"


def _within(want: dict, got) -> bool:
    return got is not None and abs(got - want["value"]) <= want["tolerance"] + 1e-9


def _show(want: dict) -> str:
    return f"{want['value']} ± {want['tolerance']}" if want["tolerance"] else f"{want['value']}"


def _scalar(recording: str, name: str, want: dict, got) -> Check:
    return Check(recording, name, _within(want, got), _show(want), "absent" if got is None else f"{got}")


def _numbers(recording: str, want: list[dict], got) -> list[Check]:
    checks = [Check(recording, "measure:phone_numbers.count", len(want) == len(got), str(len(want)), str(len(got)))]
    for i, (w, g) in enumerate(zip(want, got)):
        for key, tolerance in w.items():
            checks.append(_scalar(recording, f"measure:phone_numbers[{i}].{key}", tolerance, getattr(g, key)))
    return checks


def _pauses(recording: str, want: list[dict], silences: list[list[float]], got) -> Check:
    """Every expected pause found (edges within tolerance); every pause found lies in a true silence."""
    missing = [
        w for w in want
        if not any(_within(w["start"], g.start) and _within(w["end"], g.end) for g in got)
    ]
    spurious = [g for g in got if not any(g.start < b and g.end > a for a, b in silences)]
    expected = ", ".join(f"{w['start']['value']:.2f}-{w['end']['value']:.2f}" for w in want) or "none"
    found = ", ".join(f"{g.start:.2f}-{g.end:.2f}" for g in got) or "none"
    return Check(recording, "measure:pauses", not missing and not spurious, expected, found)
