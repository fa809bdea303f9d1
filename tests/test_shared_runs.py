"""ae.live.shared: one run for identical requests - the request key (equal requests, equal keys;
any change, another key), the registry under twenty Starts at once, what is joinable, the lapse
rule (the run stops only when every watcher's lease has lapsed), Stop / Pause / release by one
watcher, and each watcher's own copy of the result of a real shared run."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest
import torch

from ae.data.sources import Dataset
from ae.live.run import Run
from ae.live.shared import SharedRuns, Watch, request_key
from ae.live.slots import Slots
from ae.model.config import AEConfig
from ae.train.recipe import Recipe
from tests.test_run import TIMEOUT, dataset, make, recipe, tiny_config, wait_for

pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


class ManualLease:
    """A lease a test lapses by hand."""

    def __init__(self) -> None:
        self.lapsed = False

    @property
    def remaining(self) -> float:
        return 0.0 if self.lapsed else 10.0

    @property
    def expired(self) -> bool:
        return self.lapsed


class FakeRun:
    """What the registry and a Watch use of a Run, without training."""

    def __init__(self, lease) -> None:
        self.lease, self.state, self.released, self.stopping = lease, "idle", False, False
        self.paused_by: list[bool] = []

    def start(self) -> None:
        self.state = "running"

    def stop(self) -> None:
        self.stopping = True

    def pause(self, paused: bool = True) -> None:
        self.paused_by.append(paused)

    def release(self, timeout: float = 30.0) -> None:
        self.released = True

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running", "paused")

    @property
    def done(self) -> bool:
        return self.state in ("done", "stopped", "failed")


# -- the key ---------------------------------------------------------------------------------
def test_equal_requests_have_equal_keys():
    a = request_key(AEConfig.book(), dataset(), Recipe())
    b = request_key(AEConfig.book(), dataset(), Recipe())  # new objects, same values
    assert a == b and isinstance(a, str) and len(a) == 32
    ds = dataset()
    assert request_key(AEConfig.book(), ds, Recipe(subset=None)) == request_key(
        AEConfig.book(), ds, Recipe(subset=len(ds.x_train)))  # "all" is that many images
    # an autoencoder's loss has no r_loss_factor: the hidden slider's value changes nothing
    assert request_key(AEConfig.book(), ds, Recipe(r_loss_factor=10.0)) == a


def test_any_change_gives_another_key():
    ds, cfg, r = dataset(), AEConfig.book(), Recipe()
    other_x = ds.x_train.clone()
    other_x[3, 10, 10] ^= 1  # one pixel of one sampled image
    requests = [
        (cfg, ds, r),
        (AEConfig.book("vae"), ds, r),
        (replace(cfg, z_dim=3), ds, r),
        (replace(cfg, use_batch_norm=True), ds, r),
        (replace(cfg, encoder_conv_filters=[32, 64, 64, 32]), ds, r),
        (cfg, ds, replace(r, lr=0.001)),
        (cfg, ds, replace(r, batch_size=64)),
        (cfg, ds, replace(r, epochs=199)),
        (cfg, ds, replace(r, subset=50)),
        (cfg, ds, replace(r, seed=1)),
        (cfg, ds, replace(r, precision="fp32")),
        (AEConfig.book("vae"), ds, replace(r, r_loss_factor=10.0)),  # a VAE's loss uses it
        (cfg, replace(ds, name="fashion-mnist"), r),
        (cfg, replace(ds, source="cache"), r),
        (cfg, dataset(n_train=81), r),
        (cfg, dataset(n_test=61), r),
        (cfg, replace(ds, x_train=other_x), r),
    ]
    keys = [request_key(*req) for req in requests]
    assert len(set(keys)) == len(keys)


# -- the registry ------------------------------------------------------------------------------
def test_twenty_starts_at_once_make_one_run():
    reg, made, barrier = SharedRuns(), [], threading.Barrier(20)
    watches: list[Watch] = []

    def create(lease):
        time.sleep(0.05)  # building a model takes a while: the others arrive meanwhile
        made.append(FakeRun(lease))
        return made[-1]

    def press():
        barrier.wait()
        watches.append(reg.watch("k", create, lease=ManualLease()))

    threads = [threading.Thread(target=press) for _ in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(TIMEOUT)
    assert len(made) == 1 and reg.created == 1 and len(watches) == 20
    assert all(w.run is made[0] for w in watches) and made[0].state == "running"
    assert sum(not w.joined for w in watches) == 1  # one started it, nineteen joined
    assert all(w.watchers == 20 and w.shared for w in watches)
    assert reg.watch("other", create).run is not made[0]  # another request: its own run


def test_a_finished_or_stopping_run_is_not_joinable():
    reg = SharedRuns()
    first = reg.watch("k", FakeRun)
    assert reg.watch("k", FakeRun).run is first.run
    first.run.state = "done"
    second = reg.watch("k", FakeRun)  # a new Start after the end trains again
    assert second.run is not first.run and reg.created == 2
    second.run.stopping = True  # asked to stop (or lapsed): it ends after its step
    assert reg.watch("k", FakeRun).run is not second.run
    assert reg.created == 3 and len(reg.active()) == 1


def test_the_run_lapses_only_when_every_watchers_lease_has():
    reg = SharedRuns()
    leases = [ManualLease() for _ in range(20)]
    watches = [reg.watch("k", FakeRun, lease=lease) for lease in leases]
    run_lease = watches[0].run.lease  # what the run checks between its steps
    for lease in leases[:19]:  # nineteen tabs closed
        lease.lapsed = True
        assert not run_lease.expired and run_lease.remaining > 0
    assert watches[0].watchers == 1 and not watches[0].shared  # the closed ones do not count
    leases[19].lapsed = True
    assert run_lease.expired
    leases[5].lapsed = False  # a tab that renews again (a reload) keeps it
    assert not run_lease.expired
    assert not reg.watch("other", FakeRun, lease=None).run.lease.expired  # no lease: never


def test_stop_by_a_watcher_of_a_shared_run_detaches_that_tab_only():
    reg = SharedRuns()
    a, b, c = (reg.watch("k", FakeRun, lease=ManualLease()) for _ in range(3))
    run = a.run
    assert a.stop() is True  # shared: a leaves
    assert a.detached and not a.active and a.state == "stopped" and a.finish() is None
    assert a.join(0) and not run.stopping and b.watchers == 2 and b.shared
    e = reg.watch("k", FakeRun)  # still joinable
    assert e.run is run and e.joined
    c.release()  # a closed tab let go: it leaves too
    assert not run.released and b.watchers == 2
    assert e.stop() is True and b.watchers == 1
    assert b.stop() is False and run.stopping  # alone: the run itself stops
    assert reg.watch("k", FakeRun).run is not run  # and nobody joins it any more


def test_pause_is_for_a_watcher_alone_and_anyone_resumes():
    reg = SharedRuns()
    a = reg.watch("k", FakeRun, lease=ManualLease())
    assert a.pause() is True and a.run.paused_by == [True]  # alone: paused
    b = reg.watch("k", FakeRun, lease=ManualLease())  # joins the paused run
    assert b.pause() is False and a.pause() is False and a.run.paused_by == [True]
    b.resume()  # the newcomer need not wait for the one who paused
    assert a.run.paused_by == [True, False]


def test_the_last_watcher_let_go_releases_the_run():
    reg = SharedRuns()
    a, b = reg.watch("k", FakeRun), reg.watch("k", FakeRun)
    a.release()
    assert not b.run.released and not b.released and a.released
    b.release()
    assert b.run.released and reg.active() == []
    a.release()  # twice: nothing more


# -- a real shared run ------------------------------------------------------------------------
def shared_run(reg: SharedRuns, ds: Dataset, r: Recipe, lease=None, **kw) -> Watch:
    return reg.watch(request_key(tiny_config(), ds, r),
                     lambda run_lease: make(r, ds, lease=run_lease, slots=Slots(1), **kw),
                     lease=lease)


def test_a_shared_run_trains_once_and_each_watcher_gets_its_own_copy():
    reg, ds, r = SharedRuns(), dataset(), recipe(epochs=2)
    a, b = shared_run(reg, ds, r), shared_run(reg, ds, r)
    assert isinstance(a.run, Run) and a.run is b.run and reg.created == 1
    assert b.join(TIMEOUT) and a.state == b.state == "done"
    ca, cb = a.finish(), b.finish()
    assert ca is not cb and ca is a.finish()  # a copy per tab, made once
    assert ca.history is not cb.history and ca.meta is not cb.meta
    ma, mb = ca.model(), cb.model()
    for (name, pa), pb in zip(ma.state_dict().items(), mb.state_dict().values(), strict=True):
        assert pa.data_ptr() != pb.data_ptr() and torch.equal(pa, pb), name
    with torch.no_grad():
        next(ma.parameters()).add_(1.0)  # one tab's model changed: the other's is not
    assert not torch.equal(next(ma.parameters()), next(cb.model().parameters()))
    assert ca.history["steps"] == cb.history["steps"] == a.run.trainer.history.steps
    c = shared_run(reg, ds, r)  # after the end: a new run
    assert c.run is not a.run
    c.stop()
    assert c.join(TIMEOUT)
    d = shared_run(reg, ds, replace(r, seed=1))
    assert d.run is not c.run and reg.created == 3
    d.stop()
    assert d.join(TIMEOUT)


def test_a_real_run_goes_on_until_its_last_watcher_lapses():
    reg, ds, r = SharedRuns(), dataset(), recipe(epochs=10_000)
    la, lb = ManualLease(), ManualLease()
    a = shared_run(reg, ds, r, lease=la, live=False)
    b = shared_run(reg, ds, r, lease=lb, live=False)
    try:
        assert wait_for(lambda: len(a.trainer.history.steps) >= 2)
        la.lapsed = True  # a's tab closed
        n = len(a.trainer.history.steps)
        assert wait_for(lambda: len(a.trainer.history.steps) > n + 2)
        assert a.run.active and not a.run.lapsed
        lb.lapsed = True  # the last one closed
        assert b.join(TIMEOUT) and b.state == "stopped" and b.run.lapsed
    finally:
        b.run.stop()
        b.run.join(TIMEOUT)
