"""One training run for identical requests: the server's registry of runs that tabs share.

Why: a class presses Start together, mostly with the same settings, on a server that trains
one run at a time; forty identical runs would queue for an hour and end with forty identical
models. So a request (network, recipe with its seed and precision, data set) has a stable key
(`request_key`); while a run for that key is active, a new Start joins it instead of queuing
a copy. Each tab holds a `Watch` of the run: its own lease, its own copy of the result.

The rules (unit-tested in tests/test_shared_runs.py):
- joinable: a run not yet finished and not being stopped; a finished run is not (a new Start
  trains again);
- lapse: the run's lease is the union of its watchers' leases: it stops itself only once EVERY
  watcher's lease has lapsed (one closed tab among twenty stops nothing);
- Stop by a watcher of a shared run detaches that tab only; alone, it stops the run. Pause is
  only honoured for a watcher alone (a shared run paused by one would stall the others);
  Resume by anyone. `release` (a closed tab let go) detaches; the last one releases the run.

Plain Python, no Streamlit. Lock order: the registry's lock may be held while a run's lock is
taken (start), never the reverse: the run's lease check (`_Entry.remaining`, called with the
run's lock held) reads an immutable tuple of watchers and takes no lock.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections.abc import Callable
from typing import Any

from ae.data.sources import Dataset
from ae.live.run import Run
from ae.model import checkpoint
from ae.model.config import AEConfig
from ae.train.recipe import Recipe

FINGERPRINT_IMAGES = 512  # images sampled (evenly) from each split for the data's fingerprint


def _fingerprint(ds: Dataset) -> str:
    """A cheap digest of the data's content: two data sets with the same name, source and size
    but other images (a test's synthetic digits, another cache) must not share a run."""
    h = hashlib.sha256()
    for x in (ds.x_train, ds.x_test, ds.y_train, ds.y_test):
        step = max(1, len(x) // FINGERPRINT_IMAGES)
        h.update(x[::step].contiguous().numpy().tobytes())
    return h.hexdigest()[:16]


def request_key(cfg: AEConfig, ds: Dataset, recipe: Recipe) -> str:
    """A stable key for a training request: equal for requests that train the same model the
    same way on the same data (identical results), different when anything differs.

    Normalised: the subset as the number of images it takes (None = all); an autoencoder's
    r_loss_factor, which only a VAE's loss uses, is left out."""
    r = recipe.to_dict()
    r["subset"] = recipe.n_images(len(ds.x_train))
    if not cfg.is_vae:
        r.pop("r_loss_factor", None)
    payload = {"config": cfg.to_dict(), "recipe": r,
               "data": {"name": ds.name, "source": ds.source, "train": len(ds.x_train),
                        "test": len(ds.x_test), "content": _fingerprint(ds)}}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]


def _alive(lease: Any) -> bool:
    return lease is None or not lease.expired


class _Entry:
    """One shared run and its watchers. Also the run's lease (`Run(lease=entry)`): it lapses
    once every watcher's lease has lapsed (or none is left)."""

    def __init__(self, key: str):
        self.key = key
        self.run: Run | None = None
        self.watches: tuple[Watch, ...] = ()  # replaced whole: read without a lock
        self.closed = False  # being stopped by its last watcher: no longer joinable

    @property
    def remaining(self) -> float:
        leases = [w.lease for w in self.watches]
        if not leases:
            return 0.0
        if any(lease is None for lease in leases):
            return math.inf
        return max(lease.remaining for lease in leases)

    @property
    def expired(self) -> bool:
        return self.remaining <= 0

    @property
    def joinable(self) -> bool:
        run = self.run
        return (run is not None and not self.closed and not run.released
                and not run.stopping and run.state in ("idle", "queued", "running", "paused"))

    def alive(self) -> list[Watch]:
        return [w for w in self.watches if _alive(w.lease)]


class Watch:
    """One tab's hold on a (possibly shared) run. Reads like the `Run` it watches (every
    attribute it does not define is the run's); control and the result are per tab."""

    def __init__(self, registry: SharedRuns, entry: _Entry, lease: Any, joined: bool):
        self._registry, self._entry = registry, entry
        self.lease = lease  # the tab's own lease (ae.ui.tab_store renews `run.lease`)
        self.joined = joined  # True: this Start joined a run that was already there
        self.detached = False
        self._copy: checkpoint.Checkpoint | None = None
        self._copy_lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # copy/pickle probe before __init__: no recursion
            raise AttributeError(name)
        return getattr(self._entry.run, name)

    @property
    def run(self) -> Run:
        return self._entry.run

    @property
    def watchers(self) -> int:
        """Tabs that watch this run now (their lease not lapsed), this one included."""
        return len(self._entry.alive())

    @property
    def shared(self) -> bool:
        return not self.detached and self.watchers > 1

    # -- what this tab sees: a detached tab's run is over for it --------------------------
    @property
    def state(self) -> str:
        return "stopped" if self.detached else self.run.state

    @property
    def active(self) -> bool:
        return not self.detached and self.run.active

    @property
    def done(self) -> bool:
        return self.detached or self.run.done

    @property
    def released(self) -> bool:
        return self.detached or self.run.released

    # -- control ---------------------------------------------------------------------------
    def stop(self) -> bool:
        """Alone, the run stops after its current step (False). Shared, this tab leaves it and
        it goes on for the others (True)."""
        if self._registry._leave_or_close(self):
            return True
        if not self.detached:
            self.run.stop()
        return False

    def pause(self, paused: bool = True) -> bool:
        """Pause (only for a watcher alone: False when shared, nothing done) or resume."""
        if self.detached or (paused and self.shared):
            return False
        self.run.pause(paused)
        return True

    def resume(self) -> None:
        """Anyone may resume: a shared run paused before others joined would stall them."""
        self.pause(False)

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the run to finish; a detached tab's run is over for it at once."""
        return True if self.detached else self.run.join(timeout)

    def release(self, timeout: float = 30.0) -> None:
        """This tab is gone (ae.ui.tab_store lets it go): it leaves the run; the last watcher
        stops the run and lets go of its model, optimizer and live view."""
        if self._registry._detach(self):
            self.run.release(timeout)

    def finish(self) -> checkpoint.Checkpoint | None:
        """This tab's own copy of the finished run's checkpoint (None before the run is over,
        for a detached tab, or when it trained no step): its own model, history and meta, so
        nothing one tab does later touches another's."""
        if self.detached:
            return None
        with self._copy_lock:
            if self._copy is None:
                data = self.run.finish_bytes()
                self._copy = None if data is None else checkpoint.load(data)
            return self._copy


class SharedRuns:
    """The server's active runs by request key. Thread-safe: every session calls it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}
        self.created = 0  # runs this registry created (the measurement script reads it)

    def watch(self, key: str, create: Callable[[_Entry], Run], lease: Any = None) -> Watch:
        """A watch of the joinable run for `key`, or of a new one `create(run_lease)` makes
        (and this starts); `lease` is the watching tab's own. Errors of `create` pass."""
        with self._lock:
            self._sweep()
            entry = self._entries.get(key)
            joined = entry is not None
            if entry is None:
                entry = _Entry(key)
                entry.run = create(entry)  # under the lock: twenty Starts at once make one run
                self._entries[key] = entry
                self.created += 1
            w = Watch(self, entry, lease, joined)
            entry.watches = (*entry.watches, w)
            if not joined:
                entry.run.start()
        return w

    def active(self) -> list[Run]:
        """The joinable runs now."""
        with self._lock:
            self._sweep()
            return [e.run for e in self._entries.values()]

    def _sweep(self) -> None:
        """Forget runs that are no longer joinable (finished, stopping, released). Lock held."""
        for key in [k for k, e in self._entries.items() if not e.joinable]:
            del self._entries[key]

    def _detach(self, w: Watch) -> bool:
        """`w` leaves its run; True when it was the last watcher (the caller releases)."""
        with self._lock:
            if w.detached:
                return False
            w.detached = True
            entry = w._entry
            entry.watches = tuple(x for x in entry.watches if x is not w)
            if entry.watches:
                return False
            entry.closed = True
            if self._entries.get(entry.key) is entry:
                del self._entries[entry.key]
            return True

    def _leave_or_close(self, w: Watch) -> bool:
        """Stop by `w`: True when others watch (then `w` has left); else the run is closed to
        newcomers (the caller stops it), False."""
        with self._lock:
            if w.detached:
                return False
            entry = w._entry
            if any(x is not w for x in entry.alive()):
                w.detached = True
                entry.watches = tuple(x for x in entry.watches if x is not w)
                return True
            entry.closed = True
            if self._entries.get(entry.key) is entry:
                del self._entries[entry.key]
            return False


shared_runs = SharedRuns()  # the server's registry
