"""Per-file results and the run's report: what every renderer formats."""

from __future__ import annotations

from dataclasses import dataclass

from ..audio.clip import Clip
from ..checks.findings import Evidence, Finding, Severity
from ..measure.measurements import Measurements
from ..transcript import Transcript

SCHEMA_VERSION = 1
# What kind of failure a file's error is: the input could not be used (the user's to fix, and
# the same next time), or the analyzer failed (a bug: never kept in a cache).
INPUT_ERROR = "input"
INTERNAL_ERROR = "internal"


@dataclass(frozen=True)
class AudioInfo:
    format: str
    codec: str
    duration_s: float
    sample_rate_hz: int
    channels: int

    @classmethod
    def of(cls, clip: Clip) -> AudioInfo:
        return cls(clip.format, clip.codec, round(clip.duration_s, 2), clip.original_rate_hz, clip.original_channels)


@dataclass(frozen=True)
class Analysed:
    """What a file that was analysed has, none of it missing."""

    audio: AudioInfo
    transcript: Transcript
    measures: Measurements
    score: int


@dataclass(frozen=True)
class Analysis:
    """A recording before any rule: what decoding, transcribing and measuring its signal gave (the
    measurements without the content rules' readings, measurements.understood), or the error that
    stopped it. It needs no pack: grading keeps it by the recording's content, so a new pack or
    --number re-runs only the rules, and a worker that makes it needs only the model."""

    file: str
    audio: AudioInfo | None = None
    transcript: Transcript | None = None
    measures: Measurements | None = None
    error: str | None = None
    error_kind: str | None = None


@dataclass(frozen=True)
class FileReport:
    file: str
    audio: AudioInfo | None = None
    transcript: Transcript | None = None
    measures: Measurements | None = None
    findings: tuple[Finding, ...] = ()
    score: int | None = None
    error: str | None = None  # one plain sentence when the file could not be analysed
    evidence: tuple[Evidence, ...] = ()  # why each phrase rule fired or kept quiet
    error_kind: str | None = None  # with an error: INPUT_ERROR or INTERNAL_ERROR

    @property
    def verdicts(self) -> set[str]:
        """The rules that fired: each finding but the notes that say what could not be confirmed
        (no verdict: regress lets them pass where a rule must stay quiet, a team counts no flag)."""
        return {f.name for f in self.findings if not f.doubt}

    def analysed(self) -> Analysed:
        """Its parts, where `error` is None: a reader's one check that they are all there."""
        if self.audio is None or self.transcript is None or self.measures is None or self.score is None:
            raise ValueError(f"{self.file} was not analysed: {self.error}")
        return Analysed(self.audio, self.transcript, self.measures, self.score)


@dataclass(frozen=True)
class Report:
    files: tuple[FileReport, ...]
    pack: str

    def exit_code(self, fail_on: Severity | None) -> int:
        """0 clean, 1 findings at or above fail_on, 2 a file could not be used."""
        if any(f.error for f in self.files):
            return 2
        if fail_on is not None and any(x.severity >= fail_on for f in self.files for x in f.findings):
            return 1
        return 0
