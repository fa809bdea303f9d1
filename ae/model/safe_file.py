"""Reading a file from a stranger without running it: bounded size, a look at the zip archive
before torch sees it, and copies made only of plain values.

`ae.model.checkpoint` uses these before and after `torch.load(weights_only=True)`; anything
wrong raises `CheckpointError` with a sentence a student can act on.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path
from typing import Any

import torch

from ae.model.config import MAX_PARAMS

MAX_DEPTH = 32  # nesting of lists/dicts in history, meta and snapshots
_ZIP_MAGIC = b"PK\x03\x04"  # torch.save has written zip archives since PyTorch 1.6
_PLAIN = "numbers, text, true/false, None, lists and dicts with text keys"


class CheckpointError(ValueError):
    """A checkpoint that can't be used; the message says why in plain words."""


def read_bytes(src, limit: int, filename: str) -> bytes:
    """The bytes of a path, a folder holding `filename`, bytes, or a binary file-like object,
    refused past `limit` bytes before they are all read."""
    if isinstance(src, (bytes, bytearray, memoryview)):
        if memoryview(src).nbytes > limit:
            raise CheckpointError(too_big(memoryview(src).nbytes, limit))
        data = bytes(src)
    elif isinstance(src, (str, os.PathLike)):
        path = Path(src)
        path = path / filename if path.is_dir() else path
        try:
            st = path.stat()
            if not stat.S_ISREG(st.st_mode):  # a FIFO or a device would block or never end
                raise CheckpointError(f"{path} is not a regular file")
            if st.st_size > limit:
                raise CheckpointError(too_big(st.st_size, limit))
            with open(path, "rb") as f:
                data = f.read(limit + 1)  # bounded even if the file grows meanwhile
        except FileNotFoundError:
            raise CheckpointError(f"there is no checkpoint file at {path}") from None
        except OSError as e:
            raise CheckpointError(f"can't read {path}: {e.strerror or e}") from None
    elif hasattr(src, "read"):
        if getattr(src, "seekable", lambda: False)():  # measure first, then read from the start
            size = src.seek(0, io.SEEK_END)
            src.seek(0)
            if size > limit:
                raise CheckpointError(too_big(size, limit))
        data = src.read(limit + 1)
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError("load() needs a file opened in binary mode ('rb')")
    else:
        raise TypeError(f"load() takes a path, a folder, bytes or a binary file, "
                        f"not {type(src).__name__}")
    if len(data) > limit:
        raise CheckpointError(too_big(len(data), limit))
    return bytes(data)


def check_archive(data: bytes) -> None:
    """Refuse what torch.save never writes before torch looks at it: no zip, compressed or
    encrypted entries (a small file could unpack to gigabytes), a cut-off or damaged file."""
    if not data:
        raise CheckpointError("the file is empty (0 bytes): it is not a checkpoint")
    if not data.startswith(_ZIP_MAGIC):
        if data[:1] == b"\x80":  # pickle protocol 2+ opcode: a plain pickle or old torch.save
            raise CheckpointError(
                "this file is a plain Python pickle, not a checkpoint of this app; pickles can "
                "run code when loaded, so it was refused without loading it")
        raise CheckpointError("this is not a checkpoint of this app (a checkpoint is a zip "
                              "archive written by torch.save; this file is not one)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception:  # noqa: BLE001 - zipfile raises several types on bad input
        raise CheckpointError("the file starts like a checkpoint but is incomplete or damaged "
                              "(was the download or upload cut short?)") from None
    if (any(i.compress_type != zipfile.ZIP_STORED or i.flag_bits & 0x1 for i in infos)
            or sum(i.file_size for i in infos) > len(data)):
        raise CheckpointError("this zip archive was not written by torch.save (it has "
                              "compressed or encrypted entries), so it is not a checkpoint")
    try:
        bad = archive.testzip()  # CRC-32 of every entry: catches bits flipped in transit
    except Exception:  # noqa: BLE001
        bad = "?"
    if bad is not None:
        raise CheckpointError(f"the file is damaged: its part {bad[:80]!r} fails its checksum")


def plain(v: Any, where: str, budget: list[int] | None = None, depth: int = 0) -> Any:
    """A copy of `v` made of primitives only (and, with a byte `budget` [left, limit], tensors)."""
    if depth > MAX_DEPTH:
        raise CheckpointError(f"the checkpoint's {where} is nested too deeply")
    if budget is None and getattr(v, "ndim", None) == 0 and hasattr(v, "item"):
        v = v.item()  # a numpy scalar or 0-d tensor where a number belongs
    kind = type(v)
    if kind in (type(None), bool, float, str) or (kind is int and -2**63 <= v < 2**63):
        return v
    if kind in (list, tuple):
        if all(type(x) is float for x in v):  # fast path: per-step losses
            return list(v)
        return [plain(x, f"{where}[{i}]", budget, depth + 1) for i, x in enumerate(v)]
    if isinstance(v, dict):
        bad = [k for k in v if type(k) is not str]
        if bad:
            raise CheckpointError(f"the checkpoint's {where} has a key that is not text: "
                                  f"{short(bad[0])}")
        return {k: plain(x, f"{where}[{short(k)}]", budget, depth + 1) for k, x in v.items()}
    if budget is not None and isinstance(v, torch.Tensor) and v.layout == torch.strided \
            and not v.is_quantized and not v.is_complex():
        budget[0] -= v.numel() * v.element_size()  # before copying: stride-0 views are free
        if budget[0] < 0:
            raise CheckpointError(f"the checkpoint's snapshots are larger than {mb(budget[1])}")
        v = v.detach().cpu()
        return (v.float() if v.is_floating_point() else v).clone(
            memory_format=torch.contiguous_format)
    what = "a whole number too large" if kind is int else f"a value of type {kind.__name__}"
    raise CheckpointError(f"the checkpoint's {where} holds {what}; it may hold only "
                          + _PLAIN + (" and tensors" if budget is not None else ""))


def too_big(n: int, limit: int) -> str:
    return (f"the file is {mb(n)}; checkpoints larger than {mb(limit)} are refused "
            f"(the largest model this app builds needs {mb(MAX_PARAMS * 4)})")


def mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n:,} bytes"


def short(v: Any) -> str:
    r = repr(v)
    return r if len(r) <= 60 else r[:57] + "..."


def first_line(e: BaseException) -> str:
    lines = str(e).strip().splitlines()
    return lines[0][:200] if lines else type(e).__name__
