"""The lesson mode: the article in STEPS, one screenful each. A step is a short text, a question
the class answers before anything is shown (predict, then reveal), then whether the class was
right, the measured answer of the model in play and one live figure; Back / Next and a
progress bar. The step is in the URL (`?lesson=ae&step=3`), so a reload or a shared link opens
the same step; a prediction, once made, stays with its step and model for the session.

The questions and their answers come from `ae.analysis.lesson`; the numbers from the results
every page shares (`ae.ui.results`), the figures from the builders the pages use. A model of
Fashion-MNIST gets its class names, its classifier, the second edition's counts and the
Fashion-MNIST variant of a text where there is one (`ae.ui.classes`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import streamlit as st

from ae import analysis, plots
from ae.analysis import classifier as digit_classifier
from ae.analysis import featuremaps
from ae.analysis import lesson as q
from ae.data.sources import Dataset
from ae.plots import architecture as arch_plots
from ae.plots import cure as cure_plots
from ae.ui import classes, continuity_panel, defect_panels, models, resources, results, state, url
from ae.ui import wall_sections as sections
from ae.ui.figures import chart, plot_texts
from ae.ui.i18n import all_texts, language, t
from ae.ui.training_view import loss_texts

LESSON = "ae"  # the `lesson` URL parameter's value: the autoencoder lesson
STEPS = ("story", "networks", "training", "reconstructions", "wall", "areas", "symmetry",
         "gaps", "continuity", "generation", "cure")
STEP = "lesson_step"  # the step shown, 0-based, in the session (1-based in the URL)
HEIGHT = 440  # a figure's height: the step's text, question and figure fit one projected screen
BESIDE = {"training", "wall", "areas", "symmetry", "gaps", "continuity"}  # square figures
# questions whose choices are labels, and the facts of their answers that are labels too
LABEL_FACTS = {"worst_digit": ("digit", "best"), "largest_area": ("digit", "small")}


@dataclass
class Step:
    """What one step shows: its question (None: nothing to predict), its figure, a note."""

    question: q.Question | None = None
    figure: Callable[[], None] | None = None
    notes: list[str] = field(default_factory=list)  # said under the reveal (or in place of it)


def kept_key(name: str, inplay: state.InPlay) -> str:
    """Where a step's prediction is kept: per step and per model (another model, a new guess)."""
    return f"lesson_pick:{name}:{inplay.key}"


def widget_key(name: str, inplay: state.InPlay) -> str:
    return f"lesson_w:{name}:{inplay.key}"


# -- the steps -------------------------------------------------------------------------------------
def _story(inplay: state.InPlay, ds: Dataset) -> Step:
    rec = analysis.reconstruct_indices(inplay.model, ds.x_test, ds.y_test, [0])
    fig = plots.pipeline_figure(rec.images[0], rec.codes[0], rec.recons[0], texts={
        k: t(f"home.pipeline.{k}") for k in ("in", "enc", "wall", "dec", "out")})
    return Step(figure=lambda: chart(fig, key="lesson_fig"))


def _networks(inplay: state.InPlay, ds: Dataset) -> Step:
    cfg = inplay.model.config
    texts = {k: t(f"architecture.blocks.{k}") for k in arch_plots.BLOCKS_TEXTS}
    return Step(q.code_size(cfg.z_dim), lambda: chart(arch_plots.blocks_figure(
        featuremaps.stages(cfg), texts=texts), key="lesson_fig"))


def _training(inplay: state.InPlay, ds: Dataset) -> Step:
    history = inplay.history or {}
    question = q.loss_fall(history)
    if question is None:
        return Step(notes=[t("lesson.training.none")])
    steps, epochs = history.get("steps") or [], history.get("epochs") or []
    vae = inplay.model.config.is_vae
    return Step(question, lambda: chart(plots.loss_figure(
        steps, epochs, max_points=1500, height=HEIGHT - 80, texts=loss_texts(vae)),
        key="lesson_fig"))


def _reconstructions(inplay: state.InPlay, ds: Dataset) -> Step:
    question = q.worst_digit(results.recon_errors(inplay, ds).per_digit)

    def figure() -> None:
        rec = analysis.reconstruct(inplay.model, ds.x_test, ds.y_test, n=10, seed=0)
        texts = {k: classes.tx(f"reconstructions.fig.{k}", ds.name)
                 for k in plots.TEXTS["reconstructions"]}
        chart(plots.reconstructions_figure(rec.images, rec.codes, rec.recons, mse=rec.mse,
                                           index=rec.index, labels=classes.of(ds.name, rec.labels),
                                           texts=texts),
              key="lesson_fig")
    return Step(question, figure)


def _figure(inplay: state.InPlay, ds: Dataset, name: str, build: Callable[[], Any]) -> None:
    """A figure of the model in play, built once per model and language."""
    chart(results.figure(inplay, ds, f"lesson.{name}", build, language()), key="lesson_fig")


def _wall(inplay: state.InPlay, ds: Dataset, w: results.Wall) -> Step:
    share = results.cached(inplay, ds, "lesson.same_digit",
                           lambda: q.same_digit_share(w.xy, w.labels))
    return Step(q.neighbours(share), lambda: _figure(inplay, ds, "wall", lambda: (
        plots.latent_figure(w.xy, w.labels, axis_label=w.axis_label, height=HEIGHT,
                            class_names=classes.names(ds.name),
                            texts=classes.plot_texts("wall.plot", "latent", ds.name)))))


def _areas(inplay: state.InPlay, ds: Dataset, w: results.Wall) -> Step:
    if (r := defect_panels.report(inplay, ds, w, "areas")) is None:
        return Step()
    return Step(q.largest_area(r.cell_share), lambda: _figure(inplay, ds, "areas", lambda: (
        plots.area_map_figure(r, axis_label=w.axis_label, height=HEIGHT,
                              class_names=classes.names(ds.name),
                              texts=classes.plot_texts("wall.plot", "area_map", ds.name)))))


def _symmetry(inplay: state.InPlay, ds: Dataset, w: results.Wall) -> Step:
    if (r := defect_panels.report(inplay, ds, w, "symmetry")) is None:
        return Step()
    return Step(q.centred(r.offset_sigma), lambda: _figure(inplay, ds, "symmetry", lambda: (
        plots.symmetry_figure(w.xy, r, w.labels, axis_label=w.axis_label, height=HEIGHT,
                              class_names=classes.names(ds.name),
                              texts=plot_texts("wall.plot", "symmetry"),
                              code_texts=classes.plot_texts("wall.plot", "latent", ds.name)))))


def _gaps(inplay: state.InPlay, ds: Dataset, w: results.Wall) -> Step:
    if (r := defect_panels.report(inplay, ds, w, "gaps")) is None:
        return Step()
    return Step(q.gap_share(r.gap_share), lambda: _figure(inplay, ds, "gaps", lambda: (
        plots.gap_figure(w.xy, r, w.labels, axis_label=w.axis_label, height=HEIGHT,
                         class_names=classes.names(ds.name),
                         texts=plot_texts("wall.plot", "gaps"),
                         code_texts=classes.plot_texts("wall.plot", "latent", ds.name)))))


def _continuity(inplay: state.InPlay, ds: Dataset, w: results.Wall) -> Step:
    pair = np.array(continuity_panel.BOOK_PAIR).reshape(2, 2)  # the article's (2, -2), (2.1, -2.1)
    rep, fig, _ = continuity_panel.probe(inplay.key, pair.tobytes(), language(), inplay.model,
                                         w, pair)
    return Step(q.alike(rep.changed_share, rep.mse), lambda: chart(fig, key="lesson_fig"),
                [t("wall.cont.pca")] if w.view.projected else [])


def _generation(inplay: state.InPlay, ds: Dataset, w: results.Wall) -> Step:
    n = sections.counts(ds.name)[0]  # the edition's 30, or 18
    red = analysis.sample_uniform(w.xy, n, 0)  # the wall page's first points
    images, fig = sections.painted_samples(inplay.key, red.tobytes(), language(), inplay.model,
                                           w, red)
    clf = resources.classifier(ds.name)  # digits, or clothes
    step = Step(figure=lambda: chart(fig, key="lesson_fig"))
    if clf is None:
        step.notes.append(classes.tx("lesson.generation.none", ds.name, n=n))
        return step
    try:
        these = digit_classifier.recognisability(clf, images)
        _, rand = results.recognisability(inplay, ds, w, clf)
    except Exception as e:  # a classifier that does not fit these pictures: say so, go on
        step.notes.append(t("wall.rec.error", msg=str(e)[:200]))
        return step
    step.question = q.readable(int(round(these.share * len(images))), len(images))
    step.notes.append(t("lesson.generation.more", n=min(results.N_SCORE, len(w.codes)),
                        share=rand.share))
    return step


def cure_pair(inplay: state.InPlay, ds: Dataset) -> tuple[state.InPlay, state.InPlay] | None:
    """An autoencoder and a VAE for the cure step: the model in play and its partner (the
    shipped pair trained alike, else the session's own of the other kind, else any shipped
    one), all of the data set in play; None when no partner is in reach."""
    is_vae = inplay.model.config.is_vae
    pairs = dict(resources.PAIRS) if not is_vae else {v: a for a, v in resources.PAIRS}
    own = state.session_models().get("trained" if is_vae else "trained_vae")
    shipped = [n for n in resources.shipped_available()
               if resources.shipped(n).config.is_vae != is_vae
               and resources.shipped(n).dataset == ds.name]
    partner = None
    if pairs.get(inplay.origin) in shipped:
        partner = models.shipped(pairs[inplay.origin])
    elif own is not None and own.dataset == ds.name:
        partner = own
    elif shipped:
        partner = models.shipped(shipped[0])
    if partner is None:
        return None
    return (partner, inplay) if is_vae else (inplay, partner)


def _cure(inplay: state.InPlay, ds: Dataset, w: results.Wall) -> Step:
    pair = cure_pair(inplay, ds)
    walls = None if pair is None else [results.wall(m, ds) for m in pair]
    if pair is None or walls is None or None in walls:
        return Step(notes=[t("lesson.cure.none")])
    areas = [defect_panels.report(m, ds, wm, "areas") for m, wm in zip(pair, walls, strict=True)]
    if None in areas:
        return Step()
    ae, vae = pair
    w_ae, w_vae = walls
    question = q.more_even(areas[0].ratio, areas[1].ratio)
    have = all_texts()
    texts = {k: t(f"cure.plot.walls.{k}") for k in cure_plots.TEXTS["walls"]
             if f"cure.plot.walls.{k}" in have}
    texts["digit"] = classes.tx("cure.plot.walls.digit", ds.name)
    build = lambda: cure_plots.walls_figure(  # noqa: E731 (one figure, built once per pair)
        (w_ae.xy, w_ae.labels), (w_vae.xy, w_vae.labels), height=HEIGHT - 60,
        class_names=classes.names(ds.name), texts=texts)
    return Step(question, lambda: _figure(inplay, ds, f"cure.{ae.key}.{vae.key}", build),
                [t("lesson.cure.models", ae=t(f"cure.model.{ae.origin}"),
                   vae=t(f"cure.model.{vae.origin}"))])


NEEDS_WALL = {"wall": _wall, "areas": _areas, "symmetry": _symmetry, "gaps": _gaps,
              "continuity": _continuity, "generation": _generation, "cure": _cure}
NO_WALL = {"story": _story, "networks": _networks, "training": _training,
           "reconstructions": _reconstructions}


def build(name: str, inplay: state.InPlay, ds: Dataset) -> Step | None:
    """The step `name` for the model in play; None when its wall is not finite (diverged)."""
    if name in NO_WALL:
        return NO_WALL[name](inplay, ds)
    w = results.wall(inplay, ds)
    return None if w is None else NEEDS_WALL[name](inplay, ds, w)


# -- the question, the reveal, the navigation ------------------------------------------------------
def choice_label(choice: str, question: q.Question | None = None,
                 dataset: str = "mnist") -> str:
    """A choice as the class reads it: words translated, digits and ranges as they are, and
    a label the data set's name for it (a Fashion-MNIST "9" is an Ankle boot)."""
    if question is not None and question.key in LABEL_FACTS:
        return classes.name(dataset, int(choice))
    return t(f"lesson.choice.{choice}") if choice in q.WORDS else choice


def _keep(wkey: str, kkey: str) -> None:
    if st.session_state.get(wkey) is not None:
        st.session_state[kkey] = st.session_state[wkey]


def _ask_again(kkey: str, wkey: str) -> None:
    st.session_state.pop(kkey, None)
    st.session_state.pop(wkey, None)


def said_of(name: str, question: q.Question, inplay: state.InPlay) -> str | None:
    """The class's prediction for this step and model, or None before it is made."""
    said = st.session_state.get(kept_key(name, inplay))
    return said if said in question.choices else None  # (a choice of another question: none)


def ask(name: str, question: q.Question, inplay: state.InPlay, said: str | None) -> None:
    """The question with its choices; once the class has predicted, the prediction."""
    kkey, wkey = kept_key(name, inplay), widget_key(name, inplay)
    ds = inplay.dataset
    asked = classes.tx(f"lesson.q.{question.key}", ds, **question.facts)
    if said is None:
        # the labels are made here: see translated_radio
        labels = {c: choice_label(c, question, ds) for c in question.choices}
        st.pills(asked, question.choices, format_func=labels.__getitem__,
                 key=wkey, on_change=_keep, args=(wkey, kkey))
        return
    st.markdown(asked + "  \n" + t("lesson.said", choice=choice_label(said, question, ds)))
    st.button(t("lesson.again"), on_click=_ask_again, args=(kkey, wkey), type="tertiary",
              key=f"lesson_again:{name}", icon="🔄")


def reveal(question: q.Question, said: str, dataset: str = "mnist") -> None:
    """Right or not, and the measured answer of the model in play, in one box."""
    answer = choice_label(question.answer, question, dataset)
    facts = dict(question.facts)
    for k in LABEL_FACTS.get(question.key, ()):  # a label, said by its name
        facts[k] = classes.name(dataset, facts[k])
    measured = classes.tx(f"lesson.a.{question.key}", dataset, **facts)
    if question.is_right(said):
        st.success(t("lesson.right", answer=answer) + "\n\n" + measured, icon="✅")
    else:
        st.warning(t("lesson.wrong", said=choice_label(said, question, dataset), answer=answer)
                   + "\n\n" + measured, icon="🤔")


def go(i: int) -> None:
    st.session_state[STEP] = min(max(i, 0), len(STEPS) - 1)


def current_step() -> int:
    """The step shown: the session's, else the URL's (a reload, a shared link), else the first."""
    if STEP not in st.session_state:
        st.session_state[STEP] = (url.int_in(url.get("step"), 1, len(STEPS)) or 1) - 1
    return int(st.session_state[STEP])


def navigation(i: int) -> None:
    """Back, the progress bar, Next; the step goes into the URL."""
    back, bar, forward = st.columns([1, 5, 1], vertical_alignment="center")
    back.button(t("lesson.back"), on_click=go, args=(i - 1,), disabled=i == 0,
                key="lesson_back", icon="⬅️", width="stretch")
    bar.progress((i + 1) / len(STEPS), text=t("lesson.progress", i=i + 1, n=len(STEPS),
                                              title=t(f"lesson.{STEPS[i]}.title")))
    forward.button(t("lesson.next"), on_click=go, args=(i + 1,), disabled=i == len(STEPS) - 1,
                   key="lesson_next", icon="➡️", width="stretch")
    url.write({"lesson": LESSON, "step": str(i + 1)})


def render(inplay: state.InPlay, ds: Dataset) -> None:
    """The step shown: navigation, its text, its question, and once predicted, the answer and
    the figure (beside the text for a square figure, under it for a wide one)."""
    i = current_step()
    name = STEPS[i]
    navigation(i)
    st.subheader(t(f"lesson.{name}.title"))
    text, figure = (st.columns([2, 3], gap="large") if name in BESIDE
                    else (st.container(), st.container()))
    text.markdown(classes.tx(f"lesson.{name}.text", ds.name,
                             n=sections.counts(ds.name)[0]))  # (only generation's has an n)
    step = build(name, inplay, ds)
    if step is None:
        st.error(t("wall.nonfinite"))
        return
    question = step.question
    said = None if question is None else said_of(name, question, inplay)
    with text:  # a wide figure's step: the prediction and the answer side by side, to save height
        asked, told = (st.columns([2, 3], gap="large") if said is not None and name not in BESIDE
                       else (st.container(), st.container()))
    if question is not None:
        with asked:
            ask(name, question, inplay, said)
        if said is None:
            text.caption(t("lesson.waiting"))
            return
        with told:
            reveal(question, said, ds.name)
    for note in step.notes:
        told.caption(note)
    if step.figure is not None:
        with figure:
            step.figure()
    if i == len(STEPS) - 1:
        st.info(t("lesson.end"))
        st.page_link("pages/class_wall.py", label=t("lesson.class_wall"), icon="👩‍🏫")
