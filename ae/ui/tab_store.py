"""The server's store of browser tabs' work, keyed by the token in each tab's URL (`?tab=`).

Why: Streamlit starts a new, empty session on every browser reload, and tells nobody when a
tab is closed. So each tab keeps references (no copies) to its work here - its run, the models
it trained or uploaded, the model in play - and renews its lease from a timer while it is open.
How long since the last renewal tells two things:

- more than HANDOVER_S: the tab is not open at this moment. A new session whose URL holds the
  token (a reload) takes the work over only then; before, the tab is still open elsewhere (a
  duplicated tab, a shared link), and the newcomer starts clean under a new token.
- more than GRACE_S (the `alive` lease lapsed): the tab is gone. Its run is stopped and let go
  of, its models dropped, and the freed memory given back. This happens lazily, on the next
  access to the store by any tab; a run with a lease of its own stops itself as well.

Plain Python (no Streamlit), so the rules are unit-tested directly; `ae.ui.tabs` is the
Streamlit side.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ae.heap import give_back_freed_memory
from ae.live.lease import Lease

MAX_SCRIPT_S = 60.0  # longer than any script run of the dashboard, even on a busy server
RUN, MODELS = "t_run", "models"  # the session-state keys of the work the store acts on
_log = logging.getLogger(__name__)


def _let_go_of(work: dict) -> bool:
    """Stop the run and drop the models of a tab that is gone; whether a run was stopped.

    The run is released (model, optimizer and live view dropped) and the session's own dict
    of models emptied: Streamlit keeps a closed tab's session a while for its reconnect, and
    this memory need not wait for that."""
    run = work.get(RUN)
    stopped = bool(getattr(run, "active", False))
    if run is not None:
        run.release()
    models = work.get(MODELS)
    if isinstance(models, dict):
        models.clear()
    work.clear()
    return stopped


def new_token() -> str:
    return secrets.token_urlsafe(12)


@dataclass
class Tab:
    owner: str  # the session that shows the tab now (an id of our own, see ae.ui.tabs)
    client: str | None  # who opened it, roughly (address and browser): see TabStore.claim
    alive: Lease
    work: dict = field(default_factory=dict)
    script_since: float | None = None  # when its session's script run began (None: idle)

    @property
    def in_script(self) -> bool:
        """In a script run now, whose thread its lease timer needs. A run whose end was never
        seen (Streamlit may stop a run at any session_state access, even in `park`) counts for
        MAX_SCRIPT_S at most, so such a tab is still let go."""
        since = self.script_since
        return since is not None and time.monotonic() - since < MAX_SCRIPT_S

    @property
    def away_s(self) -> float:
        """Seconds since the tab last renewed its lease."""
        return self.alive.ttl_s - self.alive.remaining

    def renew(self) -> None:
        self.alive.renew()
        lease = getattr(self.work.get(RUN), "lease", None)  # a run that stops itself
        if lease is not None:
            lease.renew()


class RunLease:
    """The lease a tab's training run holds (`ae.live.run.Run(lease=...)`): it lapses with the
    tab's `alive` lease, but never while the tab's session is in a script run (a long run
    holds the thread whose timer renews the leases), the rule `TabStore.sweep` follows too."""

    def __init__(self, tab: Tab) -> None:
        self._tab = tab

    def renew(self) -> None:
        self._tab.alive.renew()

    @property
    def remaining(self) -> float:
        alive = self._tab.alive
        return alive.ttl_s if self._tab.in_script else alive.remaining

    @property
    def expired(self) -> bool:
        return self.remaining <= 0


class TabStore:
    """Tabs by token. Thread-safe: every session's script thread calls it."""

    def __init__(self, grace_s: float, handover_s: float,
                 runs_in_memory: Callable[[], int] = lambda: 0):
        self.grace_s, self.handover_s = grace_s, handover_s
        self.runs_in_memory = runs_in_memory  # reported after work was let go
        self.tabs: dict[str, Tab] = {}
        self.lock = threading.Lock()

    def open(self, owner: str, client: str | None) -> str:
        """A new tab with no work yet: its token."""
        token = new_token()
        with self.lock:
            self.tabs[token] = Tab(owner, client, Lease(self.grace_s))
        self.sweep()
        return token

    def claim(self, token: str, owner: str, client: str | None,
              wait_s: float | None = None) -> dict | None:
        """The work kept under `token`, now owned by `owner`; None when there is none for it:
        an unknown or let-go token, another client, or a tab that is still open (renewed
        within HANDOVER_S all through `wait_s`, by default HANDOVER_S: a reload waits for its
        old page to stop renewing, a second open tab keeps renewing).

        The client check keeps a link shared with another computer from taking a tab whose
        owner's page is only slow to renew (a background tab's timers are throttled)."""
        self.sweep()
        deadline = time.monotonic() + (self.handover_s if wait_s is None else wait_s)
        while True:
            with self.lock:
                tab = self.tabs.get(token)
                if tab is None or tab.client != client:
                    return None
                if tab.owner == owner or tab.away_s >= self.handover_s:
                    if tab.owner != owner:  # the old session's runs no longer count
                        tab.owner, tab.script_since = owner, None
                    tab.renew()
                    return dict(tab.work)
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.1)

    def renew(self, token: str, owner: str) -> bool:
        """The tab's timer: its leases renewed. False when `owner` no longer owns the tab
        (taken over by a reload elsewhere, or let go): the session starts clean."""
        with self.lock:
            tab = self.tabs.get(token)
            if tab is None or tab.owner != owner:
                ok = False
            else:
                tab.renew()
                ok = True
        self.sweep()
        return ok

    def begin_run(self, token: str, owner: str) -> bool:
        """At the start of each script run: leases renewed, and the tab is not let go until
        the run ends (`keep`): a long run holds the session's thread, and with it the timer
        that renews the leases. False when `owner` no longer owns the tab."""
        with self.lock:
            tab = self.tabs.get(token)
            if tab is None or tab.owner != owner:
                return False
            tab.renew()
            tab.script_since = time.monotonic()
            return True

    def keep(self, token: str, owner: str, work: dict) -> bool:
        """At the end of each script run: references to the session's work, leases renewed."""
        with self.lock:
            tab = self.tabs.get(token)
            if tab is None or tab.owner != owner:
                return False
            tab.work = work
            tab.renew()
            tab.script_since = None
            return True

    def run_lease(self, token: str, owner: str) -> RunLease | None:
        """The lease for a run this tab starts; None when `owner` does not own the tab."""
        with self.lock:
            tab = self.tabs.get(token)
            return RunLease(tab) if tab is not None and tab.owner == owner else None

    def has(self, token: str, owner: str | None = None) -> bool:
        with self.lock:
            tab = self.tabs.get(token)
            return tab is not None and owner in (None, tab.owner)

    def sweep(self, in_background: bool = True) -> list[str]:
        """Forget every tab whose `alive` lease lapsed, unless its session is in a script run,
        and let go of its work (by default in a thread of its own: stopping a run waits for
        its current step). Their tokens."""
        with self.lock:
            gone = [(token, tab) for token, tab in self.tabs.items()
                    if tab.alive.expired and not tab.in_script]
            for token, _ in gone:
                del self.tabs[token]
        tokens = [token for token, _ in gone]
        if gone and in_background:
            threading.Thread(target=self._let_go, args=(gone,),
                             name="ae-let-go", daemon=True).start()
        elif gone:
            self._let_go(gone)
        return tokens

    def _let_go(self, tabs: list[tuple[str, Tab]]) -> None:
        for token, tab in tabs:
            stopped = _let_go_of(tab.work)
            _log.warning("tab %s closed for %.0f s: its work is let go%s", token[:6],
                         self.grace_s, " and its run stopped" if stopped else "")
        tabs.clear()  # the last references to the work: what it held is garbage now
        give_back_freed_memory()
        with self.lock:
            kept = len(self.tabs)
        _log.warning("memory released: %d tabs kept, %d training runs in memory", kept,
                     self.runs_in_memory())

    def runs(self) -> list[Any]:
        """The runs of all tabs (tests stop them)."""
        with self.lock:
            return [tab.work[RUN] for tab in self.tabs.values() if tab.work.get(RUN)]

    def clear(self) -> None:
        with self.lock:
            self.tabs.clear()
