"""A tab's work survives a browser reload, and a closed tab's work is stopped and let go.

Streamlit starts a new, empty session on every reload and has no hook for a closed tab. So
every tab carries a random token in its URL (`?tab=...`), and `dashboard.py`

- `resume()`s first: a new session whose URL holds a token takes that tab's work over from
  the server-wide `store` (`ae.ui.tab_store`) once the old page's lease has lapsed (a reload
  waits a few seconds for that); otherwise it starts clean under a new token;
- draws `keep_alive()`, a fragment that reruns every RENEW_S seconds on every page and renews
  the tab's leases (and its run's): when the tab is closed the renewals stop, and GRACE_S
  later the run is stopped and the tab's work let go;
- `park()`s last: references to the session's work, kept under its token.

Times come from the environment (AE_TAB_GRACE_S, AE_TAB_RENEW_S) so that tests and an operator
can change them. Only Streamlit's public API is used.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets

import streamlit as st

from ae.live.run import runs_in_memory
from ae.ui.state import OWN
from ae.ui.tab_store import RunLease, TabStore

PARAM = "tab"
WORK = ("t_run", "t_handled", "models", "in_play", "t_upload_msg",  # what a reload must keep
        "own_book",  # the digits a learner kept on the wall
        "cw_room", "cw_student")  # the class wall: a teacher's room and key, a student's token
TOKEN, OWNER = "tab_token", "tab_owner"  # session-state keys: the tab's token, this session's id
_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,40}")


def _env_seconds(name: str, default: float) -> float:
    try:
        v = float(os.environ.get(name, default))
    except ValueError:
        return default
    return v if v > 0 else default


# a closed tab's work survives this long; more than a minute, because a browser fires the
# timers of a tab hidden for five minutes only once a minute (Chrome's intensive throttling)
GRACE_S = _env_seconds("AE_TAB_GRACE_S", 150.0)
RENEW_S = _env_seconds("AE_TAB_RENEW_S", 2.0)  # an open tab renews its leases this often
HANDOVER_S = 2.5 * RENEW_S  # not renewed for this long: the tab is not open now (a reload)
store = TabStore(GRACE_S, HANDOVER_S, runs_in_memory=runs_in_memory)


def client() -> str | None:
    """Who opened this tab, roughly: a hash of the connection's address (the first of
    X-Forwarded-For behind a proxy) and the browser's User-Agent, from `st.context`. Not an
    identity (spoofable, shared behind one proxy): it only keeps a shared link opened on
    another computer from taking over a tab whose page is slow to renew its lease."""
    try:
        headers = st.context.headers
        address = (headers.get("X-Forwarded-For") or "").split(",")[0].strip()
        parts = (address or st.context.ip_address, headers.get("User-Agent"))
    except Exception:  # no request behind this run (a bare script)
        return None
    parts = tuple(p if isinstance(p, str) else "" for p in parts)  # AppTest: none, or mocks
    if not any(parts):
        return None
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _owner() -> str:
    """This session's own id (Streamlit's session id is not public API)."""
    if OWNER not in st.session_state:
        st.session_state[OWNER] = secrets.token_hex(8)
    return st.session_state[OWNER]


def resume() -> None:
    """First thing of every run (it draws nothing). On a session's first run: take over the
    work kept under the URL's token when this is a reload of that tab, else start a new
    token. Every run: the token stays in the URL (pages drop query parameters they do not
    know)."""
    owner = _owner()
    token = st.session_state.get(TOKEN)
    if token is not None and not store.has(token, owner):  # back after it was let go
        _drop_work()
        token = None
    if token is None:
        asked = st.query_params.get(PARAM)
        work = None
        if asked is not None and _TOKEN.fullmatch(asked):
            work = store.claim(asked, owner, client())
        if work is not None:
            token = asked
            for key, value in work.items():
                st.session_state[key] = value
            if "in_play" in work:  # the sidebar selects the model that was in play
                st.session_state["pending_model"] = work["in_play"].origin
        else:
            token = store.open(owner, client())
            origin = st.query_params.get("model")
            if asked is not None and origin in OWN:
                st.session_state["tab_notice"] = (origin, GRACE_S)  # header() shows it
        st.session_state[TOKEN] = token
    store.begin_run(token, owner)
    if st.query_params.get(PARAM) != token:
        st.query_params[PARAM] = token


def run_lease() -> RunLease | None:
    """The lease for a training run this tab starts: renewed while the tab is open, lapsed
    GRACE_S after it closed (then the run stops itself)."""
    token = st.session_state.get(TOKEN)
    return None if token is None else store.run_lease(token, _owner())


@st.fragment(run_every=RENEW_S)
def _renew_leases() -> None:
    token = st.session_state.get(TOKEN)
    if token is not None:
        store.renew(token, _owner())  # False: lost meanwhile; the next full run starts clean


def keep_alive() -> None:
    """The tab's lease timer: a fragment that draws nothing and reruns every RENEW_S seconds
    while the tab is open (on every page: dashboard.py draws it into the sidebar)."""
    with st.sidebar:
        _renew_leases()


def park() -> None:
    """Last thing of every run: references to this session's work, kept under its token."""
    token = st.session_state.get(TOKEN)
    if token is None:
        return
    work = {k: st.session_state[k] for k in WORK if k in st.session_state}
    if not store.keep(token, _owner(), work):
        # a reload in another window took this tab over while this session was away (the
        # work is that window's now), or it was let go: start clean
        _drop_work()


def _drop_work() -> None:
    """This session lost its tab: no run, no models of its own (the sidebar offers the
    shipped ones); the next run takes a new token."""
    origin = getattr(st.session_state.get("in_play"), "origin", None)
    for key in (*WORK, TOKEN, "pending_model"):
        st.session_state.pop(key, None)
    if origin in OWN:
        st.session_state["tab_notice"] = (origin, GRACE_S)
