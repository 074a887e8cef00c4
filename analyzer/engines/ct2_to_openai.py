"""Turn the bundled CTranslate2 Whisper model into an openai-whisper checkpoint, offline.

CTranslate2's model.bin (specs/model_spec.py writes it): a version (6), the spec name, a
revision and a variable count, then per variable its name, rank, shape, dtype, byte count and
raw data, then an alias table. All weights are float16. Self-attention packs q, k and v into
one matrix; cross-attention packs k and v; the stored key bias is zeros and is dropped
(openai's key layer has none); the output projection is an alias of the token embedding.
The checkpoint is made once, cached, and checked against its recorded checksum when loaded.
"""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..storage import sha256_file, write_text_atomic

# CTranslate2's DataType enum
DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}


def read_ct2(model_bin: Path) -> dict[str, np.ndarray]:
    variables: dict[str, np.ndarray] = {}
    with Path(model_bin).open("rb") as fh:
        def u32() -> int:
            return struct.unpack("<I", fh.read(4))[0]

        def text() -> str:
            size = struct.unpack("<H", fh.read(2))[0]
            return fh.read(size).decode().rstrip("\0")

        version = u32()
        if version != 6:
            raise ModelError(f"{model_bin} is CTranslate2 model version {version}; this converter reads version 6.")
        spec, _revision = text(), u32()
        if spec != "WhisperSpec":
            raise ModelError(f"{model_bin} holds a {spec}, not a Whisper model.")
        for _ in range(u32()):
            name = text()
            rank = fh.read(1)[0]
            shape = [u32() for _ in range(rank)]
            dtype, size = DTYPES[fh.read(1)[0]], u32()
            variables[name] = np.frombuffer(fh.read(size), dtype=dtype).reshape(shape)
        for _ in range(u32()):
            alias, target = text(), text()
            variables[alias] = variables[target]
    return variables


def to_openai(variables: dict[str, np.ndarray]) -> tuple[dict, dict[str, np.ndarray]]:
    """(dims, state dict as numpy arrays) for whisper.model.Whisper."""
    layers = lambda side: len({m.group(1) for k in variables if (m := re.match(rf"{side}/layer_(\d+)/", k))})  # noqa: E731
    n_state = variables["encoder/conv1/weight"].shape[0]
    dims = {
        "n_mels": int(variables["encoder/conv1/weight"].shape[1]),
        "n_audio_ctx": int(variables["encoder/position_encodings/encodings"].shape[0]),
        "n_audio_state": int(n_state),
        "n_audio_head": int(variables["encoder/num_heads"]),
        "n_audio_layer": layers("encoder"),
        "n_vocab": int(variables["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(variables["decoder/position_encodings/encodings"].shape[0]),
        "n_text_state": int(variables["decoder/embeddings/weight"].shape[1]),
        "n_text_head": int(variables["decoder/num_heads"]),
        "n_text_layer": layers("decoder"),
    }
    v = variables
    state: dict[str, np.ndarray] = {
        "encoder.conv1.weight": v["encoder/conv1/weight"], "encoder.conv1.bias": v["encoder/conv1/bias"],
        "encoder.conv2.weight": v["encoder/conv2/weight"], "encoder.conv2.bias": v["encoder/conv2/bias"],
        "encoder.positional_embedding": v["encoder/position_encodings/encodings"],
        "encoder.ln_post.weight": v["encoder/layer_norm/gamma"], "encoder.ln_post.bias": v["encoder/layer_norm/beta"],
        "decoder.token_embedding.weight": v["decoder/embeddings/weight"],
        "decoder.positional_embedding": v["decoder/position_encodings/encodings"],
        "decoder.ln.weight": v["decoder/layer_norm/gamma"], "decoder.ln.bias": v["decoder/layer_norm/beta"],
    }
    for side, n in (("encoder", dims["n_audio_layer"]), ("decoder", dims["n_text_layer"])):
        for i in range(n):
            src, dst = f"{side}/layer_{i}", f"{side}.blocks.{i}"
            _attention(state, v, f"{src}/self_attention", f"{dst}.attn", fused="qkv")
            if side == "decoder":
                _attention(state, v, f"{src}/attention", f"{dst}.cross_attn", fused="kv")
            state[f"{dst}.mlp_ln.weight"] = v[f"{src}/ffn/layer_norm/gamma"]
            state[f"{dst}.mlp_ln.bias"] = v[f"{src}/ffn/layer_norm/beta"]
            for a, b in (("linear_0", "mlp.0"), ("linear_1", "mlp.2")):
                state[f"{dst}.{b}.weight"] = v[f"{src}/ffn/{a}/weight"]
                state[f"{dst}.{b}.bias"] = v[f"{src}/ffn/{a}/bias"]
    return dims, state


def _attention(state: dict, v: dict, src: str, dst: str, *, fused: str) -> None:
    state[f"{dst}_ln.weight"] = v[f"{src}/layer_norm/gamma"]
    state[f"{dst}_ln.bias"] = v[f"{src}/layer_norm/beta"]
    if fused == "qkv":
        q, k, val = np.split(v[f"{src}/linear_0/weight"], 3)
        qb, _kb, vb = np.split(v[f"{src}/linear_0/bias"], 3)
        out = "linear_1"
    else:
        q, qb = v[f"{src}/linear_0/weight"], v[f"{src}/linear_0/bias"]
        k, val = np.split(v[f"{src}/linear_1/weight"], 2)
        _kb, vb = np.split(v[f"{src}/linear_1/bias"], 2)
        out = "linear_2"
    state.update({
        f"{dst}.query.weight": q, f"{dst}.query.bias": qb,
        f"{dst}.key.weight": k,  # openai's key layer has no bias; CTranslate2 stores zeros
        f"{dst}.value.weight": val, f"{dst}.value.bias": vb,
        f"{dst}.out.weight": v[f"{src}/{out}/weight"], f"{dst}.out.bias": v[f"{src}/{out}/bias"],
    })


def checkpoint_for(model_dir: Path, cache_dir: Path) -> Path:
    """The cached openai-whisper checkpoint for a CTranslate2 model directory, made when missing."""
    import torch

    source = sha256_file(Path(model_dir) / "model.bin")
    path = Path(cache_dir) / f"whisper-{source[:16]}.pt"
    record = path.with_suffix(".json")
    if path.is_file() and record.is_file():
        try:
            if json.loads(record.read_text())["sha256"] == sha256_file(path):
                return path
        except (ValueError, KeyError, OSError):
            pass  # a damaged cache entry is simply made again
    dims, state = to_openai(read_ct2(Path(model_dir) / "model.bin"))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save({"dims": dims, "model_state_dict": {k: torch.from_numpy(np.array(a)) for k, a in state.items()}}, tmp)
    tmp.replace(path)
    write_text_atomic(record, json.dumps({"sha256": sha256_file(path), "source_model_bin_sha256": source}))
    return path


def alignment_heads_dump(model_dir: Path, dims: dict) -> bytes:
    """config.json's alignment heads, encoded as whisper.Whisper.set_alignment_heads takes them."""
    import base64
    import gzip

    heads = json.loads((Path(model_dir) / "config.json").read_text())["alignment_heads"]
    mask = np.zeros((dims["n_text_layer"], dims["n_text_head"]), dtype=bool)
    for layer, head in heads:
        mask[layer, head] = True
    return base64.b85encode(gzip.compress(mask.tobytes()))
