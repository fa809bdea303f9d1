"""The own-digit page's sections: the digit's source (canvas, upload, camera), its preparation
as pictures, where it lands and what is read in it, and the session's kept digits.

The kept digits are a `MarkBook` in the session: pictures, not marks, so they land wherever the
model in play pins them, on this page and (with the switch) on every wall page (`layer`).
Nothing here is shared with another session. Every refusal of `ae.data.digit_image` is shown
in the learner's language and changes nothing: the kept digits stay as they were.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st
from PIL import Image
from streamlit_drawable_canvas import st_canvas

from ae import analysis, fmt, plots
from ae.analysis import own_digit
from ae.analysis.own_digit import MAX_MARKS, Landing, MarkBook
from ae.data import digit_image
from ae.data.digit_image import DigitImageError, Prepared
from ae.ui import classes, resources, state
from ae.ui.figures import chart, plot_texts
from ae.ui.i18n import t, translated_radio
from ae.ui.results import Wall
from ae.ui.wall_picker import enlarged, spread_closeup

BOOK, SHOW, GEN, SAID, FLASH = "own_book", "own_show", "own_gen", "own_said", "own_flash"
SOURCES = ["draw", "upload", "camera"]
CANVAS = 280  # px: ten canvas pixels per MNIST pixel
UPLOAD_MB = digit_image.MAX_BYTES // 2**20
PICTURE_TYPES = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff"]
STEP_PX = 140  # each step's picture is sent this large (its longer side)


# -- the session's kept digits ----------------------------------------------------------------
def book() -> MarkBook:
    if BOOK not in st.session_state:
        st.session_state[BOOK] = MarkBook()
    return st.session_state[BOOK]


def toggle(page: str) -> None:
    """The switch that shows the kept digits on the walls; drawn only when there are some.

    One choice for every page, kept as SHOW; each page draws its own widget (`<SHOW>_<page>`),
    because a widget key that another page drew last run hands the new one a stale state."""
    if not book().marks:
        return
    key = f"{SHOW}_{page}"
    st.session_state[SHOW] = st.toggle(
        t("own.mine.show"), state.first_value(key, st.session_state.get(SHOW, True), False),
        key=key, help=t("own.mine.show.help"))


def layer(model: Any, w: Wall) -> tuple[np.ndarray, list[int | None]] | None:
    """The kept digits where `model` pins them, in the wall's picture (its PCA view for more
    than two dimensions), with the digits said; None when there are none or they are hidden."""
    b = book()
    if not b.marks or not st.session_state.get(SHOW, True):
        return None
    return w.view.to_picture(b.codes(model)), b.digits()


def fingerprint(*parts: Any) -> tuple:
    """A cache key for a layer's arrays and digits (a figure cached per session keeps them)."""
    return tuple(p.tobytes() if isinstance(p, np.ndarray) else repr(p) for p in parts)


# -- 1. the source ------------------------------------------------------------------------------
def source(prefix: str = "own", kept: str = "own.err.kept") -> Prepared | None:
    """The chosen source drawn (the camera only when chosen: it asks for permission), its
    picture prepared like MNIST; None while there is nothing to prepare or it was refused.

    Its widgets' keys start with `prefix` (the class wall's student page has its own); a
    larger `<prefix>_gen` in the session starts every source afresh. `kept` is the text said
    after a refusal (what did not change)."""
    choice = translated_radio(t("own.source"), SOURCES, f"{prefix}_source",
                              lambda s: t(f"own.source.{s}"), horizontal=True)
    gen = st.session_state.get(f"{prefix}_gen", 0)  # a kept digit starts every source afresh
    try:
        if choice == "draw":
            return _drawn(prefix, gen)
        if choice == "upload":
            f = st.file_uploader(t("own.upload", mb=UPLOAD_MB), type=PICTURE_TYPES,
                                 key=f"{prefix}_up_{gen}", max_upload_size=UPLOAD_MB)
        else:
            f = st.camera_input(t("own.camera"), key=f"{prefix}_cam_{gen}")
        if f is None:
            st.caption(t(f"own.waiting.{choice}"))
            return None
        return _from_file(f.getvalue())
    except DigitImageError as e:
        st.error(t(f"own.err.{e.reason}", **e.params) + " " + t(kept))
        return None


def _drawn(prefix: str, gen: int) -> Prepared | None:
    st.caption(t("own.draw.help"))
    pen_key = f"{prefix}_pen"
    pen = st.slider(t("own.pen"), 6, 40, state.first_value(pen_key, 20), key=pen_key,
                    help=t("own.pen.help"))
    result = st_canvas(stroke_width=pen, stroke_color="#000000", background_color="#FFFFFF",
                       height=CANVAS, width=CANVAS, drawing_mode="freedraw",
                       update_streamlit=True, display_toolbar=True,
                       key=f"{prefix}_canvas_{gen}")
    strokes = (result.json_data or {}).get("objects") or []
    if result.image_data is None or not strokes:
        st.caption(t("own.waiting.draw"))
        return None
    return digit_image.from_pixels(result.image_data)


@st.cache_data(show_spinner=False, max_entries=4)
def _from_file(data: bytes) -> Prepared:
    """A file prepared once, however often the page reruns (a large photo takes a moment)."""
    return digit_image.from_file(data)


def said(key: str = SAID, help_key: str = "own.said.help") -> int | None:
    """The digit the learner says they drew (None: not said)."""
    return st.pills(t("own.said"), list(range(10)), key=key, help=t(help_key))


# -- 2. the preparation -------------------------------------------------------------------------
def steps(prep: Prepared) -> None:
    """The five steps as pictures, each with what it did."""
    for note in prep.notes:
        st.info(t(f"own.note.{note.reason}", **note.params))
    caps = {"grey": t("own.step.grey", h=prep.steps["grey"].shape[0],
                      w=prep.steps["grey"].shape[1]),
            "dark": t("own.step.dark." + ("inverted" if prep.inverted else "kept")),
            "cropped": t("own.step.cropped", h=prep.steps["cropped"].shape[0],
                         w=prep.steps["cropped"].shape[1]),
            "scaled": t("own.step.scaled", h=prep.steps["scaled"].shape[0],
                        w=prep.steps["scaled"].shape[1]),
            "centred": t("own.step.centred")}
    for col, (name, img) in zip(st.columns(len(prep.steps)), prep.steps.items(), strict=True):
        col.image(shown(img), caption=f"{list(prep.steps).index(name) + 1}. {caps[name]}",
                  width="stretch")


def shown(img: np.ndarray, side: int = STEP_PX) -> np.ndarray:
    """A step's picture as it is (0 black, 1 white) in a square of `side` pixels, padded with
    its own paper, so that the five steps line up: small pictures with crisp pixels, a large
    photo shrunk smoothly (never megabytes to the browser)."""
    a = np.clip(np.nan_to_num(img), 0, 1)
    n = max(a.shape)
    square = np.full((n, n), digit_image.paper(a), np.float32)
    top, left = (n - a.shape[0]) // 2, (n - a.shape[1]) // 2
    square[top:top + a.shape[0], left:left + a.shape[1]] = a
    u8 = Image.fromarray((square * 255).round().astype(np.uint8))
    return np.asarray(u8.resize((side, side), Image.NEAREST if side >= n else Image.LANCZOS))


# -- 3. where it lands --------------------------------------------------------------------------
def land(inplay: state.InPlay, w: Wall, prep: Prepared) -> Landing:
    return own_digit.land(inplay.model, prep.image, w.codes,
                          resources.classifier(inplay.dataset))  # the model's data set's


def wall_view(inplay: state.InPlay, w: Wall, at: Landing, digit: int | None) -> None:
    """The wall with this drawing's mark (a VAE: its patch too) and the kept digits."""
    now = w.view.to_picture(at.code)[0]
    mine = layer(inplay.model, w)
    two_d = w.z_dim == 2
    spread = (at.code, at.sigma) if at.sigma is not None and two_d else None
    fig = plots.landing_figure(
        w.xy, w.labels, mine[0] if mine else np.zeros((0, 2)), mine[1] if mine else [],
        now=now, now_digit=digit, spread=spread, axis_label=w.axis_label,
        texts=plot_texts("wall.plot", "latent") | plot_texts("own.plot", "landing"))
    chart(fig, key="own_wall")
    if not two_d:
        st.caption(t("own.land.pca", z=w.z_dim))


def readings(inplay: state.InPlay, w: Wall, at: Landing, digit: int | None) -> None:
    """The prepared input beside its repainting, what the classifier reads in each, the
    mark's coordinates, and a VAE's patch in close-up."""
    st.markdown(t("own.land.at", pt=fmt.point(w.view.to_picture(at.code)[0], w.scale,
                                                extra=1)))
    for col, img, cap, read in zip(
            st.columns(2), (at.image, at.repainted),
            (t("own.land.input"), t("own.land.repainted")),
            (at.read_input, at.read_repainted), strict=True):
        col.image(enlarged(img, 5), caption=cap)
        col.markdown(_reading(read, digit, inplay.dataset))
    if at.sigma is not None:
        st.caption(t("own.land.sigma", sx=fmt.length(float(at.sigma[0]), w.scale, extra=1),
                     sy=fmt.length(float(at.sigma[-1]), w.scale, extra=1)))
        spread_closeup(w, at.code, at.sigma, t("own.spread.title"), key="own_spread")


def _reading(read: tuple[int, float] | None, digit: int | None, dataset: str = "mnist") -> str:
    """What the data set's classifier reads (a Fashion-MNIST model's reads clothes: named)."""
    if read is None:
        return t("own.read.none")
    text = t("own.read", d=classes.name(dataset, read[0]), p=read[1])
    if digit is not None:
        text += " · " + (t("own.read.agrees") if read[0] == digit
                         else t("own.read.differs", said=digit))
    return text


def nearest(w: Wall, at: Landing, dataset: str = "mnist") -> None:
    """The five nearest test marks' pictures, their labels' names and distances."""
    for col, i, d in zip(st.columns(len(at.nearest)), at.nearest, at.nearest_distance,
                         strict=True):
        original = analysis.to_input(w.images[i:i + 1])[0, 0].numpy()
        col.image(enlarged(original, 3), caption=t(
            "own.nearest.cap", digit=classes.name(dataset, w.labels[i]),
            dist=fmt.length(float(d), w.scale, extra=1)))


def keep_button(prep: Prepared, digit: int | None) -> None:
    """Keep the drawing on the wall; then every source starts afresh for the next digit.
    A full book disables the button and says why."""
    full = len(book().marks) >= MAX_MARKS
    st.button(t("own.pin"), on_click=_keep, args=(prep.image, digit, st.session_state.get(GEN, 0)),
              type="primary", help=t("own.pin.help"), key="own_keep", disabled=full)
    if full:
        st.warning(t("own.mine.full", limit=MAX_MARKS))


def _keep(image: np.ndarray, digit: int | None, gen: int) -> None:
    """Keep the drawing of source generation `gen`, once: a click that reaches the server
    twice (a rerun that cut the first one short resends it) finds the generation moved on."""
    b = book()
    if len(b.marks) >= MAX_MARKS:  # a second tab of the session filled it meanwhile
        return
    if st.session_state.get(GEN, 0) != gen:  # this drawing is kept already
        return
    b.add(image, digit)
    st.session_state[FLASH] = len(b.marks)
    st.session_state[GEN] = st.session_state.get(GEN, 0) + 1
    st.session_state[SAID] = None


def flash() -> None:
    """The last Keep, said once in a toast (it outlives the rerun the fresh canvas makes)."""
    if (n := st.session_state.pop(FLASH, None)) is not None:
        st.toast(t("own.pinned", n=n), icon="📌")


# -- 4. the kept digits -------------------------------------------------------------------------
def mine(inplay: state.InPlay, w: Wall) -> None:
    """The kept digits: each with its mark under the model in play and a Remove button; the
    switch for the wall pages; the pictures and marks to download."""
    b = book()
    st.subheader(t("own.h.mine", n=len(b.marks), limit=MAX_MARKS))
    if not b.marks:
        st.caption(t("own.mine.empty", limit=MAX_MARKS))
        return
    codes = b.codes(inplay.model)
    toggle("own")
    c1, c2, c3 = st.columns(3)
    # made only when clicked, not on every rerun of the page
    c1.download_button(t("own.mine.png"), b.to_png_strip, "my_digits.png", "image/png",
                       key="own_png", on_click="ignore")
    c2.download_button(t("own.mine.csv"), lambda: b.to_csv(codes), "my_digits.csv",
                       "text/csv", key="own_csv", on_click="ignore")
    c3.button(t("own.mine.clear"), on_click=b.marks.clear, key="own_clear")
    per_row = 10
    for start in range(0, len(b.marks), per_row):
        for col, i in zip(st.columns(per_row), range(start, min(start + per_row,
                                                                 len(b.marks))), strict=False):
            m = b.marks[i]
            col.image(enlarged(m.image, 2), caption=t(
                "own.mine.cap", n=i + 1, said="?" if m.digit is None else m.digit,
                pt=fmt.point(w.view.to_picture(codes[i])[0], w.scale)))
            col.button(t("own.mine.remove"), key=f"own_rm_{i}", on_click=b.remove, args=(i,))
