"""The class wall's sections: the teacher's room (open it, its code, link and QR code, clear
and close it, the wall the students fill, refreshed every few seconds) and the students' page
(draw, say, send), over the server's one room store (`rooms.make_store`: in memory, or the
SQLite file AE_ROOMS_DB that replicas share).

What a session keeps: the teacher's session the room's code and its secret key (ROOM), nowhere
else; a student's session a random token (STUDENT) that the store counts marks by. The students'
drawing and its preparation are the own-digit page's (`ae.ui.own_digit.source`, with widget
keys of their own). Every refusal of the store is said in the session's language.
"""

from __future__ import annotations

import secrets
from typing import Any

import numpy as np
import streamlit as st

from ae import rooms
from ae.rooms import RoomError
from ae.rooms import wall as room_wall
from ae.rooms.link import PARAM
from ae.ui import own_digit, resources, state
from ae.ui.figures import chart, plot_texts
from ae.ui.i18n import t
from ae.ui.results import Wall
from ae.ui.wall_picker import enlarged

ROOM, STUDENT, PLACED = "cw_room", "cw_student", "cw_placed"  # session-state keys
NOTE, ERROR, FLASH = "cw_note", "cw_error", "cw_flash"
PREFIX = "cw"  # the students' drawing widgets: cw_source, cw_canvas_<gen>, cw_up_<gen>, ...
SAID, PICK, CHART = "cw_said", "cw_pick", "cw_wall"
REFRESH_S = 2.0  # the teacher's wall asks the store this often
__all__ = ["PARAM", "live_wall", "student_view", "store"]


@st.cache_resource(show_spinner=False)
def store() -> rooms.Store:
    """The server's rooms: one store for every session (limits from the environment); in
    memory, or the SQLite file AE_ROOMS_DB names that replicas share (`rooms.make_store`).
    A file that cannot be used raises `rooms.StoreError`, not cached: the page shows it, with
    the path and why, until the file is fixed."""
    return rooms.make_store(rooms.Limits.from_env())


@st.cache_resource(show_spinner=False)
def _lan() -> str | None:
    return rooms.lan_address()


def say(reason: str, params: dict) -> str:
    return t(f"cw.err.{reason}", **params)


def refusal(e: RoomError | rooms.StoreError) -> tuple[str, dict]:
    """(reason, params) of what a room refused, or of a store that cannot be used ("store":
    a shared AE_ROOMS_DB file that is not a room file, or stays locked), for `say`."""
    if isinstance(e, RoomError):
        return e.reason, e.params
    return "store", {"msg": str(e).rstrip(".")}


def ready() -> bool:
    """Whether the room store can be used; if not, says so in the page's words and why, and
    the page stops."""
    try:
        store()
    except rooms.StoreError as e:
        st.error(say(*refusal(e)))
        return False
    return True


# -- the teacher ------------------------------------------------------------------------------
def room() -> tuple[str, str] | None:
    """This teacher session's room: (code, key), or None."""
    return st.session_state.get(ROOM)


def notes() -> None:
    """What the last click did (a room closed, the wall cleared, a refusal), said once."""
    if (note := st.session_state.pop(NOTE, None)) is not None:
        st.info(t(note[0], **note[1]))
    if (err := st.session_state.pop(ERROR, None)) is not None:
        st.error(say(*err))


def open_section() -> None:
    """No room yet: what is shared and the limits, and the button that opens one."""
    lim = store().limits
    st.markdown(t("cw.open.text", per_student=lim.per_student, max_marks=lim.max_marks,
                  hours=lim.ttl_s / 3600))
    st.button(t("cw.open"), on_click=_open, type="primary", key="cw_open")


def _open() -> None:
    try:
        opened = store().open()
    except (RoomError, rooms.StoreError) as e:
        st.session_state[ERROR] = refusal(e)
        return
    st.session_state[ROOM] = (opened.code, opened.key)
    st.session_state.pop(PICK, None)


def link() -> rooms.Link:
    """The students' link, from the address the teacher's browser used (its Host header, or a
    proxy's X-Forwarded-Host and -Proto) and the server's base path."""
    return rooms.room_link(room()[0], _base_url(),
                           port=int(st.get_option("server.port") or 8501), lan=_lan())


def _base_url() -> str | None:
    """The app's root as the teacher's browser reached it, or None (no request: AppTest).

    Not `st.context.url`: Streamlit 1.67 trims a page's path from it by plain suffix, so on
    this page (`class_wall`) the wall page's path `wall` leaves `.../class_`."""
    try:
        h = st.context.headers
        host = (h.get("X-Forwarded-Host") or h.get("Host") or "").split(",")[0].strip()
        scheme = (h.get("X-Forwarded-Proto") or "http").split(",")[0].strip()
    except Exception:  # no request behind this run
        return None
    if not isinstance(host, str) or not host:
        return None
    path = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{scheme}://{host}/{path}"


def invitation() -> None:
    """The room's code, its link as text to copy, and its QR code."""
    code = room()[0]
    where = link()
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(t("cw.link"))
        st.code(where.url, language=None)
        if where.swapped:
            st.caption(t("cw.link.swapped", host=where.url.split("/")[2]))
        elif where.local:
            st.warning(t("cw.link.local"))
        c1, c2 = st.columns(2)
        c1.button(t("cw.clear"), on_click=_clear, key="cw_clear", help=t("cw.clear.help"))
        c2.button(t("cw.close"), on_click=_close, key="cw_close", help=t("cw.close.help"))
    with right:
        st.image(_qr(where.url), caption=t("cw.qr", code=code), width=240)


@st.cache_data(show_spinner=False, max_entries=16)
def _qr(url: str) -> bytes:
    return rooms.qr_png(url)


def _teacher_call(fn: Any, *args: Any) -> Any:
    """A store call with this session's room and key; a refusal (the room closed or expired
    meanwhile) forgets the room and says why."""
    code, key = room()
    try:
        return fn(code, key, *args)
    except RoomError as e:
        _lost(e)
        return None


def _lost(e: RoomError) -> None:
    st.session_state.pop(ROOM, None)
    st.session_state[NOTE] = ("cw.gone", {"msg": say(e.reason, e.params)})


def _clear() -> None:
    _teacher_call(store().clear)
    if room() is not None:
        st.session_state[NOTE] = ("cw.cleared", {})


def _close() -> None:
    code, key = room()
    try:
        store().close(code, key)
    except RoomError as e:  # expired meanwhile: gone all the same
        _lost(e)
        return
    st.session_state.pop(ROOM, None)
    st.session_state[NOTE] = ("cw.closed.note", {"code": code})


def _remove(mark_id: int) -> None:
    _teacher_call(store().remove, mark_id)
    st.session_state.pop(PICK, None)


def _placed(inplay: state.InPlay, marks: tuple[rooms.Mark, ...], version: int,
            code: str) -> room_wall.Placed:
    """The room's marks placed by the model in play, once per change of the room."""
    stamp = (inplay.key, code, version)
    kept = st.session_state.get(PLACED)
    if kept is None or kept[0] != stamp:
        kept = (stamp, room_wall.place(inplay.model, marks,
                                          resources.classifier(inplay.dataset)))
        st.session_state[PLACED] = kept
    return kept[1]


@st.fragment(run_every=REFRESH_S)
def live_wall(inplay: state.InPlay, w: Wall) -> None:
    """The wall with the class's digits, asked of the store every REFRESH_S seconds; beside it
    the picked digit (a click on a star, or the list) as sent and as D.Coder repaints it."""
    if room() is None:
        return
    seen = _teacher_call(store().watch)
    if seen is None:  # closed or expired meanwhile: the whole page says so
        st.rerun(scope="app")
    placed = _placed(inplay, seen.marks, seen.version, seen.code)
    lim = store().limits
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.caption(t("cw.count", n=len(placed.ids), limit=lim.max_marks, s=REFRESH_S))
        texts = plot_texts("wall.plot", "latent") | {
            k: t(f"cw.plot.{k}") for k in ("title", "own", "mark", "reads")}
        fig = room_wall.wall_figure(w.xy, w.labels, w.view.to_picture(placed.codes), placed,
                                    axis_label=w.axis_label, texts=texts)
        chart(fig, key=CHART, on_select=_on_pick(fig), selection_mode="points")
        if w.z_dim != 2:
            st.caption(t("cw.pca", z=w.z_dim))
    with right:
        _picked(placed)


def _on_pick(fig: Any):
    def callback() -> None:
        event = st.session_state.get(CHART) or {}
        if (mark_id := room_wall.picked_id(event.get("selection"), fig)) is not None:
            st.session_state[PICK] = mark_id
    return callback


def _picked(placed: room_wall.Placed) -> None:
    """The picked digit (else the newest): as sent, repainted, read; a list to pick from;
    the button that removes it."""
    if not len(placed.ids):
        st.info(t("cw.empty"))
        return
    ids = [int(i) for i in placed.ids[::-1]]  # newest first
    if st.session_state.get(PICK) not in ids:
        st.session_state.pop(PICK, None)
    label = {i: t("cw.pick.option", id=i, digit=placed.digits[placed.index(i)]) for i in ids}
    chosen = st.selectbox(t("cw.pick"), ids, index=None, key=PICK, format_func=label.get,
                          help=t("cw.pick.help"))
    i = placed.index(ids[0] if chosen is None else chosen)
    mark_id, said = int(placed.ids[i]), placed.digits[i]
    st.markdown(t("cw.pick.newest" if chosen is None else "cw.pick.chosen", id=mark_id,
                  digit=said))
    c1, c2 = st.columns(2)
    c1.image(enlarged(placed.images[i], 5), caption=t("cw.input"))
    c2.image(enlarged(placed.repainted[i], 5), caption=t("cw.repainted"))
    if (read := placed.reads[i]) is not None:
        st.markdown(t("cw.read", d=read[0], p=read[1]))
    st.button(t("cw.remove"), on_click=_remove, args=(mark_id,), key="cw_remove")


# -- the students -----------------------------------------------------------------------------
def student() -> str:
    """This session's random token (no name): what the store counts a student's marks by."""
    if STUDENT not in st.session_state:
        st.session_state[STUDENT] = secrets.token_urlsafe(16)
    return st.session_state[STUDENT]


def student_view(code: str) -> None:
    """The room's state, then the drawing, the digit said, and Send; or why not."""
    if (n := st.session_state.pop(FLASH, None)) is not None:
        st.toast(t("cw.sent", digit=n), icon="📌")
    s = store()
    try:
        here = s.get(code)
        sent = s.sent(here.code, student())
    except RoomError as e:
        st.error(say(e.reason, e.params))
        return
    limit = s.limits.per_student
    st.markdown(t("cw.student.room", code=here.code, n=sent, limit=limit))
    if (err := st.session_state.pop(ERROR, None)) is not None:
        st.error(say(*err) + " " + t("cw.err.kept"))
    if sent >= limit:
        st.warning(say("student_full", {"limit": limit}))
        st.success(t("cw.student.done"))
        return
    left, right = st.columns(2, gap="large")
    with left:
        prepared = own_digit.source(PREFIX, kept="cw.err.kept")
    with right:
        digit = own_digit.said(SAID, "cw.said.help")
        if prepared is not None:
            st.image(enlarged(prepared.image, 5), caption=t("cw.prepared"))
        ready = prepared is not None and digit is not None
        st.button(t("cw.send"), on_click=_send, type="primary", key="cw_send",
                  disabled=not ready,
                  args=(here.code, prepared.image if prepared is not None else None, digit))
        if not ready:
            st.caption(t("cw.send.need_picture" if prepared is None else "cw.send.need_digit"))


def _send(code: str, image: np.ndarray | None, digit: int | None) -> None:
    try:
        store().add(code, student(), image, digit)
    except (RoomError, rooms.StoreError) as e:  # the drawing stays: it may be sent again
        st.session_state[ERROR] = refusal(e)
        return
    st.session_state[FLASH] = digit
    st.session_state[f"{PREFIX}_gen"] = st.session_state.get(f"{PREFIX}_gen", 0) + 1
    st.session_state[SAID] = None

