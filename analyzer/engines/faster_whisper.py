"""The default engine: faster-whisper (CTranslate2) on the bundled Whisper tiny.en, offline."""

from __future__ import annotations

import os
from functools import partial

from ..audio.clip import SAMPLE_RATE_HZ, Clip
from ..blas import FEATURE_THREADS, blas_threads
from ..errors import ModelError
from ..transcript import EngineInfo, Transcript, Word
from . import SEED, Decoding, level
from .bundled import resolve
from .pieces import transcribe_in_pieces


class FasterWhisperEngine:
    def __init__(self, model: str | None = None, *, threads: int = 0, decoding: Decoding = Decoding()):
        # Never reach a hub, even when online: the model is a path or a cached name.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from faster_whisper import WhisperModel

        ref = resolve(model)
        self._open = partial(WhisperModel, ref.location, device="cpu", compute_type=decoding.compute_type,
                             cpu_threads=threads or (os.cpu_count() or 1), local_files_only=True)
        try:
            self._model = self._load()
        except Exception as exc:  # faster-whisper raises bare errors for a missing cache entry
            isa = os.environ.get("CT2_FORCE_CPU_ISA")
            if isa and ("CPU ISA" in str(exc) or "CPU does not support" in str(exc)):
                raise ModelError(
                    f"CT2_FORCE_CPU_ISA={isa} asks CTranslate2 for kernels this CPU cannot run ({exc}); "
                    "unset it, or set it to GENERIC, AVX, AVX2 or AVX512 as far as the CPU's flags in "
                    "/proc/cpuinfo allow."
                ) from None
            raise ModelError(
                f"The model {ref.name!r} is not on this machine ({exc}); "
                "pass --model with a CTranslate2 model directory, or leave it out to use the bundled tiny.en."
            ) from None
        self.decoding = decoding
        self.info = EngineInfo(
            "faster-whisper", ref.name, (("beam_size", decoding.beam_size), ("compute_type", decoding.compute_type))
        )

    def _load(self):
        model = self._open()
        model.model = _Sampling(model.model)
        return model

    def _reseed(self) -> None:
        """The model's sampling seeded with SEED. CTranslate2 seeds a thread's random generator once,
        at the thread's first draw (its random.cc), so set_random_seed cannot reseed the model's worker
        thread: a fallback decode's samples depended on every decode the model sampled in before (a
        German message was "He's reached the end of the day." after one recording and too unsure to
        read after another). A model that sampled is loaded again, with a new thread (0.1 s)."""
        import ctranslate2

        if self._model.model.sampled:
            self._model = self._load()
        ctranslate2.set_random_seed(SEED)

    def transcribe(self, clip: Clip) -> Transcript:
        self._reseed()
        with blas_threads(FEATURE_THREADS):  # the log-mel features: the same in every process (analyzer/blas.py)
            return transcribe_in_pieces(clip.samples, self._piece, self.info)

    def _piece(self, samples, offset: float) -> tuple[list[Word], str | None]:
        segments, info = self._model.transcribe(
            samples,
            language="en",
            beam_size=self.decoding.beam_size,
            word_timestamps=True,
            temperature=list(self.decoding.temperatures),
            # Silero VAD (shipped inside faster-whisper) drops silences over 2 s: in them Whisper
            # hallucinated or looped ("916 916 916 ..."), which cost up to 13 s a file.
            vad_filter=self.decoding.vad,
            condition_on_previous_text=self.decoding.follow,
            max_new_tokens=self.decoding.max_tokens(len(samples) / SAMPLE_RATE_HZ),
        )
        return _words(segments, offset), info.language

    def transcribe_region(self, clip: Clip, start_s: float, end_s: float, prompt: str) -> tuple[Word, ...]:
        """A stretch transcribed again on its own, levelled, with no VAD, steered by a prompt."""
        self._reseed()
        a, b = int(start_s * SAMPLE_RATE_HZ), int(end_s * SAMPLE_RATE_HZ)
        with blas_threads(FEATURE_THREADS):
            segments, _ = self._model.transcribe(
                level(clip.samples[a:b]),
                language="en",
                beam_size=self.decoding.beam_size,
                word_timestamps=True,
                temperature=list(self.decoding.region_temperatures),
                vad_filter=False,  # the stretch is speech by choice; VAD dropped quiet readings
                initial_prompt=prompt,
                condition_on_previous_text=False,
                max_new_tokens=self.decoding.max_tokens(end_s - start_s),
            )
            return tuple(_words(segments, a / SAMPLE_RATE_HZ))  # consumed here: the segments are lazy


class _Sampling:
    """A CTranslate2 Whisper model that notes whether a decode sampled (faster-whisper's temperature
    fallback): its worker thread's random generator has moved on."""

    def __init__(self, model):
        self._model = model
        self.sampled = False

    def __getattr__(self, name):
        return getattr(self._model, name)

    def generate(self, *args, **kwargs):
        self.sampled = self.sampled or kwargs.get("sampling_topk", 1) != 1
        return self._model.generate(*args, **kwargs)


def _words(segments, offset: float) -> list[Word]:
    return [
        Word(w.word.strip(), round(float(w.start) + offset, 3), round(float(w.end) + offset, 3),
             round(float(w.probability), 4))
        for segment in segments  # a lazy generator: consumed exactly once
        for w in (segment.words or ())
        if w.word.strip()
    ]
