"""The wall page's first section: the wall of test codes, a point picked on it (a click on the
wall, on the red points, on the decoded grid, or the two coordinate sliders) and that point
painted at once, with what kind of place it is.

A chart's selection becomes a latent point through `ae.analysis.picking` (pure, unit-tested);
the charts' `on_select` callbacks keep it and move the sliders, so sliders and charts agree.
The section is a fragment: a pick reruns it alone. For a variational autoencoder, a picked test
image's patch (mu and its spread) is drawn in a close-up beside the wall: drawn on the wall
itself, it would change the wall's figure at every click, and Streamlit remounts a changed
chart (the learner's zoom lost).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import streamlit as st

from ae import analysis, fmt, plots
from ae.analysis import classifier as digit_classifier
from ae.analysis import picking
from ae.model import presets
from ae.plots import latent as plots_latent
from ae.plots.latent import GROUP_PICKED
from ae.ui import classes, resources, state
from ae.ui.figures import plot_texts
from ae.ui.i18n import language, t
from ae.ui.results import Wall

PICKED = "wall_picked_point"  # (model key, picking.WallPoint, picked on the wall chart itself)
WALL_CHART = "w_wall"
RING = "#FFB000"  # the picked point: gold stands out on black marks and on the digit colours


def point(inplay: state.InPlay, w: Wall) -> picking.WallPoint:
    """The picked point of this model; the first test image's mark until something is picked."""
    held = st.session_state.get(PICKED)
    if held is None or held[0] != inplay.key:
        set_point(inplay.key, picking.code_point(0, w.codes, w.view, w.labels), w)
    return st.session_state[PICKED][1]


def set_point(key: str, p: picking.WallPoint, w: Wall, on_wall: bool = False) -> None:
    """Keep the pick and move the sliders to it. Sliders not drawn yet (a first visit, back
    from another page) take it as their first value instead (`state.first_value`)."""
    st.session_state[PICKED] = (key, p, on_wall)
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


def ring(fig: Any) -> Any:
    return next(tr for tr in fig.data if tr.legendgroup == GROUP_PICKED)


@st.cache_resource(show_spinner=False, scope="session", max_entries=2)
def _wall_figure(model_key: str, lang: str, color: str, red_bytes: bytes | None,
                 own_key: tuple | None, dataset: str, _w: Wall, _red: np.ndarray | None,
                 _first: tuple[float, float], _own: tuple[np.ndarray, list] | None) -> Any:
    fig = plots.latent_figure(_w.xy, _w.labels, color_by=color, samples=_red, grid=_w.pick_grid,
                              picked=_first, axis_label=_w.axis_label, uirevision=model_key,
                              class_names=classes.names(dataset),
                              texts=classes.plot_texts("wall.plot", "latent", dataset))
    if _own is not None:  # the learner's kept digits (the own-digit page), as outlined stars
        fig.add_trace(plots.own_trace(*_own, scale=_w.scale,
                                      texts=plot_texts("own.plot", "own")))
    # gold, not black: a black ring or selection vanishes in the book's black cloud
    ring(fig).marker = dict(size=[26, 9], color=["rgba(0,0,0,0)", RING], symbol="circle",
                            line=dict(width=[4, 1.5], color=[RING, "#000000"]))
    for tr in fig.data:
        if tr.legendgroup.startswith("digit:") or tr.legendgroup == "grid":
            tr.selected = dict(marker=dict(color=RING, opacity=1.0, size=13))
    return fig


def wall_figure(inplay: state.InPlay, w: Wall, color: str, red: np.ndarray | None,
                p: picking.WallPoint, own: tuple[np.ndarray, list] | None = None) -> Any:
    """The wall, built once per (model, language, colour, red points) in this session.

    Streamlit remounts a chart whose figure changed, which loses the learner's zoom. So a pick
    made on this chart leaves the figure as it is (Plotly's own selection marks it, in gold);
    only a pick made elsewhere (sliders, the grid of pictures) moves the gold ring. The figure
    is this session's own object, so moving the ring in place is safe."""
    own_key = None if own is None else (own[0].tobytes(), repr(own[1]))
    fig = _wall_figure(inplay.key, language(), color, None if red is None else red.tobytes(),
                       own_key, inplay.dataset, w, red, tuple(p.xy), own)
    on_wall = st.session_state[PICKED][2]
    ring(fig).x, ring(fig).y = ([], []) if on_wall else ([p.xy[0]] * 2, [p.xy[1]] * 2)
    return fig


@st.fragment
def section(inplay: state.InPlay, w: Wall, color: str, red: np.ndarray | None,
            gap: Any, own: tuple[np.ndarray, list] | None = None) -> None:
    """The wall and the picked point painted beside it; a pick reruns this section only.
    `own`: the learner's kept digits (their marks, the digits said), drawn as stars."""
    p = point(inplay, w)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.plotly_chart(wall_figure(inplay, w, color, red, p, own), key=WALL_CHART,
                        on_select=on_pick(WALL_CHART, inplay.key, w),
                        selection_mode=("points", "box"))
    with right:
        st.markdown(f"**{t('wall.pick.h', pt=fmt.point(p.xy, w.scale, extra=1))}**")
        image = painted(inplay, w, p)
        describe(w, p, image, gap, inplay.dataset)
        st.caption(t("wall.pick.sliders"))
        b, (nx, ny) = w.bounds, axis_names(w)
        x, y = b.clamp(p.xy)
        st.slider(nx, b.x[0], b.x[1], state.first_value("w_px", x), step=b.step,
                  format=b.format, key="w_px", on_change=on_slide, args=(inplay.key, w))
        st.slider(ny, b.y[0], b.y[1], state.first_value("w_py", y), step=b.step,
                  format=b.format, key="w_py", on_change=on_slide, args=(inplay.key, w),
                  disabled=w.view.z_dim == 1)
        if inplay.model.config.is_vae and p.kind == "code":
            patch(inplay, w, p)


def patch(inplay: state.InPlay, w: Wall, p: picking.WallPoint) -> None:
    """A VAE's picked test image: the patch N.Coder pins for it (mu, 1 and 2 sigma), close up
    among its neighbours. Only on a true 2-D wall: the PCA view of a patch is not axis-aligned."""
    if w.z_dim != 2:
        st.caption(t("wall.spread.pca"))
        return
    mu, sigma = analysis.encode_spread(inplay.model, w.images[p.index:p.index + 1])
    spread_closeup(w, mu[0], sigma[0], t("wall.spread.title", index=p.index), key="w_spread",
                   dataset=inplay.dataset)
    st.caption(t("wall.spread.caption", mu=fmt.point(mu[0], w.scale, extra=1),
                 sx=fmt.length(float(sigma[0][0]), w.scale, extra=1),
                 sy=fmt.length(float(sigma[0][1]), w.scale, extra=1)))


def spread_closeup(w: Wall, mu: np.ndarray, sigma: np.ndarray, title: str, key: str,
                   dataset: str = "mnist") -> None:
    """A close-up of the wall around a VAE's mark mu: its patch at 1 and 2 sigma among the
    test marks nearby (2-D walls only)."""
    if w.z_dim != 2:
        return
    texts = {"title": title, "spread": t("wall.spread.k"),
             "picked": "mu", "digit": classes.tx("wall.plot.latent.digit", dataset),
             "index": t("wall.plot.latent.index"), "x_title": t("wall.plot.latent.x_title"),
             "y_title": t("wall.plot.latent.y_title")}
    st.plotly_chart(plots_latent.spread_figure(w.xy, w.labels, mu, sigma, texts=texts,
                                               class_names=classes.names(dataset)),
                    key=key, config={"displayModeBar": False})


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


def describe(w: Wall, p: picking.WallPoint, image: np.ndarray, gap: Any,
             dataset: str = "mnist") -> None:
    """What kind of place the picked point is: a mark, near one, or in a gap; and what the
    data set's classifier (digits, or clothes) reads in the picture."""
    if p.kind == "code":
        st.markdown(classes.tx("wall.pick.code", dataset, index=p.index,
                               digit=classes.name(dataset, p.digit)))
    else:
        st.markdown(t(f"wall.pick.kind.{p.kind}", index=p.index,
                      g=presets.for_dataset(dataset).grid_side))
        i, d = picking.nearest_code(w.xy, p.xy)
        if gap is not None:
            st.markdown(classes.tx("wall.pick.near", dataset,
                                   digit=classes.name(dataset, int(w.labels[i])),
                          dist=fmt.length(d, w.scale, extra=1),
                          times=d / max(gap.spacing, 1e-12)))
            if d > gap.radius:
                st.markdown(t("wall.pick.gap", radius=fmt.length(gap.radius, w.scale, extra=1)))
    clf = resources.classifier(dataset)
    if clf is not None:
        r = digit_classifier.recognisability(clf, image[None])
        st.markdown(classes.tx("wall.pick.clf", dataset,
                               pred=classes.name(dataset, int(r.predictions[0])),
                               conf=float(r.confidence[0])))
