"""Checkpoints: a faithful round trip, and every bad file refused with CheckpointError.

The bad files are the ones a classroom server meets: a pickle that would run code,
a cut-off upload, random bytes, another model's checkpoint, an oversized or NaN-filled file.
Small configurations keep each test well under a second.
"""

import io
import os
import pickle
import random
import zipfile

import pytest
import torch

import ae
from ae.model import checkpoint
from ae.model.autoencoder import Autoencoder
from ae.model.checkpoint import FILENAME, Checkpoint, CheckpointError
from ae.model.config import AEConfig


def small_config(z_dim: int = 2, **kw) -> AEConfig:
    """8x8 images, two layers each way: a few hundred parameters."""
    return AEConfig(input_dim=(8, 8, 1), encoder_conv_filters=[4, 4],
                    encoder_conv_kernel_size=[3, 3], encoder_conv_strides=[1, 2],
                    decoder_conv_t_filters=[4, 1], decoder_conv_t_kernel_size=[3, 3],
                    decoder_conv_t_strides=[2, 1], z_dim=z_dim, **kw).validate()


def small_model(seed: int = 0, **kw) -> Autoencoder:
    torch.manual_seed(seed)
    return Autoencoder.from_config(small_config(**kw)).eval()


def images(n: int = 4) -> torch.Tensor:
    return torch.rand(n, 1, 8, 8, generator=torch.Generator().manual_seed(1))


def payload_of(data: bytes) -> dict:
    """A good checkpoint's dict, to be altered into a bad one."""
    return torch.load(io.BytesIO(data), weights_only=True)


def bytes_of(obj) -> bytes:
    buf = io.BytesIO()
    torch.save(obj, buf)
    return buf.getvalue()


HISTORY = {"steps": [0.25, 0.125, 0.0625],
           "epochs": [{"epoch": 0, "train_loss": 0.2, "test_loss": None, "lr": 5e-4}]}
SNAPSHOTS = {"probe_index": torch.arange(5), "steps": torch.tensor([0, 10]), "epochs": [0, 1],
             "codes": torch.randn(2, 5, 2, generator=torch.Generator().manual_seed(2))}


@pytest.fixture
def good(tmp_path):
    model = small_model()
    path = checkpoint.save(tmp_path / FILENAME, model, history=HISTORY, dataset="fashion-mnist",
                           meta={"command": "train", "seconds": 1.5}, snapshots=SNAPSHOTS)
    return model, path


def refused(src, match: str) -> CheckpointError:
    with pytest.raises(CheckpointError, match=match) as info:
        checkpoint.load(src)
    return info.value


# -- round trip -----------------------------------------------------------------------------
def test_round_trip_keeps_everything(good):
    model, path = good
    ckpt = checkpoint.load(path)
    assert isinstance(ckpt, Checkpoint) and ckpt.version == checkpoint.VERSION
    assert ckpt.config == model.config
    assert ckpt.history == HISTORY and ckpt.dataset == "fashion-mnist"
    assert ckpt.meta["command"] == "train" and ckpt.meta["seconds"] == 1.5 and ckpt.meta["created"]
    assert ckpt.snapshots["epochs"] == [0, 1]
    for k in ("probe_index", "steps", "codes"):
        assert torch.equal(ckpt.snapshots[k], SNAPSHOTS[k])
    rebuilt = ckpt.model()
    assert not rebuilt.training
    with torch.no_grad():
        assert torch.equal(rebuilt(images()), model(images()))
        # each model() is an independent copy: a server may cache one Checkpoint for everyone
        rebuilt.encoder.encoder_conv_0.weight.add_(1.0)
        assert torch.equal(ckpt.model()(images()), model(images()))


def test_weights_are_contiguous_fp32_cpu_even_from_channels_last(tmp_path):
    model = small_model(use_batch_norm=True).to(memory_format=torch.channels_last)
    assert not model.encoder.encoder_conv_1.weight.is_contiguous()
    ckpt = checkpoint.load(checkpoint.save(tmp_path / "m.pt", model))
    for name, t in ckpt.state_dict.items():
        assert t.is_contiguous() and t.device.type == "cpu", name
        assert t.dtype == (torch.int64 if name.endswith("num_batches_tracked") else torch.float32)
        assert torch.equal(t, model.state_dict()[name]), name  # same values, new layout
    with torch.no_grad():  # not bit-equal: channels_last convolutions round differently
        torch.testing.assert_close(ckpt.model()(images()), model(images()))


def test_save_and_load_leave_the_global_rng_alone(tmp_path):
    """A trainer may save mid-run; that must not change its dropout masks afterwards."""
    model = small_model(use_dropout=True)
    state = torch.random.get_rng_state()
    checkpoint.load(checkpoint.save(tmp_path / "m.pt", model)).model()
    assert torch.equal(torch.random.get_rng_state(), state)


@pytest.mark.parametrize("kind", ["folder", "bytes", "bytesio", "open file", "read to the end"])
def test_load_from_folder_bytes_and_file_like(good, kind):
    model, path = good
    data = path.read_bytes()
    if kind == "folder":
        ckpt = checkpoint.load(str(path.parent))
    elif kind == "bytes":
        ckpt = checkpoint.load(data)
    elif kind == "bytesio":
        ckpt = checkpoint.load(io.BytesIO(data))
    else:
        with open(path, "rb") as f:
            if kind == "read to the end":  # a second read of the same upload still works
                f.read()
            ckpt = checkpoint.load(f)
    assert ckpt.config == model.config and ckpt.history == HISTORY


def test_load_from_streamlit_upload(good):
    upload = pytest.importorskip("streamlit.runtime.uploaded_file_manager")
    model, path = good
    rec = upload.UploadedFileRec("id", "autoencoder.pt", "application/octet-stream",
                                 path.read_bytes())
    assert checkpoint.load(upload.UploadedFile(rec, None)).config == model.config


def test_to_bytes_round_trip():
    model = small_model()
    ckpt = checkpoint.load(checkpoint.to_bytes(model, history=HISTORY))
    assert ckpt.history == HISTORY
    with torch.no_grad():
        assert torch.equal(ckpt.model()(images()), model(images()))


def test_model_save_load_weights_and_load_model_go_through_checkpoints(tmp_path):
    model = small_model(seed=3)
    model.save(tmp_path / "run")
    assert (tmp_path / "run" / FILENAME).is_file() and (tmp_path / "run" / "params.json").is_file()
    other = small_model(seed=4)
    other.load_weights(tmp_path / "run" / FILENAME)
    again = ae.load_model(tmp_path / "run")
    with torch.no_grad():
        assert torch.equal(other.eval()(images()), model(images()))
        assert torch.equal(again(images()), model(images()))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_weights_on_a_gpu_in_bf16_are_saved_as_fp32_cpu(tmp_path):
    model = small_model()
    ckpt = checkpoint.load(checkpoint.save(tmp_path / "m.pt", model.to("cuda", torch.bfloat16)))
    for t in ckpt.state_dict.values():
        assert t.device.type == "cpu" and t.dtype == torch.float32 and t.is_contiguous()
    assert ckpt.model()(images()).shape == images().shape


# -- hostile and broken files ---------------------------------------------------------------
class RunsCode:
    """Unpickling this calls exec(): it writes a marker file, proof that code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return exec, (f"open({self.marker!r}, 'w').write('code ran')",)


@pytest.mark.parametrize("how", ["pickle", "torch.save", "torch.save inside a checkpoint"])
def test_hostile_pickle_is_refused_and_runs_nothing(tmp_path, good, how):
    marker = tmp_path / "marker"
    if how == "pickle":
        data = pickle.dumps({"format": "ae-checkpoint", "x": RunsCode(marker)})
    elif how == "torch.save":
        data = bytes_of(RunsCode(marker))
    else:
        payload = payload_of(good[1].read_bytes())
        payload["meta"]["x"] = RunsCode(marker)
        data = bytes_of(payload)
    folder = tmp_path / "upload"
    folder.mkdir()
    (folder / FILENAME).write_bytes(data)
    for src in (data, io.BytesIO(data), folder / FILENAME, folder):
        refused(src, "run code")
    with pytest.raises(CheckpointError):
        ae.load_model(folder)
    with pytest.raises(CheckpointError):
        small_model().load_weights(folder)
    assert not marker.exists()
    # control: an ordinary unpickler does run it, so the absence above means something
    pickle.loads(pickle.dumps(RunsCode(marker)))
    assert marker.read_text() == "code ran"


def test_truncated_file(good):
    data = good[1].read_bytes()
    refused(data[: len(data) // 2], "incomplete or damaged")


def test_random_bytes_and_empty_file(tmp_path):
    rng = random.Random(0)
    refused(bytes([0x42]) + rng.randbytes(4000), "not a checkpoint")
    refused(b"PK\x03\x04" + rng.randbytes(4000), "incomplete or damaged")
    (tmp_path / "empty.pt").write_bytes(b"")
    refused(tmp_path / "empty.pt", "empty")


def test_flipped_byte_is_caught_by_the_checksum(good):
    model, path = good
    data = bytearray(path.read_bytes())
    weight = model.encoder[0].weight.detach().contiguous().numpy().tobytes()
    at = bytes(data).find(weight)
    assert at > 0
    data[at + 3] ^= 0xFF
    refused(bytes(data), "damaged")


def test_compressed_archive_is_refused(good):
    """torch.save stores entries uncompressed; a deflated one could be a zip bomb."""
    src = zipfile.ZipFile(io.BytesIO(good[1].read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
    refused(out.getvalue(), "compressed")


def test_missing_file_and_folder_without_checkpoint(tmp_path):
    refused(tmp_path / "nope.pt", "no checkpoint file")
    refused(tmp_path, f"no checkpoint file at .*{FILENAME}")
    with pytest.raises(TypeError):
        checkpoint.load(12)


def test_other_architecture_loads_but_is_not_compatible(tmp_path):
    path = checkpoint.save(tmp_path / "z3.pt", small_model(z_dim=3))
    ckpt = checkpoint.load(path)  # a fine checkpoint in itself...
    assert ckpt.config.z_dim == 3
    checkpoint.check_compatible(ckpt, small_config(z_dim=3))
    with pytest.raises(CheckpointError, match="this checkpoint has z_dim 3, the current model "
                                              "has z_dim 2"):
        checkpoint.check_compatible(ckpt, small_config(z_dim=2))  # ...for another model
    with pytest.raises(CheckpointError, match="z_dim 3"):
        small_model(z_dim=2).load_weights(path)
    wider = small_config(z_dim=3)
    wider.encoder_conv_filters = [8, 4]
    with pytest.raises(CheckpointError, match="encoder_conv_filters"):
        checkpoint.check_compatible(ckpt, wider)


def test_weights_that_do_not_match_their_own_config(good):
    payload = payload_of(good[1].read_bytes())
    wrong = dict(payload, config=dict(payload["config"], z_dim=3))
    refused(bytes_of(wrong), "shape")
    missing = dict(payload, state_dict=dict(payload["state_dict"]))
    missing["state_dict"].pop("decoder.decoder_dense.bias")
    refused(bytes_of(missing), "missing: decoder.decoder_dense.bias")
    bare = payload["state_dict"]
    refused(bytes_of(bare), "bare weights")


def test_invalid_config_wraps_config_error(good):
    payload = payload_of(good[1].read_bytes())
    payload["config"]["decoder_conv_t_filters"] = [4, 3]
    refused(bytes_of(payload), "configuration is invalid: the decoder's last layer has 3 filters")


@pytest.mark.parametrize("change, match", [
    ({"format": "something-else"}, "not a checkpoint of this app"),
    ({"version": 2}, "newer version"),
    ({"version": "1"}, "version is invalid"),
    ({"extra": 1}, "unexpected"),
    ({"history": {"steps": "0.1, 0.2"}}, "history is malformed"),
    ({"history": {"steps": [0.1, "x"]}}, "list of numbers"),
    ({"history": {"epochs": [1, 2]}}, "list of dicts"),
    ({"meta": {"n": 2**70}}, "too large"),
    ({"meta": {"seconds": torch.zeros(3)}}, r"meta\['seconds'\] holds a value of type Tensor"),
    ({"meta": {1: "x"}}, "not text"),
    ({"meta": [1, 2]}, "must be a dict"),
    ({"dataset": 7}, "data set name"),
    ({"snapshots": {"codes": torch.zeros(1).expand(10**9)}}, "snapshots are larger"),
])
def test_wrong_entries_are_refused(good, change, match):
    payload = payload_of(good[1].read_bytes())
    payload.update(change)
    refused(bytes_of(payload), match)


def test_oversized_file_is_refused_before_reading(monkeypatch, good):
    data = good[1].read_bytes()
    monkeypatch.setattr(checkpoint, "MAX_BYTES", 1000)
    for src in (good[1], good[1].parent, data, io.BytesIO(data)):
        err = refused(src, "larger than 1,000 bytes are refused")
        assert f"{len(data):,} bytes" in str(err)


def test_nan_weights_are_refused(tmp_path, good):
    payload = payload_of(good[1].read_bytes())
    payload["state_dict"]["encoder.encoder_output.weight"][0, 0] = float("nan")
    refused(bytes_of(payload), "NaN or infinite")
    model = small_model()
    with torch.no_grad():
        model.decoder[0].bias[0] = float("inf")
    with pytest.raises(CheckpointError, match="NaN or infinite"):
        checkpoint.save(tmp_path / "inf.pt", model)  # never written, so never refused later
    assert not (tmp_path / "inf.pt").exists()


# -- atomic writes --------------------------------------------------------------------------
def test_failed_save_leaves_the_previous_file_intact(monkeypatch, good):
    model, path = good
    before = path.read_bytes()

    def half_written(obj, f, *a, **kw):
        f.write(before[: len(before) // 2])  # the disk fills up halfway
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(torch, "save", half_written)
    with pytest.raises(OSError, match="No space"):
        checkpoint.save(path, small_model(seed=9))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(os.listdir(path.parent)) == [FILENAME]  # no temp file left behind
    with torch.no_grad():
        assert torch.equal(checkpoint.load(path).model()(images()), model(images()))


def test_save_refuses_what_load_would_refuse(monkeypatch, good):
    model, path = good
    before = path.read_bytes()
    with pytest.raises(CheckpointError, match=r"meta\['when'\] holds a value of type object"):
        checkpoint.save(path, model, meta={"when": object()})
    monkeypatch.setattr(checkpoint, "MAX_BYTES", 1000)
    with pytest.raises(CheckpointError, match="larger than"):
        checkpoint.save(path, model)
    assert path.read_bytes() == before and sorted(os.listdir(path.parent)) == [FILENAME]


def test_save_replaces_an_existing_checkpoint(good):
    _, path = good
    newer = small_model(seed=5)
    checkpoint.save(path.parent, newer, history={"steps": [1.0]})  # a folder: FILENAME inside
    ckpt = checkpoint.load(path)
    assert ckpt.history == {"steps": [1.0]}
    with torch.no_grad():
        assert torch.equal(ckpt.model()(images()), newer(images()))
