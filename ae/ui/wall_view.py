"""Streamlit glue of the latent-wall page: the wall and its picker, the three defect panels,
the book's random points with their recognisability, continuity, the decoded grid and the wall
over time.

Why a module: `pages/wall.py` stays one readable screen that tells the lesson in order, while
widgets, callbacks and caching live here. Everything expensive is computed once per model
through `state.derived`; what a learner does often (picking a point, the continuity probe, the
scrubber) runs in a fragment, so a click reruns that section only. A chart's selection is
turned into a latent point by `ae.picking` (pure, unit-tested); the charts' `on_select`
callbacks store it and move the coordinate sliders, so sliders and charts always agree.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from ae import analysis, fmt, plots
from ae.analysis import defects, gallery, picking
from ae.data.sources import Dataset
from ae.plots.latent import GROUP_PICKED
from ae.ui import cached, resources, state
from ae.ui.i18n import all_texts, language, t

COLOR, SEED = "w_color", "w_seed"  # the page's query parameters
N_SAMPLES, N_MANIFOLD, N_PICK_GRID, N_SCORE = 30, 20, 41, 1000  # the book's 30 and 20 x 20
BOOK_PAIR = (2.0, -2.0, 2.1, -2.1)  # the article's continuity probe: (2, -2) vs (2.1, -2.1)
PAIR_KEYS = ("w_ax", "w_ay", "w_bx", "w_by")
WALL_CHART = "w_wall"
NO_BAR = {"displayModeBar": False}
RING = "#FFB000"  # the picked point: gold stands out on black marks and on the digit colours


@dataclass
class Wall:
    """The test set on the wall, computed once per model."""

    codes: np.ndarray       # (N, z_dim) the marks
    xy: np.ndarray          # (N, 2) as drawn (the PCA view when z_dim > 2)
    labels: np.ndarray      # (N,) digits
    images: Any             # the test images (uint8 (N, 28, 28)), to show a clicked mark's original
    axis_label: str | None  # None, "PCA 1/2" or "z (1-D)"
    view: picking.View
    bounds: picking.SliderBounds
    pick_grid: np.ndarray   # (M, 2) the faint pickable markers, a little beyond the marks
    scale: float            # the wall's size (`ae.fmt.spread`): how finely positions are shown

    @property
    def z_dim(self) -> int:
        return self.view.z_dim


def load(inplay: state.InPlay, ds: Dataset) -> Wall | None:
    """The wall of the model in play, or None when its codes are not finite (diverged).
    The codes, their picture and view are the ones every page shares (`cached`)."""
    def compute() -> Wall | None:
        codes = cached.test_codes(inplay, ds)
        if not len(codes) or not np.isfinite(codes).all():
            return None
        xy, label = cached.test_wall(inplay, ds)
        b = picking.slider_bounds(xy)
        corners = np.array([[b.x[0], b.y[0]], [b.x[1], b.y[1]]])
        return Wall(codes, xy, np.asarray(ds.y_test).astype(np.int64), ds.x_test, label,
                    cached.wall_view(inplay, ds), b,
                    analysis.grid_points(corners, N_PICK_GRID), fmt.spread(xy))
    return state.derived(inplay, "wall.wall", compute)


def ptexts(name: str) -> dict[str, str]:
    """A figure builder's texts (keys of `ae.plots.TEXTS[name]`) in the session's language."""
    have = all_texts()
    return {k: t(f"wall.plot.{name}.{k}") for k in plots.TEXTS[name]
            if f"wall.plot.{name}.{k}" in have}


def show_code(*fns: Callable) -> None:
    """The `ae` functions behind a figure: the code is the lesson (as in the hello app)."""
    with st.expander(t("show_code")):
        for fn in fns:
            st.code(source(fn), language="python")


@functools.cache
def source(fn: Callable) -> str:
    return inspect.getsource(fn)


def chart(fig: Any, **kw: Any) -> Any:
    return st.plotly_chart(fig, config=NO_BAR, **kw)


# -- caches: building a Plotly figure costs ~100 ms, sending a built one ~10 ms -----------------
def model_figure(inplay: state.InPlay, name: str, build: Callable[[], Any], *key: Any) -> Any:
    """A figure that depends only on the model (and the language, and `key`): built once per
    model (server-wide for shipped models). Streamlit only reads it (`to_dict`)."""
    return state.derived(inplay, f"wall.fig.{name}.{language()}." + ".".join(map(str, key)),
                         build)


def memo(name: str, key: Any, build: Callable[[], Any]) -> Any:
    """A one-slot cache in the session: rebuilt when `key` changes (a new pick, seed, pair),
    reused by every other rerun (a toggle elsewhere, a click in another section)."""
    slot = st.session_state.setdefault("_w_memo", {})
    if name not in slot or slot[name][0] != key:
        slot[name] = (key, build())
    return slot[name][1]


DEFECTS: dict[str, Callable[[Wall], Any]] = {  # the article's three defects, measured
    "gaps": lambda w: defects.gaps(w.xy),
    "areas": lambda w: defects.uneven_areas(w.xy, w.labels),
    "symmetry": lambda w: defects.symmetry_bounds(w.xy),
}


def defect_report(inplay: state.InPlay, wall: Wall, name: str) -> Any:
    """One of DEFECTS for this model, computed once (no Streamlit: `warmup` calls it too)."""
    return state.derived(inplay, f"wall.{name}", lambda: DEFECTS[name](wall))


def defect(inplay: state.InPlay, wall: Wall, name: str) -> Any:
    """A defect report for the page; an error becomes a warning, never a traceback."""
    try:
        return defect_report(inplay, wall, name)
    except Exception as e:  # e.g. a degenerate wall where every code is the same point
        st.warning(t("wall.defect.error", msg=str(e)[:200]))
        return None


# -- query parameters: colour and seed -------------------------------------------------------
def init_params() -> None:
    """First render in this session: the URL's choices, defaults for anything unreadable.
    The colour goes to "_w_color", the start value of its `kept_toggle`."""
    if "_w_color" not in st.session_state:
        st.session_state["_w_color"] = st.query_params.get(COLOR) == "digit"
    if SEED not in st.session_state:
        st.session_state[SEED] = gallery.parse_int(st.query_params.get(SEED), 0, 10**9 - 1) or 0


def sync_params() -> None:
    """The page's choices into the URL, beside the sidebar's."""
    for key, value in ((COLOR, "digit" if st.session_state[COLOR] else "black"),
                       (SEED, str(st.session_state[SEED]))):
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def kept_toggle(label: str, key: str, default: bool, **kwargs) -> bool:
    """A toggle whose choice outlives the page (kept as "_<key>"): Streamlit drops a widget's
    key on pages without it, which reset the choice at every visit."""
    kept = f"_{key}"
    on = st.toggle(label, state.first_value(key, st.session_state.get(kept, default), False),
                   key=key, **kwargs)
    st.session_state[kept] = on
    return on


def color_by() -> str:
    on = kept_toggle(t("wall.color"), COLOR, False, help=t("wall.color.help"))
    return "digit" if on else "none"


def show_samples() -> bool:
    """The book's red points on the wall, or not."""
    return kept_toggle(t("wall.show_samples"), "w_red", True)


def resample() -> None:
    st.session_state[SEED] = int(np.random.default_rng().integers(1, 10**9))


def samples(w: Wall) -> np.ndarray:
    """The book's 30 red points for the session's seed, on the picture."""
    return analysis.sample_uniform(w.xy, N_SAMPLES, st.session_state[SEED])


# -- the picked point ------------------------------------------------------------------------
def point(inplay: state.InPlay, w: Wall) -> picking.WallPoint:
    """The picked point of this model; the first test image's mark until something is picked."""
    held = st.session_state.get("_w_point")
    if held is None or held[0] != inplay.key:
        set_point(inplay.key, picking.code_point(0, w.codes, w.view, w.labels), w)
    return st.session_state["_w_point"][1]


def set_point(key: str, p: picking.WallPoint, w: Wall, on_wall: bool = False) -> None:
    """Keep the pick (and whether it was clicked on the wall chart itself) and move the
    sliders to it. Sliders not drawn yet (a first visit, back from another page) take it as
    their first value instead (`state.first_value`)."""
    st.session_state["_w_point"] = (key, p, on_wall)
    if "w_px" in st.session_state:
        st.session_state["w_px"], st.session_state["w_py"] = w.bounds.clamp(p.xy)


def on_pick(chart_key: str, key: str, w: Wall, kind: str | None = None) -> Callable[[], None]:
    """`on_select` callback of a chart: its selection becomes the picked point."""
    def callback() -> None:
        event = st.session_state.get(chart_key) or {}
        p = picking.from_selection(event.get("selection"), w.view, w.codes, w.labels, kind=kind)
        if p is not None:
            set_point(key, p, w, on_wall=chart_key == WALL_CHART)
    return callback


def on_slide(key: str, w: Wall) -> None:
    set_point(key, picking.at((st.session_state["w_px"], st.session_state["w_py"]), w.view), w)


def axis_names(w: Wall) -> tuple[str, str]:
    if w.axis_label == "PCA 1/2":
        return t("wall.x.pca"), t("wall.y.pca")
    return t("wall.x"), t("wall.y")


def wall_figure(inplay: state.InPlay, w: Wall, color: str, red: np.ndarray | None,
                p: picking.WallPoint) -> Any:
    """The wall, built once per (model, language, colour, red points) in this session.

    Streamlit remounts a chart whose figure changed, which loses the learner's zoom. So a pick
    made on this chart leaves the figure as it is (Plotly's own selection marks it, in gold);
    only a pick made elsewhere (sliders, the grid of pictures) moves the gold ring. The figure
    is this session's own object, so moving the ring in place is safe.
    """
    def build() -> Any:
        fig = plots.latent_figure(w.xy, w.labels, color_by=color, samples=red, grid=w.pick_grid,
                                  picked=p.xy, axis_label=w.axis_label, uirevision=inplay.key,
                                  texts=ptexts("latent"))
        # gold, not black: a black ring or selection vanishes in the book's black cloud
        ring(fig).marker = dict(size=[26, 9], color=["rgba(0,0,0,0)", RING], symbol="circle",
                                line=dict(width=[4, 1.5], color=[RING, "#000000"]))
        for tr in fig.data:
            if tr.legendgroup.startswith("digit:") or tr.legendgroup == "grid":
                tr.selected = dict(marker=dict(color=RING, opacity=1.0, size=13))
        return fig

    key = (inplay.key, language(), color, None if red is None else red.tobytes())
    fig = memo("wall", key, build)
    on_wall = st.session_state["_w_point"][2]
    ring(fig).x, ring(fig).y = ([], []) if on_wall else ([p.xy[0]] * 2, [p.xy[1]] * 2)
    return fig


def ring(fig: Any) -> Any:
    return next(tr for tr in fig.data if tr.legendgroup == GROUP_PICKED)


@st.fragment
def wall_section(inplay: state.InPlay, w: Wall, color: str, red: np.ndarray | None,
                 gap: Any) -> None:
    """The wall and the picked point painted beside it; a pick reruns this section only."""
    p = point(inplay, w)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.plotly_chart(wall_figure(inplay, w, color, red, p), key=WALL_CHART,
                        on_select=on_pick(WALL_CHART, inplay.key, w),
                        selection_mode=("points", "box"))
    with right:
        st.markdown(f"**{t('wall.pick.h', pt=fmt.point(p.xy, w.scale, extra=1))}**")
        image = painted(inplay, w, p)
        describe(w, p, image, gap)
        st.caption(t("wall.pick.sliders"))
        b, (nx, ny) = w.bounds, axis_names(w)
        x, y = b.clamp(p.xy)
        st.slider(nx, b.x[0], b.x[1], state.first_value("w_px", x), step=b.step,
                  format=b.format, key="w_px", on_change=on_slide, args=(inplay.key, w))
        st.slider(ny, b.y[0], b.y[1], state.first_value("w_py", y), step=b.step,
                  format=b.format, key="w_py", on_change=on_slide, args=(inplay.key, w),
                  disabled=w.view.z_dim == 1)


def painted(inplay: state.InPlay, w: Wall, p: picking.WallPoint) -> np.ndarray:
    """The picked point decoded, shown at once: beside its original when it is a test image's
    mark. Plain enlarged images, not a Plotly figure: ~1 ms instead of ~40 ms per pick."""
    image = analysis.decode(inplay.model, [p.z])[0]
    if p.kind == "code":
        original = analysis.to_input(w.images[p.index:p.index + 1])[0, 0].numpy()
        for col, img, cap in zip(st.columns(2), (original, image),
                                 (t("wall.pick.original"), t("wall.pick.painted")), strict=True):
            col.image(enlarged(img), caption=cap)
    else:
        st.image(enlarged(image), caption=t("wall.pick.painted"))
    return image


def enlarged(image: np.ndarray, scale: int = 6) -> np.ndarray:
    """(H, W) in [0, 1] -> uint8 (H*scale, W*scale), dark ink on a light ground like the
    figures (the book's gray_r); each pixel a crisp square, as the browser would blur it."""
    grey = np.rint((1.0 - np.clip(np.nan_to_num(image), 0.0, 1.0)) * 243).astype(np.uint8)
    return np.kron(grey, np.ones((scale, scale), np.uint8))


def describe(w: Wall, p: picking.WallPoint, image: np.ndarray, gap: Any) -> None:
    """What kind of place the picked point is: a mark, near one, or in a gap; and what the
    digit classifier reads in the picture."""
    if p.kind == "code":
        st.markdown(t("wall.pick.code", index=p.index, digit=p.digit))
    else:
        st.markdown(t(f"wall.pick.kind.{p.kind}", index=p.index))
        i, d = picking.nearest_code(w.xy, p.xy)
        if gap is not None:
            st.markdown(t("wall.pick.near", digit=int(w.labels[i]),
                          dist=fmt.length(d, w.scale, extra=1),
                          times=d / max(gap.spacing, 1e-12)))
            if d > gap.radius:
                st.markdown(t("wall.pick.gap", radius=fmt.length(gap.radius, w.scale, extra=1)))
    clf = classifier()
    if clf is not None:
        from ae.analysis import classifier as cl

        r = cl.recognisability(clf, image[None])
        st.markdown(t("wall.pick.clf", pred=int(r.predictions[0]), conf=float(r.confidence[0])))


def classifier() -> Any:
    """The shipped digit classifier, or None (absent, or unreadable: never a traceback)."""
    try:
        return resources.classifier()
    except Exception:  # a broken asset must not take the page down; the score panel says so
        return None
