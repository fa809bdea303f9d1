"""The wall page's continuity panel: two points of the wall (the article's (2, -2) and
(2.1, -2.1), or the picked point and a small step from it), their pictures, how much they
differ, and the profile along the line between them."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ae import analysis, fmt, plots
from ae.ui import defect_panels, results, state, wall_picker
from ae.ui.figures import chart, plot_texts
from ae.ui.i18n import language, t

BOOK_PAIR = (2.0, -2.0, 2.1, -2.1)  # the article's continuity probe: (2, -2) vs (2.1, -2.1)
PAIR_KEYS = ("w_ax", "w_ay", "w_bx", "w_by")


def pair_places(w: results.Wall) -> int:
    """Decimals of the pair's inputs: the book's 2 on a trained wall, more on a small one."""
    return max(2, fmt.decimals(w.scale, extra=1))


def book_pair() -> None:
    st.session_state.update(zip(PAIR_KEYS, BOOK_PAIR, strict=True))


def pair_from_pick(w: results.Wall) -> None:
    """A = the picked point, B = a small step (+s, -s) away: the book's 0.1 on a trained wall,
    less on a small one (an untrained wall is only a few hundredths wide)."""
    held = st.session_state.get(wall_picker.PICKED)
    if held is not None:
        places = pair_places(w)
        s = min(BOOK_PAIR[2] - BOOK_PAIR[0], 10.0 ** (1 - places))
        x, y = (round(v, places) for v in held[1].xy)
        st.session_state.update(zip(PAIR_KEYS, (x, y, round(x + s, places),
                                                round(y - s, places)), strict=True))


@st.cache_resource(show_spinner=False, scope="session", max_entries=2)
def probe(model_key: str, pair_bytes: bytes, lang: str, _model, _w: results.Wall,
          _pair: np.ndarray) -> tuple:
    """The continuity report of a pair of picture points, its figure and the profile's."""
    za, zb = _w.view.to_latent(_pair)
    rep = analysis.continuity(_model, za, zb)
    prof = analysis.continuity_profile(_model, za, zb, k=21)
    return (rep, plots.continuity_figure(rep, cell_px=120,
                                         texts=plot_texts("wall.plot", "continuity")),
            plots.continuity_profile_figure(
                prof, texts=plot_texts("wall.plot", "continuity_profile")))


@st.fragment
def section(inplay: state.InPlay, w: results.Wall) -> None:
    """Two points, their pictures, how different they are, and the profile along the line."""
    nx, ny = wall_picker.axis_names(w)
    labels = [f"{t(f'wall.cont.{p}')} · {n}" for p in "ab" for n in (nx, ny)]
    places = pair_places(w)
    for col, key, label, v in zip(st.columns(4), PAIR_KEYS, labels, BOOK_PAIR, strict=True):
        col.number_input(label, -1000.0, 1000.0, state.first_value(key, v, "min"),
                         step=min(0.1, 10.0 ** (1 - places)), format=f"%.{places}f", key=key)
    c1, c2 = st.columns(2)
    c1.button(t("wall.cont.book"), on_click=book_pair, key="w_cont_book")
    c2.button(t("wall.cont.picked"), on_click=pair_from_pick, args=(w,), key="w_cont_pick")
    if w.view.projected:
        st.caption(t("wall.cont.pca"))
    pair = np.array([float(st.session_state[k]) for k in PAIR_KEYS]).reshape(2, 2)
    rep, fig, profile_fig = probe(inplay.key, pair.tobytes(), language(), inplay.model, w, pair)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        chart(fig)
    with right:
        defect_panels.metrics([(t("wall.cont.mse"), fmt.number(rep.mse), None),
                               (t("wall.cont.max"), fmt.number(rep.max_abs, 2), None)])
        distance = fmt.length(float(np.hypot(*(pair[1] - pair[0]))), least=3)
        defect_panels.metrics([(t("wall.cont.changed"), f"{rep.changed_share:.1%}",
                                t("wall.cont.changed.help")),
                               (t("wall.cont.dist"), distance, None)])
    st.caption(t("wall.cont.profile"))
    chart(profile_fig)
