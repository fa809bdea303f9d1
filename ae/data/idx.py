"""The MNIST file format and the cache folder: IDX files read, written and verified.

IDX (http://yann.lecun.com/exdb/mnist/): magic 0x0000 TT NN, then NN big-endian dimensions,
then the bytes. Every file is checked by the md5 of its *uncompressed* bytes (copies differ in
their gzip headers, not in their contents), so a corrupt or truncated file is refused whether it
came from the cache or from a mirror. Files are written atomically.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import struct
import uuid
import zlib
from pathlib import Path

import numpy as np

FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
         "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
IDX_UBYTE = 0x08  # IDX type code of unsigned bytes, the only type MNIST uses


class DataError(RuntimeError):
    """No usable data from a source (or from any source); the message says what to do."""


def parse_idx(data: bytes, what: str = "IDX data") -> np.ndarray:
    """Decode an uncompressed IDX file of unsigned bytes; DataError if truncated or corrupt."""
    if not data:
        raise DataError(f"{what}: empty file (an interrupted download?)")
    if len(data) < 4 or data[:2] != b"\0\0" or data[2] != IDX_UBYTE or not 1 <= data[3] <= 4:
        raise DataError(f"{what}: magic number 0x{data[:4].hex()} is not that of an IDX file "
                        f"of unsigned bytes (0x000008NN): not an IDX file, or corrupt")
    ndim, head = data[3], 4 + 4 * data[3]
    if len(data) < head:
        raise DataError(f"{what}: truncated inside the header ({len(data)} bytes)")
    dims = struct.unpack(f">{ndim}I", data[4:head])
    size, body = int(np.prod(dims)), len(data) - head
    if body != size:
        kind = "truncated" if body < size else "has extra bytes"
        raise DataError(f"{what}: {kind}: the header says {dims} = {size:,} bytes of data, "
                        f"the file holds {body:,}")
    return np.frombuffer(data, np.uint8, size, head).reshape(dims).copy()  # copy: writable


def encode_idx(a: np.ndarray) -> bytes:
    """The IDX bytes of a uint8 array (the inverse of `parse_idx`)."""
    a = np.ascontiguousarray(a, dtype=np.uint8)
    return bytes([0, 0, IDX_UBYTE, a.ndim]) + struct.pack(f">{a.ndim}I", *a.shape) + a.tobytes()


def verified(data: bytes, fname: str, md5: dict[str, str]) -> np.ndarray:
    """Parse one file's uncompressed bytes and verify their md5; return the array."""
    array = parse_idx(data, fname)
    got = hashlib.md5(data, usedforsecurity=False).hexdigest()
    if got != md5[fname]:
        raise DataError(f"{fname}: md5 {got} differs from the official {md5[fname]} "
                        "(corrupt or altered file)")
    return array


def gunzip(data: bytes, what: str) -> bytes:
    """The uncompressed bytes; DataError for a bad header, a truncated stream or a bad CRC."""
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as e:
        raise DataError(f"{what}: corrupt or truncated gzip ({e})") from e


def read_folder(folder: Path, md5: dict[str, str]) -> dict[str, np.ndarray]:
    """The four verified arrays from `folder` (each file plain or .gz); DataError says why not."""
    arrays: dict[str, np.ndarray] = {}
    problems = []
    for fname in FILES:
        found = [p for p in (folder / fname, folder / f"{fname}.gz") if p.is_file()]
        problems += [] if found else [f"{fname} missing"]
        for path in found:
            try:
                data = path.read_bytes()
                arrays[fname] = verified(gunzip(data, path.name) if path.suffix == ".gz"
                                         else data, fname, md5)
                break
            except (OSError, DataError) as e:
                problems.append(str(e))
    if not arrays and len(problems) == len(FILES) and not folder.is_dir():
        raise DataError(f"no folder {folder}")
    if len(arrays) < len(FILES):
        raise DataError("; ".join(problems))
    return arrays


def store(folder: Path, blobs: dict[str, bytes]) -> None:
    """Write each file atomically (temp file + rename): a crash never leaves half a file."""
    folder.mkdir(parents=True, exist_ok=True)
    for fname, data in blobs.items():
        tmp = folder / f".{fname}.{uuid.uuid4().hex}.tmp"  # unique: two loads may race
        try:
            with open(tmp, "xb") as f:  # (mkstemp would make it private, 0600)
                f.write(data)
            os.replace(tmp, folder / fname)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
