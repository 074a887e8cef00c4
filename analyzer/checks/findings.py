"""What the rules say about a message."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]

    def __str__(self) -> str:
        return self.name.lower()


SEVERITIES = tuple(str(s) for s in Severity)


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    hint: str
    start: float | None  # the moment in the recording, or None for the whole message
    end: float | None
    words: tuple[tuple[int, int], ...] = ()  # (first, last) word indices the finding is about
    doubt: str = ""  # set when the evidence was too weak for the rule's own severity


@dataclass(frozen=True)
class Said:
    """Words a phrase rule found: what was heard, when, and which words."""

    text: str
    start: float
    end: float
    words: tuple[int, int]
    score: float | None = None  # a clause found by its meaning: how sure (0-1); None for words found


@dataclass(frozen=True)
class Evidence:
    """Why a phrase rule (a content rule) fired or kept quiet: the stretch it read and what it found
    there. A missing-phrase rule ("no benefit claim") keeps quiet because of what it found; a phrase
    rule ("self-focused opener") fires because of it."""

    code: str
    name: str
    fired: bool
    start: float | None  # the stretch read: the opening, the closing, or the whole message
    end: float | None
    found: tuple[Said, ...] = ()
