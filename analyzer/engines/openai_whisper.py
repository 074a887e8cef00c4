"""The second engine: openai-whisper, on the same bundled tiny.en weights, offline.

Install it with `make openai` (torch 2.13.0, the CPU build, and openai-whisper without the
triton it asks for but does not use on a CPU). The CTranslate2 weights are converted once into
an openai-whisper checkpoint in the user's cache (ct2_to_openai.py).
"""

from __future__ import annotations

from pathlib import Path

from ..audio.clip import SAMPLE_RATE_HZ, Clip
from ..errors import ModelError
from ..storage import user_cache_dir
from ..transcript import EngineInfo, Transcript, Word
from . import SEED, Decoding, level
from .bundled import resolve
from .pieces import transcribe_in_pieces


def cache_dir() -> Path:
    return user_cache_dir() / "openai-whisper"


class OpenAIWhisperEngine:
    def __init__(self, model: str | None = None, *, threads: int = 0, decoding: Decoding = Decoding()):
        try:
            import torch
            import whisper
        except ImportError:
            raise ModelError(
                "The openai-whisper engine is not installed; run `make openai` (or pip install torch==2.13.0 "
                "openai-whisper), or use the default engine."
            ) from None
        from .ct2_to_openai import alignment_heads_dump, checkpoint_for

        ref = resolve(model)
        if not ref.is_directory:
            raise ModelError(f"The openai-whisper engine needs a model directory, not the name {ref.name!r}; "
                             "leave --model out to use the bundled tiny.en.")
        if threads:
            torch.set_num_threads(threads)
        self._torch, self._whisper = torch, whisper
        self._model = whisper.load_model(str(checkpoint_for(Path(ref.location), cache_dir())), device="cpu")
        # load_model sets no alignment heads for a file: without tiny.en's, word times degrade
        self._model.set_alignment_heads(alignment_heads_dump(Path(ref.location), self._model.dims.__dict__))
        self.decoding = decoding
        self.info = EngineInfo("openai-whisper", ref.name, (("beam_size", decoding.beam_size),
                                                            ("compute_type", "float32")))

    def transcribe(self, clip: Clip) -> Transcript:
        self._torch.manual_seed(SEED)
        return transcribe_in_pieces(clip.samples, self._piece, self.info)

    def _piece(self, samples, offset: float) -> tuple[list[Word], str | None]:
        result = self._decode(samples, self.decoding.temperatures, condition_on_previous_text=self.decoding.follow)
        return _words(result, offset), result.get("language")

    def transcribe_region(self, clip: Clip, start_s: float, end_s: float, prompt: str) -> tuple[Word, ...]:
        """A stretch transcribed again on its own, levelled, steered by a prompt (as faster-whisper's)."""
        self._torch.manual_seed(SEED)
        a, b = int(start_s * SAMPLE_RATE_HZ), int(end_s * SAMPLE_RATE_HZ)
        result = self._decode(level(clip.samples[a:b]), self.decoding.region_temperatures,
                              initial_prompt=prompt, condition_on_previous_text=False)
        return tuple(_words(result, a / SAMPLE_RATE_HZ))

    def _decode(self, samples, temperatures, **options) -> dict:
        beam = self.decoding.beam_size
        return self._whisper.transcribe(
            self._model,
            samples,
            language="en",
            word_timestamps=True,
            fp16=False,
            beam_size=beam if beam > 1 else None,
            best_of=5 if self.decoding.fallback else None,
            temperature=temperatures,
            sample_len=self.decoding.max_tokens(len(samples) / SAMPLE_RATE_HZ),
            verbose=None,
            **options,
        )


def _words(result: dict, offset: float) -> list[Word]:
    return [
        Word(w["word"].strip(), round(float(w["start"]) + offset, 3), round(float(w["end"]) + offset, 3),
             round(float(w["probability"]), 4))
        for segment in result["segments"]
        for w in segment.get("words", ())
        if w["word"].strip()
    ]
