"""One recording through the whole flow: decode -> transcribe -> measure -> rules -> FileReport.

The flow has two halves: a Listener makes a recording's Analysis (decode, transcribe, measure
the signal: the model's work, no pack), a Judge makes its FileReport (the content rules'
readings, the rules, the score: the pack's work, no model). `analyze`, `grade` and `regress` all
go through both: there is one pipeline, split where grading splits its work and its cache.
"""

from __future__ import annotations

import ctypes
import dataclasses
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext, suppress

import numpy as np

from . import number_pass
from .audio.clip import MAX_DURATION_S, SAMPLE_RATE_HZ, Clip, decode
from .audio.line import CODECS, phone_line, require
from .audio.voice import frame_energy, voiced_spans
from .checks.kinds import Context
from .checks.pack import Pack
from .confidence import POLICY
from .engines import LINE, Decoding, Engine, load_engine
from .errors import AudioError
from .measure.line import listen_again, through_line
from .measure.measurements import Measurements, clause_vectors, measure_signal, understood
from .report.results import INPUT_ERROR, INTERNAL_ERROR, Analysis, AudioInfo, FileReport
from .transcript import Region, Transcript

MIN_DURATION_S = 1.0
# Peak below this (-70 dBFS) is no sound at all.
SILENT_PEAK = 10 ** (-70 / 20)
MIN_WORDS = 3
# glibc's malloc raises its mmap threshold as big arrays are freed (up to 32 MB); after that a long
# recording's per-piece arrays come from the heap, which they fragment. Blocks of 4 MiB and up
# always mapped (and unmapped when freed): a 6-minute file's transcription peaked at 378 MiB, not
# 443, in the same time (17.9 s against 17.7; at 1 MiB, 320 MiB but 23.4 s: the decoder's own
# buffers were mapped and unmapped at every step).
M_MMAP_THRESHOLD = -3  # mallopt(3)
BIG_BLOCK_BYTES = 4 << 20

# Entered with the decoded clip before it is transcribed, left after: how a caller shares the model.
Turn = Callable[[Clip], AbstractContextManager]


def _no_wait(clip: Clip) -> AbstractContextManager:
    return nullcontext()


class Listener:
    """Everything before the rules: decode, transcribe (the number heard twice), measure the signal.
    It needs the model and no pack: a grading worker is one, and what it makes (an Analysis) is
    kept by the recording's content whatever the pack.

    `phone_line`: a codec of audio/line.py's CODECS, to hear the recording also as it comes out of that
    phone line (one more transcription, of the line's version: what the prospect's phone would read)."""

    def __init__(self, *, engine: str = "faster-whisper", model: str | None = None, threads: int = 0,
                 decoding: Decoding = Decoding(), phone_line: str | None = None):
        _map_big_blocks()
        if phone_line:
            require(CODECS[phone_line])
        self.engine = load_engine(engine, model, threads=threads, decoding=decoding)
        self.phone_line = phone_line
        # The line's version is heard by the same model loaded once more, in float32 (engines.LINE says why).
        self.line_engine = load_engine(engine, model, threads=threads, decoding=LINE) if phone_line else None

    def listen(self, path, *, name: str | None = None, max_s: int = MAX_DURATION_S,
               turn: Turn = _no_wait) -> tuple[Analysis, Clip | None]:
        """The recording's Analysis, and its decoded Clip for callers that need the audio too (None
        if it did not decode). `name`: what the report and its messages call the recording, when
        `path` is a copy of it (a cluster worker's); one longer than `max_s` is an input error;
        `turn(clip)` is entered between decoding and transcribing (the practice app queues there
        for the model)."""
        shown = name or str(path)
        clip = None
        try:
            clip = decode(path, max_s=max_s, name=name)
            with turn(clip):
                _check_clip(clip)
                transcript = self.engine.transcribe(clip)
                _check_transcript(clip, transcript)
                transcript = number_pass.refine(self.engine, clip, transcript)
                measures = measure_signal(transcript, clip)
                if self.phone_line and self.line_engine is not None:
                    measures = self._through_line(clip, measures, self.phone_line, self.line_engine)
                return Analysis(shown, AudioInfo.of(clip), transcript, measures), clip
        except AudioError as exc:
            return Analysis(shown, error=str(exc), error_kind=INPUT_ERROR), clip
        except Exception as exc:  # a bug must not cost the rest of a batch, nor show a traceback
            return Analysis(shown, error=_internal(shown, exc), error_kind=INTERNAL_ERROR), clip

    def _through_line(self, clip: Clip, measures: Measurements, codec: str, engine: Engine) -> Measurements:
        """The measurements with the phone line's: the recording through the line, transcribed once as a
        phone's visual voicemail would, and each reading of the number the transcript lost heard once
        more, digit by digit (measure/line.py says why)."""
        line = phone_line(clip, codec)
        heard = engine.transcribe(line)
        what = CODECS[codec].what
        found = through_line(measures.phone_numbers, codec, what, heard)
        closer = []
        for start, end in listen_again(found, voiced_spans(frame_energy(line.samples, SAMPLE_RATE_HZ))):
            words = tuple(engine.transcribe_region(line, start, min(end, line.duration_s), number_pass.PROMPT))
            closer.append(Region(round(start, 3), round(end, 3), () if number_pass.echoes_prompt(heard.words, words)
                                 else words))
        if closer:
            found = through_line(measures.phone_numbers, codec, what, dataclasses.replace(heard, regions=tuple(closer)))
        return dataclasses.replace(measures, phone_line=found)


class Judge:
    """The pack's rules on an Analysis: what the message says (the content rules' readings), the
    findings and the score. It needs no model: grading judges every recording where it keeps the
    cache, so a new pack or number costs the rules alone.

    The rep's own number, which `wrong-number` checks every spoken number against, is the nearest
    one given: for one recording (`judge(analysis, number=...)`: the practice page's script card),
    else for the run (`number`: --number), else the pack's (`[pack] number`)."""

    def __init__(self, pack: Pack, *, number: str | None = None):
        self.pack = pack
        self.number = number or pack.number or None
        self.labeller = pack.labeller
        self.labeller.fit()  # the content rules' examples, fitted once (their vectors cached by content)

    def vectors(self, analysis: Analysis) -> np.ndarray | None:
        """The clauses' sentence vectors, the costly part of judging and the same for every pack:
        grading keeps them with the analysis (None: none to keep)."""
        if analysis.error or analysis.transcript is None or analysis.measures is None:
            return None
        return clause_vectors(analysis.measures, analysis.transcript, self.labeller)

    def judge(self, analysis: Analysis, number: str | None = None, *,
              vectors: np.ndarray | None = None) -> FileReport:
        """`vectors`: the clauses' sentence vectors, when kept (else they are computed)."""
        if analysis.error or analysis.transcript is None or analysis.measures is None:
            return FileReport(file=analysis.file, error=analysis.error, error_kind=analysis.error_kind)
        try:
            measures = understood(analysis.measures, analysis.transcript, self.labeller, vectors=vectors)
            context = Context(analysis.transcript, measures, number or self.number)
            findings = self.pack.check(context)
            return FileReport(
                file=analysis.file,
                audio=analysis.audio,
                transcript=analysis.transcript,
                measures=measures,
                findings=tuple(findings),
                score=self.pack.score(findings),
                evidence=self.pack.evidence(context, findings),
            )
        except Exception as exc:  # a bug in a rule must not cost the rest of a batch either
            return FileReport(file=analysis.file, error=_internal(analysis.file, exc), error_kind=INTERNAL_ERROR)


class Analyzer:
    """A Listener and a Judge: one recording from its file to its report, in one process (analyze,
    the practice page, regress with one worker, the benchmarks)."""

    def __init__(self, pack: Pack, *, engine: str = "faster-whisper", model: str | None = None,
                 number: str | None = None, threads: int = 0, decoding: Decoding = Decoding(),
                 phone_line: str | None = None):
        """`phone_line`: the codec to hear each recording through as well (None: the pack's, if any)."""
        self.listener = Listener(engine=engine, model=model, threads=threads, decoding=decoding,
                                 phone_line=phone_line or pack.line())
        self.judge = Judge(pack, number=number)
        self.engine = self.listener.engine
        self.pack = pack

    def analyze(self, path, *, number: str | None = None, max_s: int = MAX_DURATION_S,
                turn: Turn = _no_wait) -> FileReport:
        """Analyse one recording; `number` (the rep's own) overrides the one given at start."""
        return self.analyze_keeping_clip(path, number=number, max_s=max_s, turn=turn)[0]

    def analyze_keeping_clip(self, path, *, number: str | None = None, max_s: int = MAX_DURATION_S,
                             turn: Turn = _no_wait) -> tuple[FileReport, Clip | None]:
        """The report, and the decoded Clip for callers that need the audio too (None if it did not decode)."""
        analysis, clip = self.listener.listen(path, max_s=max_s, turn=turn)
        return self.judge.judge(analysis, number), clip

    def assess(self, path, clip: Clip, transcript: Transcript, number: str | None = None) -> FileReport:
        """Measure and check a transcript already made (the benchmarks re-check stored transcripts)."""
        analysis = Analysis(str(path), AudioInfo.of(clip), transcript, measure_signal(transcript, clip))
        return self.judge.judge(analysis, number)


def _internal(name: str, exc: Exception) -> str:
    return (f"{name} could not be analysed because of an internal error ({type(exc).__name__}: {exc}); "
            "please report it with the recording.")


def _map_big_blocks() -> None:
    if sys.platform.startswith("linux"):  # glibc; elsewhere (or musl, where it does nothing) as it was
        with suppress(OSError, AttributeError):
            ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, BIG_BLOCK_BYTES)


def _check_clip(clip: Clip) -> None:
    if clip.duration_s < MIN_DURATION_S:
        raise AudioError(
            f"{clip.path} is only {clip.duration_s:.1f} s long; record the whole message (15-30 s) and try again."
        )
    if float(np.max(np.abs(clip.samples))) < SILENT_PEAK:
        raise AudioError(f"{clip.path} is silent; check that the microphone was on and record again.")


def _check_transcript(clip: Clip, transcript: Transcript) -> None:
    words = transcript.words
    if len(words) < MIN_WORDS:
        raise AudioError(
            f"No English speech was recognised in {clip.path} (only silence, noise, music or another "
            "language); record the message again, in English, in a quiet place."
        )
    confidence = sum(w.probability for w in words) / len(words)
    # tiny.en forces any speech into English words; a very low mean confidence means it was not English,
    # or English too noisy or distorted to transcribe (telephone audio under noise): either way, no verdict.
    if confidence < POLICY.transcribable:
        raise AudioError(
            f"{clip.path} could not be transcribed reliably (the transcriber was sure of too few words: "
            f"mean confidence {confidence:.3f}, below {POLICY.transcribable}); this tool coaches English "
            "voicemails: record in English, close to the microphone, away from noise."
        )
