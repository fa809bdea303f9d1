"""The latent wall: the test set encoded, any point picked and painted at once, the article's
three defects in numbers, the book's 30 random points, continuity, the 20 x 20 decoded grid,
and the wall forming during training. The wall and its picker are in ae.ui.wall_picker, the
defect panels in ae.ui.defect_panels; what is computed once per model in ae.ui.results."""

import numpy as np
import streamlit as st

from ae import analysis, fmt, plots
from ae.analysis import classifier as digit_classifier
from ae.analysis import defects
from ae.data.sources import Dataset
from ae.ui import defect_panels, header, resources, results, state, t, url, wall_picker
from ae.ui.figures import chart, plot_texts, show_code
from ae.ui.i18n import language

N_SAMPLES, N_MANIFOLD = 30, 20  # the book's 30 random points and its 20 x 20 grid
BOOK_PAIR = (2.0, -2.0, 2.1, -2.1)  # the article's continuity probe: (2, -2) vs (2.1, -2.1)
PAIR_KEYS = ("w_ax", "w_ay", "w_bx", "w_by")
SEED = "w_seed"  # the random points' seed: in the session and in the URL


def kept_toggle(label: str, key: str, default: bool, **kwargs) -> bool:
    """A toggle whose choice outlives the page (kept as "<key>_kept"): Streamlit drops a
    widget's key on pages without it, which reset the choice at every visit."""
    kept = f"{key}_kept"
    on = st.toggle(label, state.first_value(key, st.session_state.get(kept, default), False),
                   key=key, **kwargs)
    st.session_state[kept] = on
    return on


def resample() -> None:
    st.session_state[SEED] = int(np.random.default_rng().integers(1, 10**9))


@st.cache_resource(show_spinner=False, scope="session", max_entries=2)
def painted_samples(model_key: str, red_bytes: bytes, lang: str, _model, _w: results.Wall,
                    _red: np.ndarray) -> tuple[np.ndarray, object]:
    """The 30 red points decoded and their 3 x 10 figure, as in the book."""
    images = analysis.decode(_model, _w.view.to_latent(_red))
    return images, plots.samples_figure(_red, images, scale=_w.scale,
                                        texts=plot_texts("wall.plot", "samples"))


def recognised(inplay: state.InPlay, ds: Dataset, w: results.Wall, images: np.ndarray) -> None:
    """Share of pictures the digit classifier recognises: painted from real marks (the test
    set's reconstructions), from random points, and from these 30."""
    if ds.name == "fashion-mnist":
        st.info(t("wall.rec.other", name=ds.name))
        return
    clf = resources.classifier()
    if clf is None:
        st.info(t("wall.rec.none"))
        return
    try:
        recons, rand = results.recognisability(inplay, ds, w, clf)
        these = digit_classifier.recognisability(clf, images)
    except Exception as e:  # a classifier that does not fit these pictures: say so, go on
        st.warning(t("wall.rec.error", msg=str(e)[:200]))
        return
    helptext = t("wall.rec.help", thr=these.threshold, n=min(results.N_SCORE, len(w.codes)))
    n_ok = int(round(these.share * len(images)))
    defect_panels.metrics([(t("wall.rec.recons"), f"{recons.share:.0%}", helptext),
                           (t("wall.rec.random"), f"{rand.share:.0%}", helptext),
                           (t("wall.rec.these"), f"{n_ok} / {len(images)}", None)])
    st.markdown(t("wall.rec.text.more" if recons.share > rand.share else "wall.rec.text.less"))
    per = ", ".join(f"{d}: {c}" for d, c in enumerate(np.asarray(rand.per_digit_count)))
    st.caption(t("wall.rec.per_digit", n=results.N_SCORE, per=per))


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
def continuity(inplay: state.InPlay, w: results.Wall) -> None:
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


@st.fragment
def wall_over_time(inplay: state.InPlay, ds: Dataset, color: str) -> None:
    """A scrubber over the wall's snapshots recorded while the model trained."""
    try:
        snaps = results.snapshot_frames(inplay.snapshots, ds.y_test)
    except (ValueError, TypeError) as e:
        st.warning(t("wall.time.bad", msg=str(e)[:200]))
        return
    if snaps is None:
        st.info(t("wall.time.none"))
        return
    n_frames, n_probe = snaps["codes"].shape[:2]
    st.markdown(t("wall.time.text", p=n_probe, t=n_frames))
    frame = n_frames - 1
    steps, epochs = snaps.get("steps"), snaps.get("epochs")
    if n_frames > 1:
        def label(i: int) -> str:
            if steps is not None and epochs is not None and len(steps) == len(epochs) == n_frames:
                return t("wall.time.fmt", epoch=int(epochs[i]), step=int(steps[i]))
            return f"{i + 1} / {n_frames}"
        frame = st.select_slider(t("wall.time.frame"), options=list(range(n_frames)),
                                 value=n_frames - 1, format_func=label,
                                 key=f"w_frame:{inplay.key}")
    chart(frame_figure(inplay.key, frame, n_frames, color, language(), snaps))


@st.cache_resource(show_spinner=False, scope="session", max_entries=4)
def frame_figure(model_key: str, frame: int, n_frames: int, color: str, lang: str,
                 _snaps: dict) -> object:
    return plots.wall_frame_figure(_snaps, frame, color_by=color,
                                   texts=plot_texts("wall.plot", "wall_frame"),
                                   code_texts=plot_texts("wall.plot", "latent"))


def manifold(inplay: state.InPlay, w: results.Wall) -> object:
    """The book's decoded grid over the marks' box."""
    pts = analysis.grid_points(w.xy, N_MANIFOLD)
    images = analysis.decode(inplay.model, w.view.to_latent(pts))
    return plots.manifold_figure(images, pts, texts=plot_texts("wall.plot", "manifold"))


# -- the page ---------------------------------------------------------------------------------
inplay, ds = header("wall")
if "w_color_kept" not in st.session_state:  # a shared link opens on the same colour and points
    st.session_state["w_color_kept"] = url.get("w_color") == "digit"
if SEED not in st.session_state:
    st.session_state[SEED] = url.int_in(url.get(SEED), 0, 10**9 - 1) or 0
wall = results.wall(inplay, ds)
if wall is None:
    st.error(t("wall.nonfinite"))
    st.stop()

# -- the wall: every test image's mark; pick any point and D.Coder paints it ---------------------
st.subheader(t("wall.h.wall", n=len(wall.xy)))
c1, c2 = st.columns(2)
with c1:
    color = "digit" if kept_toggle(t("wall.color"), "w_color", False,
                                   help=t("wall.color.help")) else "none"
with c2:
    show_red = kept_toggle(t("wall.show_samples"), "w_red", True)
if wall.z_dim > 2:
    st.info(t("wall.pca", z=wall.z_dim))
elif wall.z_dim == 1:
    st.info(t("wall.one_d"))
st.markdown(t("wall.how"))
gaps = defect_panels.report(inplay, ds, wall, "gaps")
red = analysis.sample_uniform(wall.xy, N_SAMPLES, st.session_state[SEED])  # the book's 30
wall_picker.section(inplay, wall, color, red if show_red else None, gaps)
show_code(analysis.encode, analysis.project_2d)

# -- the three defects, each with its figure, its numbers and what they mean ---------------------
st.subheader(t("wall.h.defects"))
st.markdown(t("wall.defects.intro"))
tab1, tab2, tab3 = st.tabs([t("wall.d1.tab"), t("wall.d2.tab"), t("wall.d3.tab")])
with tab1:
    if (areas := defect_panels.report(inplay, ds, wall, "areas")) is not None:
        defect_panels.areas(inplay, ds, wall, areas)
    show_code(defects.uneven_areas)
with tab2:
    if (sym := defect_panels.report(inplay, ds, wall, "symmetry")) is not None:
        defect_panels.symmetry(inplay, ds, wall, sym, color)
    show_code(defects.symmetry_bounds)
with tab3:
    if gaps is not None:
        defect_panels.gaps(inplay, ds, wall, gaps, color)
    show_code(defects.gaps)

# -- the book's experiment: 30 random points of the wall, painted; a click picks one -------------
st.subheader(t("wall.h.samples"))
st.markdown(t("wall.samples.text"))
c1, c2 = st.columns([1, 3], vertical_alignment="center")
c1.button(t("wall.samples.resample"), on_click=resample, key="w_resample")
c2.caption(t("wall.samples.seed", seed=st.session_state[SEED]))
images, fig = painted_samples(inplay.key, red.tobytes(), language(), inplay.model, wall, red)
chart(fig, key="w_samples_fig", selection_mode="points",
      on_select=wall_picker.on_pick("w_samples_fig", inplay.key, wall, kind="sample"))
st.markdown(f"**{t('wall.rec.h')}**")
recognised(inplay, ds, wall, images)
show_code(analysis.sample_uniform)

# -- continuity: does a small step on the wall give a small change in the picture? ---------------
st.subheader(t("wall.h.cont"))
st.markdown(t("wall.cont.text"))
continuity(inplay, wall)
show_code(analysis.continuity, analysis.continuity_profile)

# -- the whole wall painted: the book's 20 x 20 grid; a click picks that cell on the wall --------
st.subheader(t("wall.h.grid"))
st.markdown(t("wall.grid.text"))
chart(results.figure(inplay, ds, "manifold", lambda: manifold(inplay, wall), language()),
      key="w_grid_fig",
      on_select=wall_picker.on_pick("w_grid_fig", inplay.key, wall), selection_mode="points")
show_code(analysis.grid_points)

# -- the wall over time: the snapshots recorded while the model trained --------------------------
st.subheader(t("wall.h.time"))
wall_over_time(inplay, ds, color)

url.write({"w_color": "digit" if st.session_state["w_color"] else "black",
           SEED: str(st.session_state[SEED])})
