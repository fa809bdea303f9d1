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

from .. import session_job

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
CLAIM_WAIT_S = 2.0  # a reload's new session can connect before the old one's close is seen


def new_token() -> str:
    return secrets.token_urlsafe(12)


def browser_id(xsrf_cookie: str | None) -> str | None:
    """The browser's XSRF token from Streamlit's `_streamlit_xsrf` cookie ("2|mask|masked|ts",
    tornado's format), unmasked: the raw cookie value changes on every page load, the token
    does not. None when there is no such cookie (XSRF protection off)."""
    try:
        version, mask, masked, _ = (xsrf_cookie or "").split("|")
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
        (busy=True: ask again)."""
        with self.lock:
            tab = self.tabs.get(token or "")
            if tab is None or tab.browser != browser:
                return None, False
            if tab.owner != sid and status(tab.owner) == "active":
                return None, True
            tab.owner, tab.away_since = sid, None
            return dict(tab.work), False

    def park(self, token: str, sid: str, browser: str | None, work: dict) -> bool:
        """Keep references to `work` under `token`; False when another session owns it
        (the caller then takes a new token)."""
        with self.lock:
            tab = self.tabs.get(token)
            if tab is not None and tab.owner != sid:
                return False
            if tab is None:
                self.tabs[token] = tab = Tab(sid, browser)
            tab.work = work
            return True

    def reap(self, status: Callable[[str], str | None], now: float,
             grace: float = GRACE_S) -> list[str]:
        """Stop the run of, and forget, every tab whose session has been away for `grace`
        seconds. Returns their tokens. A session nobody can tell about (None: no server,
        e.g. AppTest) counts as connected."""
        gone = []
        with self.lock:
            for token, tab in list(self.tabs.items()):
                if status(tab.owner) in (None, "active"):
                    tab.away_since = None
                    continue
                tab.away_since = tab.away_since if tab.away_since is not None else now
                if now - tab.away_since >= grace:
                    gone.append(token)
                    del self.tabs[token]
                    run = tab.work.get(RUN)
                    if run is not None and run.active:
                        run.stop()
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
    """"active", "inactive" (disconnected, may come back), "gone", or None when no server
    can tell (AppTest, a bare script)."""
    try:
        from streamlit.runtime import Runtime

        mgr = Runtime.instance()._session_mgr
        if mgr.is_active_session(session_id):
            return "active"
        return "gone" if mgr.get_session_info(session_id) is None else "inactive"
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
    while True:
        time.sleep(CHECK_S)
        now = time.monotonic()
        try:
            gone = registry.reap(session_status, now)
            if gone:
                last_gone = now
            if now - last_gone < TRIM_FOR_S and now - last_trim >= 30.0:
                release_memory()
                last_trim = now
                _log.warning("memory released: %d tabs kept, %d training runs in memory",
                             len(registry.tabs), session_job.runs_in_memory())
        except Exception:  # the watchdog must outlive any surprise in Streamlit's internals
            _log.exception("tab watchdog")
            continue
        for token in gone:
            _log.warning("tab %s closed for %.0f s: its run is stopped and its work let go",
                         token[:6], GRACE_S)


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
            registry.park(token, sid, browser, {})
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
        st.session_state.pop("_tab", None)  # another session showed this tab since: a new one
        return
    _ensure_watchdog()
