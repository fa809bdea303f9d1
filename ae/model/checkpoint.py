"""One safe, versioned file per trained model: config, weights, history, data set name.

Why this module is careful: the dashboard accepts checkpoints uploaded by anyone, and
`torch.load` of an ordinary pickle runs whatever code the file names. So a checkpoint is a
plain, versioned dict of tensors and primitives (STYLE.md, convention 6), read only with
`torch.load(weights_only=True)` after a size check and a look at the zip archive, and every
part is checked against the configuration before it is used. Anything wrong raises
`CheckpointError` with a sentence a student can act on; nothing in a refused file is run.
Files are written atomically (temp file in the same folder, fsync, `os.replace`), so a crash
or a full disk never leaves half a checkpoint where a good one was.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import stat
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO

import torch
from torch import nn

from ae.model import kinds
from ae.model.config import AEConfig, ConfigError
from ae.model.safe_file import (
    CheckpointError,
    check_archive,
    first_line,
    plain,
    read_bytes,
    short,
    too_big,
)

FILENAME = "autoencoder.pt"
FORMAT = "ae-checkpoint"
VERSION = 1
# The largest model AEConfig allows (MAX_PARAMS, fp32) is ~20 MB of weights; this leaves
# room for history and snapshots while keeping a hostile upload's memory use bounded.
MAX_BYTES = 64 * 1024 * 1024
_KEYS = ("format", "version", "config", "state_dict", "history", "dataset", "meta", "snapshots")


@dataclass
class Checkpoint:
    config: AEConfig
    state_dict: dict[str, torch.Tensor]  # contiguous CPU tensors, fp32 for floating point
    history: dict = field(default_factory=dict)  # the trainer's History.to_dict(), or {}
    dataset: str = "mnist"
    meta: dict = field(default_factory=dict)  # primitives: command, seconds, created, losses...
    snapshots: dict = field(default_factory=dict)  # wall-over-time: tensors and primitives
    version: int = VERSION

    def model(self) -> nn.Module:
        """A fresh model built from the config, weights loaded (strict), in eval mode."""
        model = _skeleton(self.config).to_empty(device="cpu")  # every value is loaded next
        try:
            model.load_state_dict(self.state_dict, strict=True)
        except RuntimeError as e:
            raise CheckpointError(f"the weights don't fit the model: {first_line(e)}") from None
        recipe = self.meta.get("recipe")
        factor = recipe.get("r_loss_factor") if isinstance(recipe, dict) else None
        if self.config.is_vae and type(factor) in (int, float) and 0 < factor < float("inf"):
            model.r_loss_factor = float(factor)  # a VAE's loss as it was trained (its compile)
        return model.eval()


# -- writing --------------------------------------------------------------------------------
def save(path: str | os.PathLike, model: nn.Module, history: Any = None,
         dataset: str = "mnist", meta: dict | None = None,
         snapshots: dict | None = None) -> Path:
    """Write `model` (+ history, data set name, meta, snapshots) to `path` atomically.

    `path` is the file, or an existing folder (the file is then `folder/FILENAME`). The payload
    passes the same checks as `load` first, so a file that load would refuse (NaN weights, a
    numpy array in meta, more than MAX_BYTES) is never written; the previous file then stays.
    """
    path = Path(path)
    if path.is_dir():
        path = path / FILENAME
    payload = _payload(model, history, dataset, meta, snapshots)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644  # mkstemp makes 0600
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(payload, f)
            f.flush()
            os.fsync(f.fileno())  # the bytes are on disk before the name points at them
            size = f.tell()
        if size > MAX_BYTES:
            raise CheckpointError(too_big(size, MAX_BYTES)
                                  + " Save fewer snapshots or a smaller history.")
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if os.name == "posix":  # make the rename itself durable; Windows can't open a folder
        dfd = os.open(path.parent, os.O_RDONLY)
        with contextlib.suppress(OSError):
            os.fsync(dfd)
        os.close(dfd)
    return path


def to_bytes(model: nn.Module, history: Any = None, dataset: str = "mnist",
             meta: dict | None = None, snapshots: dict | None = None) -> bytes:
    """The checkpoint file's bytes, for a download button; `load(bytes)` reads them back."""
    buf = io.BytesIO()
    torch.save(_payload(model, history, dataset, meta, snapshots), buf)
    if buf.tell() > MAX_BYTES:
        raise CheckpointError(too_big(buf.tell(), MAX_BYTES))
    return buf.getvalue()


def _payload(model, history, dataset, meta, snapshots) -> dict:
    model = getattr(model, "_orig_mod", model)  # torch.compile's wrapper keeps the module here
    if not isinstance(getattr(model, "config", None), AEConfig):
        raise TypeError("save() needs an ae.Autoencoder (a module with an AEConfig .config)")
    if hasattr(history, "to_dict"):  # the trainer's History object
        history = history.to_dict()
    meta = dict(meta or {})
    meta.setdefault("created", datetime.now(timezone.utc).isoformat(timespec="seconds"))
    ckpt = _from_payload({
        "format": FORMAT, "version": VERSION, "config": model.config.to_dict(),
        "state_dict": model.state_dict(), "history": history or {}, "dataset": dataset,
        "meta": meta, "snapshots": snapshots or {}})
    return {"format": FORMAT, "version": VERSION, "config": ckpt.config.to_dict(),
            "state_dict": ckpt.state_dict, "history": ckpt.history, "dataset": ckpt.dataset,
            "meta": ckpt.meta, "snapshots": ckpt.snapshots}


# -- reading --------------------------------------------------------------------------------
def load(src: str | os.PathLike | bytes | BinaryIO) -> Checkpoint:
    """Read a checkpoint from a file path, a folder holding FILENAME, bytes, or a binary
    file-like object (read from its start when seekable, e.g. Streamlit's UploadedFile).

    Safe for files from strangers: size first, then the archive, then `torch.load` with
    `weights_only=True`, then every entry. Raises CheckpointError, or TypeError for a `src`
    of the wrong kind.
    """
    data = read_bytes(src, MAX_BYTES, FILENAME)
    check_archive(data)
    try:
        obj = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as e:
        # torch's message advises weights_only=False; a student must not be told that
        lines = [s.strip() for s in str(e).splitlines() if "GLOBAL" in s or "Unsupported" in s]
        raise CheckpointError(
            "this file contains Python objects other than tensors and plain values, which "
            "could run code when loaded; it was refused and nothing in it was run."
            + (f" ({lines[0][:200]})" if lines else "")) from None
    except Exception as e:  # noqa: BLE001 - any failure inside a damaged archive
        raise CheckpointError(f"the file is damaged and can't be read ({first_line(e)})") from None
    return _from_payload(obj)


def check_compatible(ckpt: Checkpoint, cfg: AEConfig) -> None:
    """Raise CheckpointError naming every setting in which the checkpoint's model differs."""
    mine, theirs = getattr(cfg, "config", cfg).to_dict(), ckpt.config.to_dict()
    diffs = [f"this checkpoint has {k} {theirs[k]}, the current model has {k} {mine[k]}"
             for k in mine if mine[k] != theirs.get(k)]
    if diffs:
        raise CheckpointError("the checkpoint was made for a different model: " + "; ".join(diffs)
                              + ". Load it as a new model, or change the settings to match.")


def _from_payload(d: Any) -> Checkpoint:
    """Check every entry of a loaded (or about to be saved) dict; return clean copies."""
    if not isinstance(d, dict):
        raise CheckpointError(f"the file holds a {type(d).__name__}, not a checkpoint of this app")
    fmt = d.get("format")
    if type(fmt) is not str or fmt != FORMAT:
        bare = d and all(isinstance(v, torch.Tensor) for v in d.values())
        raise CheckpointError(
            "this is a PyTorch file but not a checkpoint of this app (it has no 'format': "
            "'ae-checkpoint' entry)" + ("; it looks like bare weights (a state_dict) without "
                                        "the model's configuration" if bare else ""))
    version = d.get("version")
    if type(version) is not int or version < 1:
        raise CheckpointError(f"the checkpoint's format version is invalid: {short(version)}")
    if version > VERSION:
        raise CheckpointError(f"this checkpoint was written by a newer version of the app "
                              f"(format version {version}); this app reads version {VERSION}")
    missing = [k for k in _KEYS if k not in d]
    extra = [short(k) for k in d if k not in _KEYS]
    if missing or extra:
        raise CheckpointError("the checkpoint's entries are wrong: "
                              + ", ".join([f"missing {missing}"] * bool(missing)
                                          + [f"unexpected {extra[:5]}"] * bool(extra)))
    try:
        cfg = AEConfig.from_dict(plain(d["config"], "config"))
    except ConfigError as e:
        raise CheckpointError(f"the checkpoint's model configuration is invalid: {e}") from None
    dataset = d["dataset"]
    if type(dataset) is not str or not 0 < len(dataset) <= 100:
        raise CheckpointError("the checkpoint's data set name must be text of 1 to 100 characters")
    parts = {k: plain(d[k], k, [MAX_BYTES, MAX_BYTES] if k == "snapshots" else None)
             for k in ("history", "meta", "snapshots")}
    for k, v in parts.items():
        if not isinstance(v, dict):
            raise CheckpointError(f"the checkpoint's {k} must be a dict, not a {type(v).__name__}")
    steps, epochs = parts["history"].get("steps", []), parts["history"].get("epochs", [])
    if not (isinstance(steps, list) and all(type(x) in (int, float) for x in steps)
            and isinstance(epochs, list) and all(isinstance(x, dict) for x in epochs)):
        raise CheckpointError("the checkpoint's history is malformed: 'steps' must be a list of "
                              "numbers (one loss per step), 'epochs' a list of dicts")
    return Checkpoint(cfg, _weights(d["state_dict"], cfg), parts["history"], dataset,
                      parts["meta"], parts["snapshots"], version)


def _weights(sd: Any, cfg: AEConfig) -> dict[str, torch.Tensor]:
    """Check names, shapes, dtypes and finiteness against the config; contiguous fp32 copies."""
    if not isinstance(sd, dict):
        raise CheckpointError(f"the checkpoint's weights must be a dict, not {type(sd).__name__}")
    want = _skeleton(cfg).state_dict()
    missing = [k for k in want if k not in sd]
    extra = [short(k) for k in sd if k not in want]
    if missing or extra:
        raise CheckpointError(
            "the weights don't match the checkpoint's own configuration"
            + (f"; missing: {', '.join(missing[:5])}" if missing else "")
            + (f"; unexpected: {', '.join(extra[:5])}" if extra else ""))
    out = {}
    for name, ref in want.items():
        t = sd[name]
        if not isinstance(t, torch.Tensor) or t.layout != torch.strided or t.is_quantized:
            raise CheckpointError(f"weight {name} is not a plain (dense) tensor")
        # compare shapes before copying: a stride-0 view can claim a huge shape for free
        if tuple(t.shape) != tuple(ref.shape):
            raise CheckpointError(f"weight {name} has shape {tuple(t.shape)}, but the "
                                  f"configuration needs {tuple(ref.shape)}")
        floating = ref.is_floating_point()
        if t.is_complex() or t.dtype == torch.bool or t.is_floating_point() != floating:
            raise CheckpointError(f"weight {name} has the wrong number type ({t.dtype})")
        # channels_last / GPU / bf16 in the trainer -> one contiguous fp32 CPU layout here
        t = t.detach().to("cpu", torch.float32 if floating else ref.dtype)
        t = t.clone(memory_format=torch.contiguous_format)
        if floating and not torch.isfinite(t).all():
            raise CheckpointError(f"the weights contain NaN or infinite values (in {name}): "
                                  "the training that made them diverged, so they can't be used")
        out[name] = t
    return out


def _skeleton(cfg: AEConfig) -> nn.Module:
    """The model on the meta device: shapes without memory or random init. Loading or saving
    must not draw from the global RNG, or saving mid-training would change the run."""
    with torch.device("meta"):
        return kinds.build(cfg)


