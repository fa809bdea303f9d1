"""A small Streamlit client that speaks the browser's protocol: one `StreamlitSession` is one
browser tab, without a browser.

Why: a class is forty devices; forty Chromium tabs on the server's own two cores measure the
browsers, not the server. This client opens the same WebSocket the frontend opens and sends the
same `BackMsg`s (the protobuf classes that ship with Streamlit), so the server does exactly the
work it does for a tab: a script run per page, per slider move, per pick on a chart, and the
`run_every` fragments' auto-reruns in between.

What it copies from Streamlit 1.67's frontend and server (static/js, web/server/starlette):
- the handshake: GET /_stcore/health sets the `_streamlit_xsrf` cookie; the WebSocket
  /_stcore/stream is opened with the subprotocols ["streamlit", <that cookie>] (the server
  picks the first and checks the second against the cookie), the page's origin and its cookies
  (a load balancer's sticky cookie rides along the same way);
- a rerun is `BackMsg.rerun_script` (a `ClientState`): the query string, the widget states of
  the widgets on the page, and the page's script hash (its url name on the first run, as a
  freshly loaded tab sends); a widget inside a fragment reruns that fragment alone;
- the server answers each run with `new_session` (its `metadata.run`: run id, fragment ids),
  deltas (the elements, `metadata.delta_path`), and `script_finished` with the same run id;
  `auto_rerun` asks the client to rerun a fragment every `interval` s (the frontend's
  setInterval; `stop_auto_rerun` and a full run's start end them); `page_info_changed` is the
  URL's new query string; `navigation` lists the pages; a message the client already holds may
  come back as a `ref_hash` (only for hashes the client listed in `cached_message_hashes`).
A rerun is done at ITS `script_finished`: the first run that starts after the request and runs
what was asked (the whole page, or the widget's fragment: the server may run it together with
other queued fragments, e.g. an auto-rerun, in one run); a run ended early for a rerun
(`st.rerun`, `st.switch_page`) hands over to the next full run. Fragment auto-reruns meanwhile
are the page's own business, never taken for the awaited run.

Threads: a reader thread receives everything and fires the auto-reruns; the caller's thread
sends and waits. Under Locust, gevent's monkey-patching turns both into greenlets
(websocket-client uses the patched socket and locks), so nothing here blocks the hub.
"""

from __future__ import annotations

import base64
import http.cookiejar
import json
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import websocket  # websocket-client
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState

ID_PREFIX = "$$ID-"  # streamlit.elements.lib.utils.GENERATED_ELEMENT_ID_PREFIX
WIDGETS = {"slider", "selectbox", "radio", "checkbox", "button", "number_input", "button_group",
           "plotly_chart", "multiselect", "text_input", "download_button", "file_uploader",
           "camera_input", "text_area", "color_picker", "date_input", "time_input",
           "component_instance", "data_editor", "dataframe"}
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
            ForwardMsg.FINISHED_WITH_COMPILE_ERROR}


class StreamlitError(RuntimeError):
    """The connection closed, a run did not end in time, or a widget is not on the page."""


def user_key(widget_id: str) -> str | None:
    """"k" of "$$ID-<hash>-k" (a widget made with key="k"); None for a widget without a key."""
    if not widget_id.startswith(ID_PREFIX):
        return None
    rest = widget_id[len(ID_PREFIX):]
    _, sep, key = rest.partition("-")
    return key if sep and key and key != "None" else None


@dataclass
class Widget:
    """A widget on the page: its id, its element type ("slider", "plotly_chart", ...), the
    element proto (its options, range, value) and the fragment it was drawn in ("" if none)."""

    id: str
    kind: str
    proto: Any
    fragment_id: str = ""
    run_id: str = ""  # the run that drew it

    @property
    def key(self) -> str | None:
        return user_key(self.id)


@dataclass
class Rerun:
    """One finished rerun: what was asked, how long it took, what it drew."""

    name: str
    seconds: float
    status: str  # FINISHED_SUCCESSFULLY, FINISHED_FRAGMENT_RUN_SUCCESSFULLY, ...
    run_id: str
    fragment_id: str = ""
    elements: list[Element] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)  # exception elements (errors)
    warnings: list[str] = field(default_factory=list)  # exception elements marked is_warning
    received_bytes: int = 0

    @property
    def ok(self) -> bool:
        return not self.exceptions and self.status != "FINISHED_WITH_COMPILE_ERROR"


@dataclass
class _Run:
    """A script run as the server announced it."""

    run_id: str
    fragment_ids: tuple[str, ...]
    started: float
    elements: list[Element] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    status: int | None = None
    received_bytes: int = 0


@dataclass
class _Wait:
    """The rerun a caller waits for."""

    sent: float
    fragment_id: str  # "" = the whole page
    run: _Run | None = None
    done: _Run | None = None
    after_run_ids: set = field(default_factory=set)  # runs that started before the request


def _decode_typed(v: Any) -> Any:
    """Plotly's JSON may hold numpy arrays as {"dtype", "bdata", "shape"} (plotly >= 6)."""
    if isinstance(v, dict) and "bdata" in v and "dtype" in v:
        import numpy as np

        arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
        if v.get("shape"):
            shape = [int(s) for s in str(v["shape"]).split(",")]
            arr = arr.reshape(shape)
        return arr.tolist()
    return v


class StreamlitSession:
    """One tab of a Streamlit app at `base_url` ("http://127.0.0.1:8501"), over its WebSocket.

    `cookies`: cookies to send (a balancer's sticky cookie, from an earlier session's
    `cookies`: a reload); the health check's Set-Cookie headers are added. Use `open` for a
    page, `set_widget`/`click`/`slide`/`pick` for the widgets, `close` at the end.
    """

    def __init__(self, base_url: str, cookies: dict[str, str] | None = None,
                 timeout_s: float = 300.0, cache_messages: bool = True):
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.cache_messages = cache_messages
        self.jar = http.cookiejar.CookieJar()
        self._extra_cookies = dict(cookies or {})
        self._cv = threading.Condition()
        self._ws: websocket.WebSocket | None = None
        self._reader: threading.Thread | None = None
        self._closed = False
        self.error: str | None = None  # why the connection ended, if it did on its own
        self.pages: dict[str, str] = {}  # url_pathname -> page_script_hash
        self.default_page = ""  # the default page's url_pathname
        self.page_hash = ""  # the page on screen
        self.query = ""  # the URL's query string, as the server last set it
        self.widgets: dict[tuple, Widget] = {}  # delta path -> widget on the page
        self.states: dict[str, WidgetState] = {}  # widget id -> the value this tab holds
        self.auto: dict[str, list[float]] = {}  # fragment id -> [interval, next due]
        self._runs: dict[str, _Run] = {}
        self._current: _Run | None = None
        self._wait: _Wait | None = None
        self._cache: dict[str, ForwardMsg] = {}
        self.exceptions: list[str] = []  # every exception element seen, auto-reruns included
        self.auto_reruns = 0  # fragment auto-reruns sent
        self.received_bytes = 0
        self.session_id = ""

    # -- connection -----------------------------------------------------------------------------
    @property
    def cookies(self) -> dict[str, str]:
        """The cookies this tab holds (the health check's and the ones given)."""
        return {**self._extra_cookies, **{c.name: c.value for c in self.jar}}

    def connect(self) -> StreamlitSession:
        """Health check (sets the XSRF cookie, and a balancer's sticky cookie), then the
        WebSocket with the frontend's subprotocols, origin and cookies; starts the reader."""
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        req = urllib.request.Request(self.base_url + "/_stcore/health")
        if self._extra_cookies:
            req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self._extra_cookies.items()))
        with opener.open(req, timeout=self.timeout_s) as r:
            r.read()
        cookies = self.cookies
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        url = f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream"
        protocols = ["streamlit", cookies.get("_streamlit_xsrf") or "PLACEHOLDER_AUTH_TOKEN"]
        self._ws = websocket.create_connection(
            url, subprotocols=protocols, origin=f"{parts.scheme}://{parts.netloc}",
            cookie="; ".join(f"{k}={v}" for k, v in cookies.items()) or None,
            timeout=self.timeout_s, enable_multithread=True)
        self._ws.settimeout(0.2)  # the reader wakes up to fire auto-reruns
        self._reader = threading.Thread(target=self._read_loop, name="stload-reader",
                                        daemon=True)
        self._reader.start()
        return self

    def close(self) -> None:
        """Close the WebSocket (the server ends the session as for a closed tab)."""
        with self._cv:
            self._closed = True
            self._cv.notify_all()
        ws, self._ws = self._ws, None
        if ws is not None:
            try:
                ws.close(timeout=2)
            except Exception:  # already gone; closing is best effort
                pass
        if self._reader is not None and self._reader is not threading.current_thread():
            self._reader.join(5)

    def __enter__(self) -> StreamlitSession:
        return self.connect()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- what the caller does -------------------------------------------------------------------
    def open(self, page_path: str = "", query: str | None = None,
             timeout_s: float | None = None) -> Rerun:
        """Show page `page_path` ("wall", "/wall", "" for the default page) as a click in the
        sidebar (or, on the first run, a freshly loaded tab) does; `query` replaces the URL's
        query string ("tr_ep=2&lang=zh"), else it is kept. Returns when the page's run is over."""
        if self._ws is None:
            self.connect()
        page = page_path.strip("/")
        if query is not None:
            self.query = query.lstrip("?")
        cs = ClientState(query_string=self.query)
        page_hash = self.pages.get(page) or (self.pages.get(self.default_page)
                                              if page == "" and self.pages else None)
        if page_hash:
            cs.page_script_hash = page_hash
        else:
            cs.page_name = page
        # as the frontend on a page change: the states of the widgets still on screen (the
        # sidebar's); the page's own are dropped with its elements
        cs.widget_states.widgets.extend(self._active_states())
        return self._rerun(cs, name=f"/{page}", timeout_s=timeout_s, new_page=True)

    def rerun(self, timeout_s: float | None = None) -> Rerun:
        """The whole page again, as the "Rerun" menu item does."""
        cs = ClientState(query_string=self.query, page_script_hash=self.page_hash)
        cs.widget_states.widgets.extend(self._active_states())
        return self._rerun(cs, name="rerun", timeout_s=timeout_s)

    def widget(self, key: str) -> Widget:
        """The widget made with `key=key` on the page (exact key, else the one key that starts
        with `key`: "g_x:" finds "g_x:<model>"); StreamlitError when there is none."""
        with self._cv:
            ws = list(self.widgets.values())
        exact = [w for w in ws if w.key == key]
        if exact:
            return exact[-1]
        starts = [w for w in ws if (w.key or "").startswith(key)]
        if starts:
            return starts[-1]
        keys = sorted({w.key for w in ws if w.key})
        raise StreamlitError(f"no widget with key {key!r} on the page (keys: {keys})")

    def value(self, key: str) -> Any:
        """What widget `key` shows now (the value this tab would send): a list for a slider,
        select_slider or pills; None for a widget without a value."""
        w = self.widget(key)
        with self._cv:
            held = self.states.get(w.id)
        if held is None:
            return None
        v = getattr(held, held.WhichOneof("value"))
        return list(v.data) if hasattr(v, "data") else v

    def has_widget(self, key: str) -> bool:
        try:
            self.widget(key)
            return True
        except StreamlitError:
            return False

    def set_widget(self, key: str, value: Any, timeout_s: float | None = None) -> Rerun:
        """Give widget `key` a value as a person would, and wait for the rerun it causes (its
        fragment's alone when the widget is in a fragment). Values: a slider a number (or a
        (lo, hi) pair), a select_slider/selectbox/radio an option's label, a toggle/checkbox a
        bool, a button True, pills a label or a list of labels, a number_input a number, a
        plotly chart its selection state (a dict; see `pick`)."""
        w = self.widget(key)
        state = encode(w, value)
        with self._cv:
            if state.WhichOneof("value") != "trigger_value":
                self.states[w.id] = state
            widgets = [s for i, s in self._active_state_items() if i != w.id] + [state]
        cs = ClientState(query_string=self.query, page_script_hash=self.page_hash,
                         fragment_id=w.fragment_id)
        cs.widget_states.widgets.extend(widgets)
        return self._rerun(cs, name=f"{key}", timeout_s=timeout_s)

    def click(self, key: str, timeout_s: float | None = None) -> Rerun:
        """Press button `key`."""
        return self.set_widget(key, True, timeout_s)

    def slide(self, key: str, fraction: float, timeout_s: float | None = None) -> Rerun:
        """Move slider `key` to `fraction` (0..1) of its range, on its step (a select_slider:
        to the option at that fraction)."""
        return self.set_widget(key, slider_value(self.widget(key), fraction), timeout_s)

    def pick(self, chart_key: str, selection: dict | list | None,
             timeout_s: float | None = None) -> Rerun:
        """Select on the plotly chart `chart_key` (drawn with on_select): `selection` is the
        frontend's selection dict ({"points": [...], "box": [...], ...}) or a list of points
        (see `chart_points`); None clears it. The widget's value is the JSON string that
        Streamlit's PlotlyChart component sends: {"selection": {"points", "point_indices",
        "box", "lasso"}} (streamlit/elements/plotly_chart.py reads it back)."""
        if isinstance(selection, list):
            selection = {"points": selection}
        sel = {"points": [], "point_indices": [], "box": [], "lasso": [], **(selection or {})}
        if not sel["point_indices"]:
            sel["point_indices"] = sorted({p["point_index"] for p in sel["points"]
                                           if "point_index" in p})
        return self.set_widget(chart_key, {"selection": sel}, timeout_s)

    def chart_points(self, chart_key: str, trace: int | str | None = None) -> list[dict]:
        """The points of plotly chart `chart_key` as a click on them reports them (curve and
        point numbers, x, y, customdata, the trace's legendgroup), read from the figure the
        server sent. `trace`: a trace number or legendgroup prefix ("digit:" for the wall's
        marks); all traces when None."""
        spec = json.loads(self.widget(chart_key).proto.spec or "{}")
        points = []
        for c, tr in enumerate(spec.get("data", [])):
            group = tr.get("legendgroup") or ""
            if isinstance(trace, int) and c != trace:
                continue
            if isinstance(trace, str) and not group.startswith(trace):
                continue
            xs, ys = _decode_typed(tr.get("x")), _decode_typed(tr.get("y"))
            if not isinstance(xs, list) or not isinstance(ys, list):
                continue
            cd = _decode_typed(tr.get("customdata"))
            for i, (x, y) in enumerate(zip(xs, ys, strict=False)):
                p = {"curve_number": c, "point_number": i, "point_index": i, "x": x, "y": y}
                if group:
                    p["legendgroup"] = group
                if isinstance(cd, list) and i < len(cd):
                    p["customdata"] = cd[i]
                points.append(p)
        return points

    def elements(self) -> list[Element]:
        """The elements of the page's last full run (and its fragments' later runs)."""
        with self._cv:
            return [w.proto for w in self.widgets.values()]

    # -- sending and waiting --------------------------------------------------------------------
    def _active_state_items(self) -> list[tuple[str, WidgetState]]:
        on_page = {w.id for w in self.widgets.values()}
        return [(i, s) for i, s in self.states.items() if i in on_page]

    def _active_states(self) -> list[WidgetState]:
        with self._cv:
            return [s for _, s in self._active_state_items()]

    def _send(self, cs: ClientState) -> None:
        if self.cache_messages:
            cs.cached_message_hashes.extend(self._cache.keys())
        ws = self._ws
        if ws is None:
            raise StreamlitError(self.error or "not connected")
        ws.send_binary(BackMsg(rerun_script=cs).SerializeToString())

    def _rerun(self, cs: ClientState, name: str, timeout_s: float | None,
               new_page: bool = False) -> Rerun:
        timeout_s = self.timeout_s if timeout_s is None else timeout_s
        with self._cv:
            if self._wait is not None:
                raise StreamlitError("one rerun at a time per session")
            self._wait = _Wait(time.monotonic(), cs.fragment_id, after_run_ids=set(self._runs))
            if new_page:  # the frontend ends the page's auto-reruns on a page change
                self.auto.clear()
            t0 = self._wait.sent
            received0 = self.received_bytes
        try:
            self._send(cs)
            with self._cv:
                while self._wait.done is None:
                    if self._closed or self.error:
                        raise StreamlitError(self.error or "session closed")
                    left = t0 + timeout_s - time.monotonic()
                    if left <= 0:
                        raise StreamlitError(f"{name}: no script_finished within "
                                             f"{timeout_s:.0f} s")
                    self._cv.wait(min(left, 1.0))
                run = self._wait.done
                took = time.monotonic() - t0
                received = self.received_bytes - received0
        finally:
            with self._cv:
                self._wait = None
        return Rerun(name=name, seconds=took, status=ForwardMsg.ScriptFinishedStatus.Name(
            run.status), run_id=run.run_id, fragment_id=cs.fragment_id,
            elements=list(run.elements), exceptions=list(run.exceptions),
            warnings=list(run.warnings), received_bytes=received)

    # -- receiving ------------------------------------------------------------------------------
    def _read_loop(self) -> None:
        try:
            while not self._closed:
                ws = self._ws
                if ws is None:
                    break
                try:
                    op, data = ws.recv_data(control_frame=False)
                except websocket.WebSocketTimeoutException:
                    self._fire_auto_reruns()
                    continue
                if op == websocket.ABNF.OPCODE_CLOSE:
                    raise StreamlitError("the server closed the WebSocket")
                if op != websocket.ABNF.OPCODE_BINARY:
                    continue
                msg = ForwardMsg()
                msg.ParseFromString(data)
                with self._cv:
                    self.received_bytes += len(data)
                    self._handle(msg, len(data))
                    self._cv.notify_all()
                self._fire_auto_reruns()
        except Exception as e:  # the connection is over: tell the waiting caller why
            if not self._closed:
                with self._cv:
                    self.error = f"{type(e).__name__}: {e}"
                    self._cv.notify_all()

    def _fire_auto_reruns(self) -> None:
        """The frontend's setInterval for each `auto_rerun`: a fragment rerun, with the
        widget states, flagged is_auto_rerun."""
        now = time.monotonic()
        due = []
        with self._cv:
            for fid, slot in self.auto.items():
                if now >= slot[1]:
                    slot[1] = now + slot[0]
                    due.append(fid)
            states = [s for _, s in self._active_state_items()]
        for fid in due:
            cs = ClientState(query_string=self.query, page_script_hash=self.page_hash,
                             fragment_id=fid, is_auto_rerun=True)
            cs.widget_states.widgets.extend(states)
            try:
                self._send(cs)
                self.auto_reruns += 1
            except Exception as e:  # the connection is gone; the reader will say so
                self.error = self.error or f"{type(e).__name__}: {e}"

    def _handle(self, msg: ForwardMsg, size: int) -> None:
        """One ForwardMsg (called with the lock held)."""
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":  # a message this tab listed as cached: use the cached one
            cached = self._cache.get(msg.ref_hash)
            if cached is None:
                self.error = f"ref_hash {msg.ref_hash} not in this tab's cache"
                return
            full = ForwardMsg()
            full.CopyFrom(cached)
            full.metadata.CopyFrom(msg.metadata)
            msg, kind = full, full.WhichOneof("type")
        elif self.cache_messages and msg.metadata.cacheable and msg.hash:
            self._cache[msg.hash] = msg
        run = self._current
        if run is not None:
            run.received_bytes += size
        if kind == "new_session":
            self._new_run(msg)
        elif kind == "delta":
            self._delta(msg)
        elif kind == "script_finished":
            self._finished(msg)
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "navigation":
            self._pages(msg.navigation.app_pages)
        elif kind == "auto_rerun":
            a = msg.auto_rerun
            if a.fragment_id:
                old = self.auto.get(a.fragment_id)
                if old is None or old[0] != a.interval:
                    self.auto[a.fragment_id] = [a.interval, time.monotonic() + a.interval]
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids:
                self.auto.pop(fid, None)
        elif kind == "page_not_found":
            self._problem(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "session_event":
            ev = msg.session_event
            if ev.WhichOneof("type") == "script_compilation_exception":
                e = ev.script_compilation_exception
                self._problem(f"{e.type}: {e.message}")
        # session_status_changed, page_config_changed, logo, heartbeat_ack, ...: nothing to do

    def _pages(self, pages: Any) -> None:
        for p in pages:
            self.pages[p.url_pathname] = p.page_script_hash
            if p.is_default:
                self.default_page = p.url_pathname
                self.pages.setdefault("", p.page_script_hash)

    def _new_run(self, msg: ForwardMsg) -> None:
        ns = msg.new_session
        ident = msg.metadata.run
        run = _Run(ident.script_run_id, tuple(ident.fragment_ids), time.monotonic())
        self._runs[run.run_id] = run
        self._current = run
        if len(self._runs) > 200:  # keep the bookkeeping small on long runs
            for rid in list(self._runs)[:100]:
                self._runs.pop(rid, None)
        if ns.HasField("initialize"):
            self.session_id = ns.initialize.session_id or self.session_id
        if ns.app_pages:
            self._pages(ns.app_pages)
        if not run.fragment_ids:  # a full run: a new page on screen, its auto-reruns anew
            self.page_hash = ns.page_script_hash
            self.widgets.clear()
            self.auto.clear()
        w = self._wait
        if w is not None and run.run_id not in w.after_run_ids and w.run is None:
            # the server runs queued fragments together: a run of [lease, wall] is the wall's
            if not run.fragment_ids or (w.fragment_id and w.fragment_id in run.fragment_ids):
                w.run = run

    def _delta(self, msg: ForwardMsg) -> None:
        d = msg.delta
        run = self._current
        if d.WhichOneof("type") != "new_element":
            return
        el = d.new_element
        kind = el.WhichOneof("type")
        if run is not None:
            run.elements.append(el)
        if kind == "exception":
            text = f"{el.exception.type}: {el.exception.message}"
            if el.exception.is_warning:
                if run is not None:
                    run.warnings.append(text)
            else:
                self._problem(text)
            return
        proto = getattr(el, kind) if kind else None
        widget_id = getattr(proto, "id", "") if proto is not None else ""
        if widget_id and kind in WIDGETS:
            w = Widget(widget_id, kind, proto, d.fragment_id, run.run_id if run else "")
            # as the frontend's widgets: each commits its value on mount (the default), a
            # value the server set (session state) replaces the tab's, else the tab keeps its
            if getattr(proto, "set_value", False) or widget_id not in self.states:
                shown = shown_state(w)
                if shown is not None:
                    self.states[widget_id] = shown
                else:
                    self.states.pop(widget_id, None)
            self.widgets[tuple(msg.metadata.delta_path)] = w

    def _problem(self, text: str) -> None:
        self.exceptions.append(text)
        if self._current is not None:
            self._current.exceptions.append(text)

    def _finished(self, msg: ForwardMsg) -> None:
        rid = msg.metadata.run.script_run_id
        run = self._runs.get(rid) or self._current
        if run is None:
            return
        run.status = msg.script_finished
        if run.fragment_ids and msg.script_finished in FINISHED:
            # as the frontend's clearStaleNodes: what the fragments drew before and not now
            for path, wd in list(self.widgets.items()):
                if wd.fragment_id in run.fragment_ids and wd.run_id != run.run_id:
                    del self.widgets[path]
        w = self._wait
        if w is None or w.run is None or run is not w.run:
            return
        if msg.script_finished in FINISHED:
            w.done = run
        else:  # ended early for a rerun (st.rerun, st.switch_page): the next full run counts
            w.run = None
            w.after_run_ids = set(self._runs)


# -- widget values ------------------------------------------------------------------------------
def encode(w: Widget, value: Any) -> WidgetState:
    """The WidgetState that Streamlit's frontend sends for `value` on widget `w` (the value
    types each widget registers in streamlit/elements/widgets/*.py)."""
    s = WidgetState(id=w.id)
    p = w.proto
    if w.kind == "slider":
        if p.type == Slider.SELECT_SLIDER:
            labels = list(value) if isinstance(value, (list, tuple)) else [value]
            bad = [v for v in labels if str(v) not in list(p.options)]
            if bad:
                raise StreamlitError(f"{w.key}: {bad} not among {list(p.options)}")
            s.string_array_value.data.extend(str(v) for v in labels)
        else:
            vals = list(value) if isinstance(value, (list, tuple)) else [value]
            s.double_array_value.data.extend(float(v) for v in vals)
    elif w.kind in ("selectbox", "radio"):
        if str(value) not in list(p.options):
            raise StreamlitError(f"{w.key}: {value!r} not among {list(p.options)}")
        s.string_value = str(value)
    elif w.kind == "checkbox":
        s.bool_value = bool(value)
    elif w.kind in ("button", "download_button"):
        s.trigger_value = True
    elif w.kind == "number_input":
        s.double_value = float(value)
    elif w.kind in ("button_group", "multiselect"):
        labels = list(value) if isinstance(value, (list, tuple)) else [value]
        s.string_array_value.data.extend(str(v) for v in labels)
    elif w.kind in ("plotly_chart", "text_input", "text_area", "color_picker"):
        s.string_value = value if isinstance(value, str) else json.dumps(value)
    else:
        raise StreamlitError(f"{w.key}: setting a {w.kind} is not supported")
    return s


def _has(proto: Any, name: str) -> bool:
    try:
        return proto.HasField(name)
    except ValueError:  # not an optional field: always there
        return True


def shown_state(w: Widget) -> WidgetState | None:
    """The WidgetState of what widget `w` shows as drawn: the value the server set
    (`set_value`), else its default; None for a widget without a value (a button, a chart
    with nothing selected, a selectbox with no default)."""
    p, s = w.proto, WidgetState(id=w.id)
    set_value = getattr(p, "set_value", False)
    if w.kind == "slider":
        if p.type == Slider.SELECT_SLIDER:
            if set_value and len(p.raw_value):
                s.string_array_value.data.extend(p.raw_value)
            else:
                idx = list(p.value) if set_value else list(p.default)
                s.string_array_value.data.extend(p.options[int(i)] for i in idx)
        else:
            s.double_array_value.data.extend(p.value if set_value else p.default)
    elif w.kind in ("selectbox", "radio"):
        if set_value and _has(p, "raw_value"):
            s.string_value = p.raw_value
        elif _has(p, "default") and 0 <= p.default < len(p.options):
            s.string_value = p.options[p.default]
        else:
            return None
    elif w.kind == "checkbox":
        s.bool_value = p.value if set_value else p.default
    elif w.kind == "number_input":
        if set_value and _has(p, "value"):
            s.double_value = p.value
        elif _has(p, "default"):
            s.double_value = p.default
        else:
            return None
    elif w.kind == "button_group":
        if set_value:
            s.string_array_value.data.extend(p.raw_values)
        else:
            s.string_array_value.data.extend(p.options[int(i)].content for i in p.default)
    else:
        return None
    return s


def slider_value(w: Widget, fraction: float) -> Any:
    """The value at `fraction` (0..1) of slider `w`'s range, on its step; for a select_slider
    the option label there."""
    p, f = w.proto, min(max(fraction, 0.0), 1.0)
    if w.kind != "slider":
        raise StreamlitError(f"{w.key} is a {w.kind}, not a slider")
    if p.type == Slider.SELECT_SLIDER:
        return list(p.options)[round(f * (len(p.options) - 1))]
    steps = round((p.max - p.min) / p.step) if p.step else 0
    v = p.min + (round(f * steps) * p.step if steps else f * (p.max - p.min))
    v = min(max(v, p.min), p.max)
    return int(round(v)) if p.data_type == Slider.INT else round(v, 10)
