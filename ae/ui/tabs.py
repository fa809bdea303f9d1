"""A tab's work survives a browser reload, and a closed tab's work is stopped and let go.

Why: Streamlit starts a new session, with an empty `st.session_state`, on every browser reload;
a student who presses F5 halfway through a run would lose the run and every model trained or
uploaded in that tab. And Streamlit has no hook for a closed tab, so that student's run would
go on training for nobody, holding one of the server's few training slots (`ae.job.slots`).

How: every tab carries a random token in its URL (`?tab=...`). At the end of each script run
the session parks references (no copies) to its work - the run, the models it trained or
uploaded, the model in play - under that token in one server-wide `Registry`, together with
the session id that shows the tab and the browser it runs in. A new session whose URL holds a
parked token takes the work over (`claim`) only when

- it runs in the same browser: the unmasked token of Streamlit's XSRF cookie, which a reload
  keeps and another browser (another student opening a shared link) does not have; and
- the session that showed the tab is no longer connected: a duplicated tab, or a link opened
  while its tab is still open, gets a new token and starts clean.

A watchdog thread wakes every CHECK_S seconds and, for each tab whose session has been away
(disconnected, or gone from the server) for GRACE_S seconds, stops its run and forgets the tab:
after that, and once Streamlit drops its stored session, nothing refers to the tab's models.
Both times come from the environment (AE_TAB_GRACE_S, AE_TAB_CHECK_S) so that tests and an
operator can change them.
"""

from __future__ import annotations

import binascii
import ctypes
import gc
import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from ae.live.run import runs_in_memory

PARAM = "tab"
WORK = ("t_run", "t_handled", "models", "in_play", "t_upload_msg")  # what a reload must keep
RUN = "t_run"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,40}")
_log = logging.getLogger(__name__)


def _env_seconds(name: str, default: float) -> float:
    try:
        v = float(os.environ.get(name, default))
    except ValueError:
        return default
    return v if v > 0 else default


GRACE_S = _env_seconds("AE_TAB_GRACE_S", 60.0)  # Wi-Fi drop, laptop lid, a slow reload
CHECK_S = _env_seconds("AE_TAB_CHECK_S", 10.0)
CLAIM_WAIT_S = 5.0  # a reload's new session can connect before the old one's close is seen


def new_token() -> str:
    return secrets.token_urlsafe(12)


def browser_id(xsrf_cookie: str | None) -> str | None:
    """The browser's XSRF token from Streamlit's `_streamlit_xsrf` cookie ("2|mask|masked|ts",
    tornado's format), unmasked: the raw cookie value changes on every page load, the token
    does not. None when there is no such cookie (XSRF protection off)."""
    try:
        version, mask, masked, _ = (xsrf_cookie or "").strip('"').split("|")
        m, b = binascii.unhexlify(mask), binascii.unhexlify(masked)
    except ValueError:  # absent, or not tornado's version-2 format
        return None
    if version != "2" or len(m) != 4 or not b:
        return None
    return bytes(x ^ m[i % 4] for i, x in enumerate(b)).hex()


@dataclass
class Tab:
    owner: str  # the session id that shows the tab now
    browser: str | None
    work: dict = field(default_factory=dict)
    away_since: float | None = None  # when its session was first seen disconnected


class Registry:
    """Parked tabs by token. Thread-safe: script threads park and claim, the watchdog reaps."""

    def __init__(self) -> None:
        self.tabs: dict[str, Tab] = {}
        self.lock = threading.Lock()

    def claim(self, token: str | None, sid: str, browser: str | None,
              status: Callable[[str], str | None]) -> tuple[dict | None, bool]:
        """(the work parked under `token`, now owned by session `sid`, or None; whether it
        may come free soon). None when there is none for this session: an unknown token,
        another browser, or its tab still open - which, on a reload, it may be for a moment
        (busy=True: ask again). Without a browser id (no XSRF cookie) nothing is claimed on
        a real server: anyone holding the link would do; only where no server can tell
        (status None: AppTest) may it be claimed."""
        with self.lock:
            tab = self.tabs.get(token or "")
            if tab is None or tab.browser != browser:
                return None, False
            if browser is None and status(tab.owner) is not None:
                return None, False
            if tab.owner != sid and status(tab.owner) == "active":
                return None, True
            tab.owner, tab.away_since = sid, None
            return dict(tab.work), False

    def park(self, token: str, sid: str, browser: str | None, work: dict,
             new: bool = False) -> bool:
        """Keep references to `work` under `token` (a `new` one, or one this session holds);
        False when another session owns it or it was let go (the caller starts clean)."""
        with self.lock:
            tab = self.tabs.get(token)
            if tab is None and new:
                self.tabs[token] = tab = Tab(sid, browser)
            if tab is None or tab.owner != sid:
                return False
            tab.work = work
            return True

    def has(self, token: str) -> bool:
        with self.lock:
            return token in self.tabs

    def reap(self, status: Callable[[str], str | None], now: float,
             grace: float = GRACE_S) -> list[tuple[str, bool]]:
        """Forget every tab whose session has been away for `grace` seconds: its run is
        stopped and let go of (`Run.release`), its models dropped. Returns (token, whether a
        run was stopped) for each. A session nobody can tell about (None: no server, e.g.
        AppTest) counts as connected.

        Why release and not only forget: Streamlit keeps a closed tab's session state for its
        own reconnect (`server.disconnectedSessionTTL`, and until some later session event
        purges it); the run and the models in it must not wait for that."""
        gone, let_go = [], []
        with self.lock:
            for token, tab in list(self.tabs.items()):
                if status(tab.owner) in (None, "active"):
                    tab.away_since = None
                    continue
                tab.away_since = tab.away_since if tab.away_since is not None else now
                if now - tab.away_since >= grace:
                    del self.tabs[token]
                    let_go.append((token, tab))
        for token, tab in let_go:  # outside the lock: a run may take a step to stop
            run = tab.work.get(RUN)
            stopped = run is not None and run.active
            if run is not None:
                run.release()
            models = tab.work.get("models")
            if isinstance(models, dict):
                models.clear()  # the session's own dict: its trained and uploaded models
            gone.append((token, stopped))
        return gone

    def runs(self) -> list[Any]:
        """The runs of all parked tabs (tests stop them)."""
        with self.lock:
            return [tab.work[RUN] for tab in self.tabs.values() if tab.work.get(RUN)]

    def clear(self) -> None:
        with self.lock:
            self.tabs.clear()


registry = Registry()
_watchdog: threading.Thread | None = None
_watchdog_lock = threading.Lock()


def session_status(session_id: str) -> str | None:
    """"active" (connected), "away" (disconnected or gone), or None when no server can tell
    (AppTest, a bare script). Only `is_active_session` is asked: a dict lookup, safe from
    this thread (the store of disconnected sessions is a cache that is not thread-safe)."""
    try:
        from streamlit.runtime import Runtime

        mgr = Runtime.instance()._session_mgr
        return "active" if mgr.is_active_session(session_id) else "away"
    except Exception:  # no runtime, or one without a session manager: can't tell
        return None


def release_memory() -> None:
    """Collect the let-go models and give the freed heap back to the operating system.

    Why: glibc keeps freed memory for the process, so without `malloc_trim` a server's RSS
    never drops after a class leaves, and an operator cannot tell freed memory from a leak."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory is free for Python to reuse
        pass


TRIM_FOR_S = 300.0  # after a tab is let go, trim for this long (Streamlit keeps its session
# for server.disconnectedSessionTTL, 120 s by default, before its memory can be freed)


def _watch() -> None:
    last_gone = last_trim = -TRIM_FOR_S
    reported = None
    while True:
        time.sleep(CHECK_S)
        now = time.monotonic()
        try:
            gone = registry.reap(session_status, now)
            if gone:
                last_gone = now
            for token, stopped in gone:
                _log.warning("tab %s closed for %.0f s: its work is let go%s", token[:6],
                             GRACE_S, " and its run stopped" if stopped else "")
            if now - last_gone < TRIM_FOR_S and now - last_trim >= 30.0:
                release_memory()
                last_trim = now
                counts = len(registry.tabs), runs_in_memory()
                if counts != reported:  # the operator's (and scripts/load.py's) view
                    _log.warning("memory released: %d tabs kept, %d training runs in memory",
                                 *counts)
                    reported = counts
        except Exception:  # the watchdog must outlive any surprise in Streamlit's internals
            _log.exception("tab watchdog")


def _ensure_watchdog() -> None:
    global _watchdog
    with _watchdog_lock:
        if _watchdog is None:
            _watchdog = threading.Thread(target=_watch, name="ae-tab-watchdog", daemon=True)
            _watchdog.start()


# -- the Streamlit side: called by dashboard.py --------------------------------------------------
def _session_id() -> str:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else "no-session"


def _browser() -> str | None:
    try:
        return browser_id(st.context.cookies.get("_streamlit_xsrf"))
    except Exception:  # no request behind this run (AppTest)
        return None


def resume() -> None:
    """First thing of every run. On a session's first run: take over the work parked under
    the URL's token when this is a reload of that tab, else start a new token. Every run: the
    token stays in the URL (pages drop query parameters they do not know)."""
    token = st.session_state.get("_tab")
    if token is not None and not registry.has(token):  # back after it was let go (lid shut)
        _drop_work()
        token = None
    if token is None:
        sid, browser = _session_id(), _browser()
        asked = st.query_params.get(PARAM)
        work = None
        if asked is not None and _TOKEN.fullmatch(asked):
            deadline = time.monotonic() + CLAIM_WAIT_S
            work, busy = registry.claim(asked, sid, browser, session_status)
            while busy and time.monotonic() < deadline:  # a reload: the old session leaving
                time.sleep(0.1)
                work, busy = registry.claim(asked, sid, browser, session_status)
        if work is not None:
            token = asked
            for key, value in work.items():
                st.session_state[key] = value
            if "in_play" in work:  # the sidebar selects the model that was in play
                st.session_state["pending_model"] = work["in_play"].origin
        else:
            token = new_token()
            registry.park(token, sid, browser, {}, new=True)
            origin = st.query_params.get("model")
            if asked is not None and origin in ("trained", "upload"):
                st.session_state["tab_notice"] = (origin, GRACE_S)  # header() shows it
        st.session_state["_tab"] = token
    if st.query_params.get(PARAM) != token:
        st.query_params[PARAM] = token


def park() -> None:
    """Last thing of every run: references to this session's work, kept under its token."""
    token = st.session_state.get("_tab")
    if token is None:
        return
    work = {k: st.session_state[k] for k in WORK if k in st.session_state}
    if not registry.park(token, _session_id(), _browser(), work):
        # a reload in another window took this tab over while this session was away (the
        # work is that window's now), or the watchdog let it go: start clean
        _drop_work()
        return
    _ensure_watchdog()


def _drop_work() -> None:
    """This session lost its tab: no run, no models of its own (the sidebar offers the
    shipped ones); the next run takes a new token."""
    origin = getattr(st.session_state.get("in_play"), "origin", None)
    for key in (*WORK, "_tab", "pending_model"):
        st.session_state.pop(key, None)
    if origin in ("trained", "upload"):
        st.session_state["tab_notice"] = (origin, GRACE_S)
