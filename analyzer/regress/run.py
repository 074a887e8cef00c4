"""A corpus re-analysed and compared with the expectations stored beside its recordings.

The analysis is the one `analyze` runs (pipeline.Analyzer); only the comparison is added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..audio.clip import audio_files
from ..errors import UsageError
from ..pipeline import Analyzer
from ..report.results import FileReport
from . import expectations
from .expectations import Change, Check


@dataclass(frozen=True)
class RecordingResult:
    recording: Path
    expectation: Path | None  # None: the recording has no expectations yet
    report: FileReport
    checks: tuple[Check, ...]

    @property
    def drifted(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.passed)


@dataclass(frozen=True)
class CorpusResult:
    corpus: Path
    results: tuple[RecordingResult, ...]

    @property
    def unexpected(self) -> tuple[RecordingResult, ...]:
        """Recordings with no expectations: reported, never silently passed."""
        return tuple(r for r in self.results if r.expectation is None)

    @property
    def drifted(self) -> tuple[Check, ...]:
        return tuple(c for r in self.results for c in r.drifted)

    @property
    def exit_code(self) -> int:
        return 1 if self.drifted or self.unexpected else 0


def find(corpus: Path) -> list[tuple[Path, Path | None]]:
    """(recording, its expectation file or None), for every recording and every expectation file."""
    if not corpus.is_dir():
        raise UsageError(f"{corpus} is not a folder; pass the folder that holds the recordings and their "
                         f"{expectations.SUFFIX} files.")
    pairs: dict[Path, Path | None] = {}
    for path in corpus.rglob(f"*{expectations.SUFFIX}"):
        pairs[expectations.load(path).recording] = path  # a missing recording is reported by analysis
    for recording in audio_files(corpus):
        pairs.setdefault(recording, None)
    if not pairs:
        raise UsageError(f"{corpus} holds no recordings; put the corpus's audio files there.")
    return sorted(pairs.items())


# Analyses each (recording, the rep's number for it) and calls back (its index, its report) as each
# is done: in this process (`one_by_one`), or in worker processes (grade.batch.analyse).
Analyse = Callable[[list[tuple[Path, str | None]], Callable[[int, FileReport], None]], None]


def one_by_one(analyzer: Analyzer) -> Analyse:
    def analyse(jobs: list[tuple[Path, str | None]], on_done: Callable[[int, FileReport], None]) -> None:
        for i, (recording, number) in enumerate(jobs):
            on_done(i, analyzer.analyze(recording, number=number))

    return analyse


def run(analyse: Analyse, corpus: Path, rule_names: list[str], *, off: frozenset[str] = frozenset(),
        progress: Callable[[Path, int, int], None] | None = None) -> CorpusResult:
    """Each recording analysed and compared with its expectations; `off`: the pack's rules that are
    switched off (--ignore, enabled = false), which are not compared. `progress(recording, done,
    total)` is called as each recording is done."""
    pairs = find(corpus)
    expected = [expectations.load(path) if path else None for _, path in pairs]
    reports: dict[int, FileReport] = {}

    def done(i: int, report: FileReport) -> None:
        reports[i] = report
        if progress:
            progress(pairs[i][0], len(reports), len(pairs))

    analyse([(recording, e.options.get("number") if e else None) for (recording, _), e in zip(pairs, expected)],
            done)
    results = []
    for i, ((recording, path), e) in enumerate(zip(pairs, expected)):
        checks = expectations.compare(e, reports[i], rule_names, off=off) if e else ()
        results.append(RecordingResult(recording, path, reports[i], tuple(checks)))
    return CorpusResult(corpus, tuple(results))


def update(result: CorpusResult, *, drop_missing: bool = False) -> tuple[list[Change], list[RecordingResult]]:
    """Re-bless: rewrite exactly what drifted, create what is missing. Returns the changes and the
    recordings that could not be analysed: those stay errors (a corpus that lost a file must not
    pass), except a recording that is gone when `drop_missing` says to delete its expectations."""
    changes: list[Change] = []
    failed: list[RecordingResult] = []
    for r in result.results:
        if r.report.error:
            if drop_missing and r.expectation is not None and not r.recording.exists():
                r.expectation.unlink()
                changes.append(Change(r.recording.name, "expectations", "the recording is gone",
                                      f"deleted {r.expectation.name}"))
            else:
                failed.append(r)
            continue
        if r.expectation is None:
            path = expectations.expectation_path(r.recording)
            expectations.write(path, expectations.new_expectation(r.recording, r.report))
            changes.append(Change(r.recording.name, "expectations", "none", f"created {path.name}"))
        elif r.drifted:
            data, changed = expectations.bless(expectations.read(r.expectation), r.report, list(r.drifted))
            expectations.write(r.expectation, data)
            changes += changed
    return changes, failed
