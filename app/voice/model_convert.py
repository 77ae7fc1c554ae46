"""CTranslate2 (faster-whisper) `model.bin` to an openai-whisper checkpoint, in numpy; torch is
imported only when the tensors are built.
"""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import numpy as np

from app.voice.model_lookup import ModelError

# CTranslate2's DataType enum, in its order; only the float types are convertible.
_CT2_DTYPES = (np.float32, np.int8, np.int16, np.int32, np.float16)


class _Cursor:
    def __init__(self, data: memoryview) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str):
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return values[0] if len(values) == 1 else values

    def string(self) -> str:
        n = self.take("<H")  # length includes the trailing NUL
        raw = bytes(self.data[self.pos : self.pos + n])
        self.pos += n
        return raw.rstrip(b"\0").decode("utf-8")


def read_ct2(data: bytes | bytearray) -> tuple[str, dict[str, np.ndarray]]:
    """Parse a CT2 model.bin (binary version 6) into its spec name and named arrays (views)."""
    cur = _Cursor(memoryview(data))
    try:
        version = cur.take("<I")
        if version != 6:
            raise ModelError(f"unsupported CTranslate2 model version {version} (need 6)")
        spec = cur.string()
        cur.take("<I")  # spec revision
        arrays: dict[str, np.ndarray] = {}
        for _ in range(cur.take("<I")):
            name = cur.string()
            rank = cur.take("<B")
            shape = tuple(cur.take("<I") for _ in range(rank))
            dtype_id = cur.take("<B")
            nbytes = cur.take("<I")
            if dtype_id >= len(_CT2_DTYPES):
                raise ModelError(f"unsupported tensor type {dtype_id} for {name} (bfloat16 models are not)")
            dtype = np.dtype(_CT2_DTYPES[dtype_id])
            arr = np.frombuffer(data, dtype=dtype, count=nbytes // dtype.itemsize, offset=cur.pos)
            arrays[name] = arr.reshape(shape)
            cur.pos += nbytes
        for _ in range(cur.take("<I")):
            alias, target = cur.string(), cur.string()
            arrays[alias] = arrays[target]
    except (struct.error, ValueError) as exc:
        raise ModelError(f"not a readable CTranslate2 model file ({exc})") from exc
    return spec, arrays


def _count_layers(arrays: dict[str, np.ndarray], side: str) -> int:
    # "encoder/layer_3/..." is a block; "encoder/layer_norm/..." is the final norm, not a block.
    pattern = re.compile(rf"^{side}/layer_(\d+)/")
    return len({m.group(1) for k in arrays if (m := pattern.match(k))})


def ct2_to_checkpoint(arrays: dict[str, np.ndarray]) -> dict:
    """Rename and split CT2 Whisper tensors into openai-whisper's state dict (float16 tensors).

    CT2 fuses attention projections (q|k|v for self-attention, k|v for cross-attention) into one
    matrix; openai-whisper keeps them apart and its key projection has no bias.
    """
    import torch

    if any(k.endswith("_scale") for k in arrays):
        raise ModelError("quantised (int8) CTranslate2 models are not supported; use a float16 model")
    try:
        emb = arrays["decoder/embeddings/weight"]
        conv1 = arrays["encoder/conv1/weight"]
        dims = {
            "n_mels": conv1.shape[1],
            "n_audio_ctx": arrays["encoder/position_encodings/encodings"].shape[0],
            "n_audio_state": conv1.shape[0],
            "n_audio_head": int(arrays["encoder/num_heads"]),
            "n_audio_layer": _count_layers(arrays, "encoder"),
            "n_vocab": emb.shape[0],
            "n_text_ctx": arrays["decoder/position_encodings/encodings"].shape[0],
            "n_text_state": emb.shape[1],
            "n_text_head": int(arrays["decoder/num_heads"]),
            "n_text_layer": _count_layers(arrays, "decoder"),
        }
    except KeyError as exc:
        raise ModelError(f"not a Whisper model: tensor {exc} is missing") from exc
    dims = {k: int(v) for k, v in dims.items()}
    state: dict[str, torch.Tensor] = {}

    def put(name: str, arr: np.ndarray) -> None:
        state[name] = torch.from_numpy(np.ascontiguousarray(arr, dtype=np.float16))

    def linear(dst: str, src: str) -> None:
        put(f"{dst}.weight", arrays[f"{src}/weight"])
        put(f"{dst}.bias", arrays[f"{src}/bias"])

    def norm(dst: str, src: str) -> None:
        put(f"{dst}.weight", arrays[f"{src}/gamma"])
        put(f"{dst}.bias", arrays[f"{src}/beta"])

    def fused(dst: str, src: str, names: tuple[str, ...]) -> None:
        weights = np.split(arrays[f"{src}/weight"], len(names))
        biases = np.split(arrays[f"{src}/bias"], len(names))
        for name, w, b in zip(names, weights, biases, strict=True):
            put(f"{dst}.{name}.weight", w)
            if name != "key":
                put(f"{dst}.{name}.bias", b)

    def block(dst: str, src: str, cross: bool) -> None:
        norm(f"{dst}.attn_ln", f"{src}/self_attention/layer_norm")
        fused(f"{dst}.attn", f"{src}/self_attention/linear_0", ("query", "key", "value"))
        linear(f"{dst}.attn.out", f"{src}/self_attention/linear_1")
        if cross:
            norm(f"{dst}.cross_attn_ln", f"{src}/attention/layer_norm")
            linear(f"{dst}.cross_attn.query", f"{src}/attention/linear_0")
            fused(f"{dst}.cross_attn", f"{src}/attention/linear_1", ("key", "value"))
            linear(f"{dst}.cross_attn.out", f"{src}/attention/linear_2")
        norm(f"{dst}.mlp_ln", f"{src}/ffn/layer_norm")
        linear(f"{dst}.mlp.0", f"{src}/ffn/linear_0")
        linear(f"{dst}.mlp.2", f"{src}/ffn/linear_1")

    try:
        linear("encoder.conv1", "encoder/conv1")
        linear("encoder.conv2", "encoder/conv2")
        put("encoder.positional_embedding", arrays["encoder/position_encodings/encodings"])
        for i in range(dims["n_audio_layer"]):
            block(f"encoder.blocks.{i}", f"encoder/layer_{i}", cross=False)
        norm("encoder.ln_post", "encoder/layer_norm")
        put("decoder.token_embedding.weight", emb)
        put("decoder.positional_embedding", arrays["decoder/position_encodings/encodings"])
        for i in range(dims["n_text_layer"]):
            block(f"decoder.blocks.{i}", f"decoder/layer_{i}", cross=True)
        norm("decoder.ln", "decoder/layer_norm")
    except KeyError as exc:
        raise ModelError(f"not a Whisper model: tensor {exc} is missing") from exc
    return {"dims": dims, "model_state_dict": state}


def alignment_heads(config: Path | None) -> tuple[tuple[int, int], ...]:
    if config is None:
        return ()
    try:
        heads = json.loads(config.read_text(encoding="utf-8")).get("alignment_heads", [])
        return tuple((int(a), int(b)) for a, b in heads)
    except (OSError, ValueError, TypeError):
        return ()
