"""Decode any recording a phone or a browser produces into a Clip: mono float32 at 16 kHz.

PyAV carries its own FFmpeg libraries, so WAV (PCM and mu-law), FLAC, MP3, OGG (Vorbis, Opus),
M4A/AAC and WebM/Opus as MediaRecorder writes it (no duration header) all take the same path.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from ..errors import AudioError

SAMPLE_RATE_HZ = 16_000
# What a folder of recordings is searched for (a file named on the command line is always tried).
AUDIO_SUFFIXES = (".wav", ".mp3", ".m4a", ".aac", ".mp4", ".ogg", ".oga", ".opus", ".flac", ".webm")


def audio_files(folder: Path) -> list[Path]:
    """The recordings in a folder and its subfolders, hidden files left out."""
    return sorted(p for p in Path(folder).rglob("*")
                  if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file() and not p.name.startswith("."))
MAX_FILE_BYTES = 500 * 1024 * 1024
MAX_DURATION_S = 30 * 60
# A container that promises more audio than it yields by this much is truncated.
TRUNCATION_TOLERANCE = 0.9


@dataclass(frozen=True)
class Clip:
    path: Path
    format: str  # container, e.g. "wav", "ogg", "matroska,webm"
    codec: str  # e.g. "pcm_mulaw", "opus"
    original_rate_hz: int
    original_channels: int
    samples: np.ndarray  # mono float32 at SAMPLE_RATE_HZ; treat as read-only

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE_HZ


def decode(path: str | os.PathLike, *, max_s: int = MAX_DURATION_S, name: str | None = None) -> Clip:
    """Read a recording without modifying it. Raises AudioError with a plain sentence; one
    longer than `max_s` is refused as soon as that much is decoded. `name`: what the Clip and the
    messages call it, when `path` is a copy (a cluster worker decodes the bytes it was sent)."""
    import av  # heavy; keep `voicemail --help` instant

    path = Path(path)
    shown = Path(name) if name is not None else path
    check_file(path, shown)
    try:
        container = av.open(str(path), mode="r")
    except (av.error.InvalidDataError, ValueError):
        raise AudioError(  # FFmpeg's own words ("Invalid data found when processing input") say no more
            f"{shown} could not be read as audio: it is damaged, incomplete or not a recording; "
            "export it again as WAV, MP3, M4A, OGG, FLAC or WebM."
        ) from None
    except av.error.FFmpegError as exc:
        raise AudioError(f"{shown} could not be opened ({_reason(exc)}); check the file and try again.") from None
    with container:
        if not container.streams.audio:
            raise AudioError(f"{shown} has no audio track; export the recording as an audio file and try again.")
        stream = container.streams.audio[0]
        ctx = stream.codec_context
        declared_s = _wav_declared_s(path) if container.format.name == "wav" else None
        declared_s = declared_s or _declared_duration_s(container, stream)
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE_HZ)
        chunks: list[np.ndarray] = []
        decoded = 0
        try:
            for frame in container.decode(stream):
                for piece in resampler.resample(frame):
                    chunks.append(piece.to_ndarray().reshape(-1))
                    decoded += len(chunks[-1])
                if decoded > max_s * SAMPLE_RATE_HZ:
                    raise AudioError(
                        f"{shown} is longer than {_minutes(max_s)}; "
                        "a voicemail is under a minute, so trim the recording and try again."
                    )
            chunks.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(None))
        except av.error.FFmpegError as exc:
            if not chunks:
                raise AudioError(
                    f"{shown} could not be decoded ({_reason(exc)}); it may be damaged, so export it again."
                ) from None
            # Decoded up to the damage: judged below against the declared length.
        samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
        clip = Clip(
            path=shown,
            format=container.format.name,
            codec=ctx.codec.canonical_name,
            original_rate_hz=int(ctx.sample_rate or 0),
            original_channels=int(ctx.channels or 0),
            samples=np.ascontiguousarray(samples, dtype=np.float32),
        )
    if clip.duration_s == 0:
        raise AudioError(f"{shown} contains no audio samples; record the message again.")
    if declared_s and clip.duration_s < TRUNCATION_TOLERANCE * declared_s:
        raise AudioError(
            f"{shown} is truncated: it declares {declared_s:.1f} s but holds only {clip.duration_s:.1f} s; "
            "copy or export the recording again."
        )
    return clip


def check_file(path: Path, shown: Path | None = None) -> None:
    """Raises AudioError, in a sentence that names `shown` (default: `path`), when `path` is no
    file that could be a recording: missing, a folder, a pipe, unreadable, empty or too big."""
    shown = shown or path
    if not path.exists():
        raise AudioError(f"{shown} does not exist; check the path.")
    if path.is_dir():
        raise AudioError(f"{shown} is a folder, not a recording; pass the audio files inside it.")
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise AudioError(f"{shown} cannot be read ({exc.strerror}); check its permissions.") from None
    if not stat.S_ISREG(mode):  # opening a pipe waits for a writer that may never come
        raise AudioError(f"{shown} is not a regular file (a pipe, socket or device); save the recording to a "
                         "file and pass that.")
    try:
        size = path.stat().st_size
        with path.open("rb"):
            pass
    except OSError as exc:
        raise AudioError(f"{shown} cannot be read ({exc.strerror}); check its permissions.") from None
    if size == 0:
        raise AudioError(f"{shown} is empty (0 bytes); record or copy the message again.")
    if size > MAX_FILE_BYTES:
        raise AudioError(
            f"{shown} is {size / 2**20:.0f} MiB, more than the {MAX_FILE_BYTES // 2**20} MiB limit; "
            "a voicemail is under a minute, so trim or compress the recording."
        )


def _declared_duration_s(container, stream) -> float | None:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / 1_000_000  # av.time_base
    return None


def _wav_declared_s(path: Path) -> float | None:
    """Seconds a WAV header promises: FFmpeg trusts the file size, so a cut-off WAV looks whole."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    pos, byte_rate = 12, 0
    while pos + 8 <= len(head):
        chunk, size = head[pos : pos + 4], int.from_bytes(head[pos + 4 : pos + 8], "little")
        if chunk == b"fmt " and pos + 20 <= len(head):
            byte_rate = int.from_bytes(head[pos + 16 : pos + 20], "little")
        elif chunk == b"data":
            # 0 and 0xFFFFFFFF mean "unknown" (streamed WAV)
            return size / byte_rate if byte_rate and 0 < size < 0xFFFFFFFF else None
        pos += 8 + size + (size & 1)
    return None


def recorded_at(path: Path) -> float | None:
    """When the recording was made, as its container says (`creation_time`, which phones and
    recorders write into M4A and MP4), in seconds since 1970; None when it does not say."""
    import av

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # a pipe or a device: opening it could wait for ever
        with av.open(str(path), mode="r") as container:
            stamp = container.metadata.get("creation_time") or next(
                (s.metadata.get("creation_time") for s in container.streams if s.metadata.get("creation_time")), None)
    except (av.error.FFmpegError, ValueError, OSError):
        return None
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _minutes(seconds: int) -> str:
    return f"{seconds // 60} minutes" if seconds % 60 == 0 and seconds > 60 else f"{seconds} s"


def _reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return text.split(":")[-1].strip().rstrip(".") or type(exc).__name__
