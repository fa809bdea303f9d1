"""The wall page's three defects of the article, one panel each: uneven areas, the lost
symmetry around (0, 0), the gaps between the marks.

Each panel draws one report of `ae.analysis.defects` with its figure from `ae.plots`, its
numbers as `st.metric`s and two sentences that say what the numbers mean. Positions and
distances are rounded to the wall's size (`ae.fmt`, `Wall.scale`). Classes are named as the
data set names them (`ae.ui.classes`: digits, or Fashion-MNIST's items of clothing).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from ae import fmt, plots
from ae.data.sources import Dataset
from ae.plots.defects import gap_lengths
from ae.ui import classes, plain, results
from ae.ui.figures import chart
from ae.ui.i18n import language, t
from ae.ui.results import Wall
from ae.ui.state import InPlay


def report(inplay: InPlay, ds: Dataset, w: Wall, name: str) -> Any:
    """A defect report for the page; an error becomes a warning, never a traceback."""
    try:
        return results.defect_report(inplay, ds, w, name)
    except Exception as e:  # e.g. a degenerate wall where every code is the same point
        st.warning(t("wall.defect.error", msg=str(e)[:200]))
        return None


def metrics(items: list[tuple[str, str, str | None]]) -> None:
    """A row of `st.metric`s: (label, value, help)."""
    for col, (label, value, helptext) in zip(st.columns(len(items)), items, strict=True):
        col.metric(label, value, help=helptext)


def _texts(name: str, dataset: str = "mnist") -> dict[str, str]:
    return classes.plot_texts("wall.plot", name, dataset)


def areas(inplay: InPlay, ds: Dataset, w: Wall, r: Any) -> None:
    """Defect 1: some digits own far more of the wall than others."""
    share, smp = np.asarray(r.cell_share), np.asarray(r.sample_share)
    big = int(share.argmax())
    small = int(np.flatnonzero(share > 0)[share[share > 0].argmin()]) if (share > 0).any() else 0
    names, dn = classes.names(ds.name), ds.name
    left, right = st.columns([1, 1], gap="medium")
    with left:
        chart(results.figure(inplay, ds, "area_map", lambda: plots.area_map_figure(
            r, axis_label=w.axis_label, height=480, class_names=names,
            texts=_texts("area_map", dn)), language()))
    with right:
        metrics([(t("wall.d1.ratio"), f"{r.ratio:.1f} ×", classes.tx("wall.d1.ratio.help", dn)),
                 (classes.tx("wall.d1.big", dn, d=names[big]), f"{share[big]:.0%}", None),
                 (classes.tx("wall.d1.small", dn, d=names[small]), f"{share[small]:.0%}", None)])
        st.markdown(classes.tx("wall.d1.text", dn, big=names[big], small=names[small],
                               ratio=r.ratio, big_s=smp[big], small_s=smp[small]))
        chart(results.figure(inplay, ds, "area", lambda: plots.area_figure(
            r, height=320, class_names=names, texts=_texts("area", dn)), language()))
    data = np.bincount(w.labels, minlength=len(share))[:len(share)] / max(len(w.labels), 1)
    shares = [t("wall.d1.col.cell"), t("wall.d1.col.sample"), t("wall.d1.col.data")]
    plain.table({classes.tx("wall.d1.col.digit", dn): classes.of(dn, r.digits),
                 **{h: [f"{v:.1%}" for v in vs] for h, vs in zip(shares, (share, smp, data),
                                                                  strict=True)}}, right=shares)


def symmetry(inplay: InPlay, ds: Dataset, w: Wall, r: Any, color: str) -> None:
    """Defect 2: the wall is not centred on (0, 0), so random points miss it."""
    side_name, side = max(r.side_share.items(), key=lambda kv: kv[1])
    c = fmt.point(r.centroid, w.scale, extra=1)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        chart(results.figure(inplay, ds, "symmetry", lambda: plots.symmetry_figure(
            w.xy, r, w.labels, color_by=color, axis_label=w.axis_label, height=520,
            class_names=classes.names(ds.name), texts=_texts("symmetry", ds.name),
            code_texts=_texts("latent", ds.name)), language(), color))
    with right:
        offset = t("wall.d2.offset.value", v=float(np.abs(r.offset_sigma).max()))
        metrics([(t("wall.d2.centroid"), c, None),
                 (t("wall.d2.offset"), offset, t("wall.d2.offset.help"))])
        metrics([(t("wall.d2.side"), f"{side:.0%}", t("wall.d2.side.help")),
                 (t("wall.d2.far"), f"{r.far_share:.1%}", t("wall.d2.far.help"))])
        x0, x1, y0, y1 = (fmt.coord(v, w.scale) for v in (r.mins[0], r.maxs[0], r.mins[1],
                                                          r.maxs[1]))
        st.markdown(t("wall.d2.text", c=c, side=side, side_name=t(f"wall.side.{side_name}"),
                      xmin=x0, xmax=x1, ymin=y0, ymax=y1, far=r.far_share))


def gaps(inplay: InPlay, ds: Dataset, w: Wall, r: Any, color: str) -> None:
    """Defect 3: large empty stretches between the marks decode to no digit."""
    left, right = st.columns([3, 2], gap="medium")
    with left:
        chart(results.figure(inplay, ds, "gaps", lambda: plots.gap_figure(
            w.xy, r, w.labels, color_by=color, axis_label=w.axis_label, height=520,
            class_names=classes.names(ds.name), texts=_texts("gaps", ds.name),
            code_texts=_texts("latent", ds.name)), language(), color))
    radius, spacing = gap_lengths(r)  # as the figure shows them
    with right:
        metrics([(t("wall.d3.share"), f"{r.gap_share:.0%}", None),
                 (t("wall.d3.radius"), radius, t("wall.d3.radius.help")),
                 (t("wall.d3.spacing"), spacing, t("wall.d3.spacing.help"))])
        st.markdown(t("wall.d3.text", gap=r.gap_share, radius=radius, spacing=spacing))
