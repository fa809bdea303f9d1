"""ae.analysis.classifier: recognisability on a classifier with known outputs, safe save/load, and
learning a tiny synthetic task (the real MNIST accuracy is reported by the CLI, not here)."""

import io
import pickle
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from torch import nn

from ae.analysis import classifier as C


class FixedLogits(nn.Module):
    """Logits chosen by the test: image k gets logits[k]; the images carry k in pixel (0, 0)."""

    def __init__(self, logits):
        super().__init__()
        self.logits = torch.as_tensor(logits, dtype=torch.float32)
        self.dummy = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return self.logits[(x[:, 0, 0, 0] * 255).round().long()]


def indexed_images(k: int) -> np.ndarray:
    img = np.zeros((k, 28, 28), np.uint8)
    img[:, 0, 0] = np.arange(k)
    return img


def test_recognisability_counts_confident_images_per_digit():
    big = 10.0  # softmax of (10, 0, ..., 0) gives the first class 0.9996
    logits = np.zeros((5, 10))
    logits[0, 3] = big          # a confident 3
    logits[1, 3] = big          # another
    logits[2, 7] = big          # a confident 7
    logits[3, 1] = 1.0          # a 1, but unsure (p = e / (e + 9) = 0.23)
    logits[4, [2, 5]] = big     # torn between 2 and 5: p = 0.5
    r = C.recognisability(FixedLogits(logits), indexed_images(5), threshold=0.9)
    assert r.share == pytest.approx(3 / 5)
    np.testing.assert_array_equal(r.per_digit_count, [0, 0, 0, 2, 0, 0, 0, 1, 0, 0])
    np.testing.assert_allclose(r.per_digit_share, np.array([0, 0, 0, 2, 0, 0, 0, 1, 0, 0]) / 5)
    assert r.per_digit_share.sum() == pytest.approx(r.share)
    np.testing.assert_array_equal(r.predictions[:4], [3, 3, 7, 1])
    assert r.confidence[4] == pytest.approx(0.5, abs=1e-3)
    assert r.confidence[3] == pytest.approx(np.e / (np.e + 9), rel=1e-4)
    assert C.recognisability(FixedLogits(logits), indexed_images(5), threshold=0.4).share == 0.8
    assert "60.0% of 5 images" in r.lines()[0]


def test_recognisability_accepts_float_images_and_empty_input():
    logits = np.zeros((2, 10))
    logits[:, 4] = 10.0
    r = C.recognisability(FixedLogits(logits), indexed_images(2).astype(np.float32) / 255)
    assert r.share == 1.0 and list(r.predictions) == [4, 4]
    empty = C.recognisability(FixedLogits(logits), np.zeros((0, 28, 28), np.float32))
    assert empty.share == 0 and empty.per_digit_count.sum() == 0


def test_save_load_round_trip(tmp_path):
    torch.manual_seed(0)
    clf = C.DigitCNN().eval()
    clf.meta = {"test_accuracy": 0.5, "dataset": "toy"}
    path = C.save(tmp_path / "sub" / "clf.pt", clf, meta={"command": "test"})
    assert path.stat().st_size < 1_000_000
    back = C.load(path)
    x = torch.rand(4, 1, 28, 28)
    with torch.no_grad():
        torch.testing.assert_close(back(x), clf(x))
    assert back.meta == {"test_accuracy": 0.5, "dataset": "toy", "command": "test"}
    assert not back.training
    assert C.load(path.read_bytes()).meta["command"] == "test"
    assert [p.name for p in path.parent.iterdir()] == ["clf.pt"]  # no temp file left behind


def test_the_default_path_is_the_shipped_classifier():
    assert C.DEFAULT_PATH == Path(__file__).resolve().parents[1] / "assets" / "classifier.pt"
    assert isinstance(C.load(), C.DigitCNN)  # loads without an argument


def test_load_refuses_a_hostile_pickle(tmp_path):
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return exec, (f"open({str(marker)!r}, 'w').write('x')",)

    buf = io.BytesIO()
    torch.save({"format": C.FORMAT, "version": C.VERSION, "evil": Evil()}, buf)
    # proof that the payload is hostile: an unsafe load runs it
    torch.load(io.BytesIO(buf.getvalue()), weights_only=False)
    assert marker.exists()
    marker.unlink()
    path = tmp_path / "evil.pt"
    path.write_bytes(buf.getvalue())
    with pytest.raises(C.ClassifierError, match="not a safe classifier file.*Unsupported"):
        C.load(path)
    assert not marker.exists()
    with pytest.raises(C.ClassifierError):
        C.load(pickle.dumps(Evil(), protocol=2))  # a bare (legacy) pickle too
    assert not marker.exists()


def test_load_explains_bad_files(tmp_path):
    with pytest.raises(C.ClassifierError, match="train-classifier"):
        C.load(tmp_path / "missing.pt")
    with pytest.raises(C.ClassifierError, match="not a safe classifier file"):
        C.load(b"garbage")
    buf = io.BytesIO()
    torch.save({"format": "something-else"}, buf)
    with pytest.raises(C.ClassifierError, match="not a classifier file"):
        C.load(buf.getvalue())
    clf = C.DigitCNN()
    sd = clf.state_dict()
    sd["fc2.weight"] = torch.zeros(3, 3)
    buf = io.BytesIO()
    torch.save({"format": C.FORMAT, "version": C.VERSION, "arch": clf.arch, "meta": {},
                "state_dict": sd}, buf)
    with pytest.raises(C.ClassifierError, match="do not fit"):
        C.load(buf.getvalue())
    big = tmp_path / "big.pt"
    big.write_bytes(b"\0" * (C.MAX_BYTES + 1))
    with pytest.raises(C.ClassifierError, match="more than"):
        C.load(big)


def toy_digits(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Class c is a bright 6x6 square at one of ten places, on faint noise."""
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 10, (n,), generator=g)
    x = torch.randint(0, 60, (n, 28, 28), generator=g, dtype=torch.uint8)
    for i, c in enumerate(y.tolist()):
        r, col = 3 + 12 * (c // 5), 1 + 5 * (c % 5)
        x[i, r:r + 6, col:col + 6] = 230
    return x, y


def test_classifier_learns_a_tiny_task():
    x_tr, y_tr = toy_digits(400, 0)
    x_te, y_te = toy_digits(200, 1)
    ds = SimpleNamespace(name="toy", source="test", x_train=x_tr, y_train=y_tr,
                         x_test=x_te, y_test=y_te)
    torch.manual_seed(0)
    before = C.accuracy(C.DigitCNN(), x_te, y_te)
    lines = []
    clf = C.train_classifier(ds, epochs=2, batch_size=20, lr=3e-3, log=lines.append)
    assert clf.meta["test_accuracy"] == pytest.approx(C.accuracy(clf, x_te, y_te))
    assert clf.meta["test_accuracy"] >= 0.9 > before + 0.5
    assert clf.meta["dataset"] == "toy" and clf.meta["epochs"] == 2
    assert len(lines) == 3 and "test accuracy" in lines[0] and "test accuracy" in lines[-1]
    n_params = sum(p.numel() for p in clf.parameters())
    assert 50_000 < n_params < 200_000


def test_meta_with_numpy_and_str_subclasses_loads(tmp_path):
    clf = C.DigitCNN()
    clf.meta = {"torch": torch.__version__, "acc": np.float32(0.5), "n": np.int64(3)}
    back = C.load(C.save(tmp_path / "c.pt", clf))
    assert back.meta == {"torch": str(torch.__version__), "acc": 0.5, "n": 3}
    assert type(back.meta["torch"]) is str
