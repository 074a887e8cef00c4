"""The player's copy of a recording as the prospect will hear it: the recording decoded, through the
phone line (line.py), made small (opus.py). The grade report and the practice page play it beside
the original; it is made again when asked for (about a tenth of a second for a voicemail, the same
sound every time: only the WebM's random segment id changes), so nothing of it is stored."""

from __future__ import annotations

import os

from .clip import MAX_DURATION_S, decode
from .line import phone_line
from .opus import webm_opus


def line_copy(path: str | os.PathLike, codec: str, *, max_s: int = MAX_DURATION_S) -> bytes:
    """WebM/Opus of the recording at `path` through `codec` (a key of line.py's CODECS). Raises
    AudioError with a plain sentence when the recording cannot be decoded."""
    return webm_opus(phone_line(decode(path, max_s=max_s), codec))
