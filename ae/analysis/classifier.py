"""A small MNIST digit classifier that judges whether a decoded picture is a recognisable digit.

The article says many pictures painted from random points of the wall "are not recognisable
digits". A classifier trained on real MNIST turns that into a number: the share of decoded
samples it recognises with confidence >= 0.9 (`recognisability`), overall and per digit.
Fashion-MNIST's ten classes are scored the same way, by the same net trained on its images
(`SHIPPED`: one file per data set).

`DigitCNN` follows pytorch/examples' MNIST net, smaller: two 3x3 conv + max-pool blocks and two
dense layers, ~106k parameters (~0.4 MB), about 99% MNIST test accuracy after 4 epochs.
`train_classifier` is what `python -m ae train-classifier` runs; `save` / `load` keep it in a
plain dict of tensors and primitives read back with `torch.load(weights_only=True)`, so a
hostile file cannot run code.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ae.analysis.latent import evaluating, to_input

FORMAT = "ae-digit-classifier"
VERSION = 1
MAX_BYTES = 8 * 2**20  # the real file is ~0.4 MB; refuse anything much bigger unread
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "assets" / "classifier.pt"  # the shipped one
# the shipped classifier of each data set: the same net, trained on its images
SHIPPED = {"mnist": DEFAULT_PATH, "fashion-mnist": DEFAULT_PATH.with_name("classifier_fashion.pt")}
THRESHOLD = 0.9  # "recognised": the classifier gives one digit at least this probability


class ClassifierError(ValueError):
    """A classifier file that cannot be used; the message says why."""


class DigitCNN(nn.Module):
    """(B, 1, 28, 28) in [0, 1] -> (B, 10) logits."""

    def __init__(self, c1: int = 16, c2: int = 32, hidden: int = 64, n_classes: int = 10,
                 side: int = 28):
        super().__init__()
        self.arch = {"c1": c1, "c2": c2, "hidden": hidden, "n_classes": n_classes, "side": side}
        self.meta: dict = {}
        self.conv1 = nn.Conv2d(1, c1, 3, padding=1)
        self.conv2 = nn.Conv2d(c1, c2, 3, padding=1)
        self.fc1 = nn.Linear(c2 * (side // 4) ** 2, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.dropout = nn.Dropout(0.25)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)  # (B, c1, 14, 14)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)  # (B, c2, 7, 7)
        x = self.dropout(F.relu(self.fc1(x.flatten(1))))
        return self.fc2(x)


# -- training --------------------------------------------------------------------------------
def predict_proba(clf: nn.Module, images, batch_size: int = 1024) -> torch.Tensor:
    """Class probabilities (K, 10) of images uint8 (K, H, W) or float in [0, 1]."""
    dev = next(clf.parameters()).device if any(True for _ in clf.parameters()) else "cpu"
    out = []
    with evaluating(clf):
        for i in range(0, len(images), batch_size):
            out.append(F.softmax(clf(to_input(images[i:i + batch_size]).to(dev)).float(), 1).cpu())
    return torch.cat(out) if out else torch.zeros(0, 10)


def accuracy(clf: nn.Module, x, y) -> float:
    """Share of images whose most probable class is the label."""
    if not len(x):
        return float("nan")
    pred = predict_proba(clf, x).argmax(1)
    return float((pred == torch.as_tensor(np.asarray(y)).long()).float().mean())


def train_classifier(dataset, epochs: int = 4, batch_size: int = 64, lr: float = 2e-3,
                     lr_decay: float = 0.5, seed: int = 0,
                     log: Callable[[str], None] | None = None) -> DigitCNN:
    """Train a DigitCNN on dataset.x_train / y_train (uint8 (N, 28, 28), labels) with Adam,
    the learning rate multiplied by `lr_decay` after each epoch; return it in eval mode, with
    `.meta` holding the test accuracy, the seconds and the recipe. `log` gets one line per
    epoch (with the test accuracy so far, which costs one pass over the test set).

    `dataset` is an `ae.data.Dataset` (or anything with x_train, y_train, x_test, y_test and
    name). A seeded run on the same machine gives the same classifier.
    """
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)  # weight init and dropout
    clf = DigitCNN()
    opt = torch.optim.Adam(clf.parameters(), lr=lr)
    x, y = torch.as_tensor(dataset.x_train), torch.as_tensor(np.asarray(dataset.y_train)).long()
    t0 = time.perf_counter()
    for epoch in range(epochs):
        for group in opt.param_groups:
            group["lr"] = lr * lr_decay ** epoch
        clf.train()
        order, total = torch.randperm(len(x), generator=gen), 0.0
        for i in range(0, len(x), batch_size):
            idx = order[i:i + batch_size]
            loss = F.cross_entropy(clf(to_input(x[idx])), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        if log:
            acc = accuracy(clf, dataset.x_test, dataset.y_test)
            log(f"epoch {epoch + 1}/{epochs}: train loss {total / max(len(x), 1):.4f}, "
                f"test accuracy {100 * acc:.2f}% ({time.perf_counter() - t0:.0f} s)")
    seconds = time.perf_counter() - t0  # includes the per-epoch test passes when logging
    clf.eval()
    acc = accuracy(clf, dataset.x_test, dataset.y_test)
    clf.meta = {"dataset": str(getattr(dataset, "name", "?")),
                "source": str(getattr(dataset, "source", "?")),
                "test_accuracy": acc, "n_train": len(x), "n_test": len(dataset.x_test),
                "epochs": epochs, "batch_size": batch_size, "lr": lr, "lr_decay": lr_decay,
                "seed": seed,
                "seconds": round(seconds, 1), "torch": str(torch.__version__),
                "created": time.strftime("%Y-%m-%d %H:%M:%S")}
    if log:
        log(f"test accuracy {100 * acc:.2f}% in {seconds:.0f} s")
    return clf


# -- safe save / load ------------------------------------------------------------------------
def _primitive(v) -> bool:
    """Exactly the types the safe loader accepts (a str subclass such as torch.__version__
    would be pickled as its own class and refused on load)."""
    return v is None or type(v) in (bool, int, float, str)


def _plain(v):
    """A number / text value as its plain Python type (numpy scalars, str subclasses)."""
    if isinstance(v, np.generic):
        v = v.item()
    for t in (bool, int, float, str):
        if isinstance(v, t):
            return t(v)
    return v


def save(path: str | os.PathLike, clf: DigitCNN, meta: dict | None = None) -> Path:
    """Write the classifier as a plain dict (format, version, arch, state_dict, meta),
    atomically: a crash mid-write never leaves half a file under `path`."""
    meta = {k: _plain(v) for k, v in {**clf.meta, **(meta or {})}.items()}
    bad = [k for k, v in meta.items() if not isinstance(k, str) or not _primitive(v)]
    if bad:
        raise ClassifierError(f"meta values must be numbers, text, true/false or None: {bad}")
    payload = {"format": FORMAT, "version": VERSION, "arch": dict(clf.arch), "meta": meta,
               "state_dict": {k: v.detach().cpu().clone() for k, v in clf.state_dict().items()}}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(payload, f)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a shipped asset must be readable
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def load(src: str | os.PathLike | bytes = DEFAULT_PATH) -> DigitCNN:
    """Read a classifier written by `save` (path or bytes). Only tensors and primitives are
    accepted (`weights_only=True`); anything else raises ClassifierError with the reason."""
    if isinstance(src, (bytes, bytearray)):
        data = bytes(src)
    else:
        p = Path(src)
        if not p.is_file():
            raise ClassifierError(f"no classifier file at {p}; train one with "
                                  "`python -m ae train-classifier`")
        if p.stat().st_size > MAX_BYTES:
            raise ClassifierError(f"{p} is {p.stat().st_size:,} bytes, more than a classifier "
                                  f"needs ({MAX_BYTES:,} at most)")
        data = p.read_bytes()
    if len(data) > MAX_BYTES:
        raise ClassifierError(f"classifier data larger than {MAX_BYTES:,} bytes")
    try:
        d = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception as e:  # pickle errors of every kind: refuse, say why in one line
        lines = [ln.strip() for ln in str(e).splitlines() if ln.strip()] or [type(e).__name__]
        why = next((ln for ln in lines if "Unsupported" in ln or "error:" in ln), lines[0])
        raise ClassifierError(f"not a safe classifier file: {why[:200]}") from None
    if not isinstance(d, dict) or d.get("format") != FORMAT:
        raise ClassifierError(f"not a classifier file (expected format {FORMAT!r})")
    if d.get("version") != VERSION:
        raise ClassifierError(f"classifier file version {d.get('version')!r}; "
                              f"this code reads {VERSION}")
    arch, sd, meta = d.get("arch"), d.get("state_dict"), d.get("meta", {})
    if (not isinstance(arch, dict)
            or not all(isinstance(v, int) and 0 < v <= 4096 for v in arch.values())
            or not isinstance(sd, dict)
            or not all(isinstance(v, torch.Tensor) for v in sd.values())
            or not isinstance(meta, dict) or not all(_primitive(v) for v in meta.values())):
        raise ClassifierError("classifier file has a malformed arch, state_dict or meta")
    try:
        clf = DigitCNN(**arch)
        clf.load_state_dict(sd)
    except (TypeError, RuntimeError) as e:
        raise ClassifierError("classifier weights do not fit its architecture: "
                              f"{str(e)[:200]}") from None
    clf.meta = dict(meta)
    return clf.eval()


# -- recognisability -------------------------------------------------------------------------
@dataclass
class Recognisability:
    share: float                 # share of images recognised (confidence >= threshold)
    per_digit_share: np.ndarray  # (10,) share of ALL images recognised as that digit; sums to share
    per_digit_count: np.ndarray  # (10,) number of images recognised as that digit
    predictions: np.ndarray      # (K,) most probable digit of each image
    confidence: np.ndarray       # (K,) its probability
    threshold: float = THRESHOLD

    def lines(self) -> list[str]:
        per = ", ".join(f"{d}: {c}" for d, c in enumerate(self.per_digit_count))
        return [f"Recognisable: the classifier names a digit with confidence >= "
                f"{self.threshold:g} for {100 * self.share:.1f}% of {len(self.predictions):,} "
                "images.",
                f"  Recognised as each digit: {per}"]


def recognisability(clf: nn.Module, images, threshold: float = THRESHOLD) -> Recognisability:
    """How many decoded pictures a digit classifier recognises, and as which digits.

    The classifier gives each picture a probability for each digit. A picture counts as a
    recognisable digit when one digit gets at least `threshold` (0.9: nine chances in ten).
    `share` is the share of pictures recognised; `per_digit_count[d]` how many were
    recognised as d, and `per_digit_share[d]` that count over all pictures, so the shares
    add up to `share` and show which digits random samples tend to produce.
    """
    p = predict_proba(clf, images)
    conf, pred = p.max(dim=1) if len(p) else (torch.zeros(0), torch.zeros(0, dtype=torch.long))
    ok = conf >= threshold
    n_classes = max(10, p.shape[1])
    count = np.bincount(pred[ok].numpy(), minlength=n_classes)
    k = max(len(p), 1)
    return Recognisability(float(ok.float().sum()) / k, count / k, count, pred.numpy(),
                           conf.numpy().astype(np.float32), float(threshold))
