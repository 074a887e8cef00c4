"""A team's picture from its graded recordings: per rep, per rule, and reps who leave the same
message every time (guidance 001, point 7: "You leave the same voice mail message")."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations

from ..checks.text import normalise
from .batch import Graded

# Transcripts at least this alike are the same message (the transcriber differs a little each time).
SAME_MESSAGE_SIMILARITY = 0.9



@dataclass(frozen=True)
class RepSummary:
    rep: str
    recordings: int
    graded: int  # recordings that could be analysed
    mean_score: float | None
    first_score: int | None
    latest_score: int | None
    flags: tuple[tuple[str, int], ...]  # (rule, recordings it fired in), every rule that fired, most frequent first
    same_message: tuple[tuple[str, str, float], ...]  # (file, file, similarity)

    @property
    def top_flags(self) -> tuple[tuple[str, int], ...]:
        return self.flags[:3]

    def as_dict(self) -> dict:
        """The rep's summary as report.json and report.html both carry it."""
        return {"rep": self.rep, "recordings": self.recordings, "graded": self.graded, "mean_score": self.mean_score,
                "latest_score": self.latest_score, "trend": self.trend,
                "most_frequent_flags": [{"name": n, "recordings": c} for n, c in self.top_flags],
                "same_message": [{"files": [a, b], "similarity": sim} for a, b, sim in self.same_message]}

    @property
    def trend(self) -> int | None:
        """Points gained from the first recording to the latest."""
        if self.graded < 2 or self.latest_score is None or self.first_score is None:
            return None
        return self.latest_score - self.first_score


@dataclass(frozen=True)
class TeamReport:
    pack: str
    rules: tuple[str, ...]  # the active rules, in pack order
    recordings: tuple[Graded, ...]  # the latest of each rep last
    reps: tuple[RepSummary, ...]
    rule_counts: dict[str, int]  # recordings each rule fired in

    @property
    def errors(self) -> tuple[Graded, ...]:
        return tuple(g for g in self.recordings if g.report.error)

    @property
    def undated(self) -> int:
        """Recordings whose file does not say when they were made: ordered by the file's time."""
        return sum(not g.recording.dated for g in self.recordings)

    @property
    def mean_score(self) -> float | None:
        scores = [g.report.analysed().score for g in self.recordings if not g.report.error]
        return round(sum(scores) / len(scores), 1) if scores else None


def summarize(graded: list[Graded], *, pack: str, rules: list[str]) -> TeamReport:
    ordered = sorted(graded, key=lambda g: (g.recording.rep, g.recording.recorded, g.recording.path.name))
    reps = []
    for rep in sorted({g.recording.rep for g in ordered}):
        mine = [g for g in ordered if g.recording.rep == rep]
        reps.append(_rep_summary(rep, mine))
    counts = Counter(name for g in ordered for name in g.report.verdicts)
    return TeamReport(pack, tuple(rules), tuple(ordered), tuple(reps), {r: counts.get(r, 0) for r in rules})


def _rep_summary(rep: str, mine: list[Graded]) -> RepSummary:
    ok = [g for g in mine if not g.report.error]
    scores = [g.report.analysed().score for g in ok]
    flags = Counter(name for g in ok for name in g.report.verdicts)
    return RepSummary(
        rep=rep,
        recordings=len(mine),
        graded=len(ok),
        mean_score=round(sum(scores) / len(scores), 1) if scores else None,
        first_score=scores[0] if scores else None,
        latest_score=scores[-1] if scores else None,
        flags=ranked(flags),
        same_message=tuple(_same_messages(ok)),
    )


def ranked(counts: Counter) -> tuple[tuple[str, int], ...]:
    """Most frequent first, ties by name: the same order on every run (a Counter of a set's items
    keeps the set's order, which changes from one process to the next)."""
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _same_messages(graded: list[Graded]) -> list[tuple[str, str, float]]:
    texts = [(g.recording.path.name, normalise(g.report.analysed().transcript.text).split()) for g in graded]
    out = []
    for (a, wa), (b, wb) in combinations(texts, 2):
        similarity = SequenceMatcher(None, wa, wb, autojunk=False).ratio()
        if similarity >= SAME_MESSAGE_SIMILARITY:
            out.append((a, b, round(similarity, 2)))
    return out
