"""AppTest of the lesson: walked end to end with Next (each question's answer and figure hidden
until the class has chosen, then shown with the model in play's measured value), Back, the
step in the URL (a link opens its step), a prediction kept with its step and model, an
untrained model, no VAE in reach, and Chinese."""

import re

import numpy as np
import pytest
from pagekit import (  # noqa: F401 (own_tab_store, small_data: fixtures, found by name)
    assert_ok,
    open_page,
    own_tab_store,
    set_language,
    small_data,
    texts,
    untrained_in_play,
)

from ae import analysis
from ae.analysis import defects, latent
from ae.ui import lesson, resources
from ae.ui.i18n import all_texts

pytestmark = pytest.mark.usefixtures("small_data", "own_tab_store")
EN = {k: v[0] for k, v in all_texts().items()}
ZH = {k: v[1] for k, v in all_texts().items()}
N = len(lesson.STEPS)


def progress(at) -> str:
    return at.get("progress")[0].proto.text


def step_of(at) -> int:
    """The step shown, 1-based, as the URL has it (and the bar says it)."""
    step = int(at.query_params["step"])
    assert progress(at).startswith(f"Step {step} of {N}")
    assert at.query_params["lesson"] == "ae"
    return step


def alerts(at) -> str:
    """The verdict boxes' texts (the verdict and the measured answer), joined."""
    return "\n".join(e.value for kind in ("success", "warning") for e in getattr(at, kind))


def revealed(at) -> bool:
    """Whether a verdict (right or not) is on screen."""
    right, wrong = EN["lesson.right"].split("{")[0], EN["lesson.wrong"].split("{")[0]
    return any(right in s.value for s in at.success) or any(wrong in w.value for w in at.warning)


def fixed_part(template: str) -> str:
    """The longest stretch of a text template between its {placeholders}."""
    return max(re.split(r"\{[^}]*\}", template), key=len)


def question_key(label: str) -> str:
    """The question whose English template (its {placeholders} filled in) this label is."""
    def fits(template: str) -> bool:
        parts = re.split(r"\{[^}]*\}", template)
        return re.fullmatch(".+?".join(map(re.escape, parts)), label) is not None
    return next(k.split(".")[-1] for k, v in EN.items()
                if k.startswith("lesson.q.") and "@" not in k and fits(v))


def pick(at, choice: str):
    at.pills[0].set_value(choice)
    return at.run()


def book_wall(ds) -> tuple[np.ndarray, np.ndarray]:
    """The shipped book model's wall of the small test set, measured here, apart from the page."""
    model = resources.shipped("book").model()
    xy, _ = analysis.project_2d(analysis.encode(model, ds.x_test))
    return xy, np.asarray(ds.y_test).astype(np.int64)


def test_the_lesson_walked_end_to_end():
    at = open_page("lesson", {"lesson": "ae"})
    assert_ok(at)
    assert step_of(at) == 1 and at.button(key="lesson_back").disabled
    asked = 0
    for i in range(1, N + 1):
        name = lesson.STEPS[i - 1]
        assert step_of(at) == i
        assert [s.value for s in at.subheader] == [EN[f"lesson.{name}.title"]]
        if at.pills:  # predict first: no verdict, no answer, no figure
            asked += 1
            assert not revealed(at) and not at.get("plotly_chart")
            assert EN["lesson.waiting"] in texts(at)
            key = question_key(at.pills[0].label)
            assert fixed_part(EN[f"lesson.a.{key}"]) not in alerts(at)
            at = pick(at, at.pills[0].options[-1])
            assert_ok(at)
            assert revealed(at) and len(at.get("plotly_chart")) == 1
            assert fixed_part(EN[f"lesson.a.{key}"]) in alerts(at)  # the measured answer
            assert EN["lesson.said"].split("*")[0] in texts(at)
            assert not at.pills  # the prediction stays: it is said, not asked again
        else:
            assert len(at.get("plotly_chart")) == 1
        if i < N:
            at.button(key="lesson_next").click()
            at = at.run()
            assert_ok(at)
    assert asked == N - 1  # every step but the story asks (the book model has a history)
    assert at.button(key="lesson_next").disabled and EN["lesson.end"] in texts(at)
    at.button(key="lesson_back").click()
    at = at.run()
    assert step_of(at) == N - 1 and revealed(at)  # the prediction made there is still there


def test_the_answers_are_the_models_measurements(small_data):  # noqa: F811
    xy, labels = book_wall(small_data)
    big = int(defects.uneven_areas(xy, labels).cell_share.argmax())
    at = open_page("lesson", {"lesson": "ae", "step": str(lesson.STEPS.index("areas") + 1)})
    assert EN["lesson.q.largest_area"] == at.pills[0].label
    at = pick(at, str(big))
    assert at.success[0].value.startswith(EN["lesson.right"].format(answer=big))
    assert f"Digit **{big}** owns" in at.success[0].value
    at = pick(at.button(key="lesson_again:areas").click().run(), str((big + 1) % 10))
    assert f"the model in play says **{big}**" in at.warning[-1].value

    gap = defects.gaps(xy).gap_share
    at.button(key="lesson_next").click()
    at.run().button(key="lesson_next").click()
    at = at.run()
    assert lesson.STEPS[step_of(at) - 1] == "gaps"
    at = pick(at, at.pills[0].options[0])
    assert f"**{gap:.0%}** of random points fall in a gap" in alerts(at)

    rep = latent.continuity(resources.shipped("book").model())  # (2, -2) and (2.1, -2.1)
    at.button(key="lesson_next").click()
    at = pick(at.run(), "yes")
    assert revealed(at) and f"**{rep.changed_share:.1%}** of the pixels change" in alerts(at)
    assert bool(at.success) == (rep.changed_share < 0.05)


def test_a_link_opens_its_step_and_a_prediction_stays_with_it():
    at = open_page("lesson", {"lesson": "ae", "step": "7"})
    assert step_of(at) == 7 and at.pills[0].label == EN["lesson.q.centred"]
    assert at.pills[0].options == ["yes", "no"]
    at = pick(at, "no")
    at.button(key="lesson_back").click()
    at = at.run()
    assert step_of(at) == 6 and at.pills and not revealed(at)  # another step: its own question
    at.button(key="lesson_next").click()
    at = at.run()
    assert step_of(at) == 7 and revealed(at) and not at.pills
    assert EN["lesson.said"].format(choice="no") in texts(at)
    assert at.session_state["lesson_pick:symmetry:book"] == "no"  # per step and model
    at.button(key="lesson_again:symmetry").click()
    at = at.run()
    assert at.pills and not revealed(at) and not at.get("plotly_chart")
    for bad in ("99", "0", "three"):  # a link to no step opens the first
        assert step_of(open_page("lesson", {"lesson": "ae", "step": bad})) == 1


def test_an_untrained_model_has_no_training_to_predict():
    at = open_page("lesson", {"lesson": "ae", "step": "3"}, state=untrained_in_play(2))
    assert_ok(at)
    assert not at.pills and EN["lesson.training.none"] in texts(at)
    for _ in range(N - 3):  # the rest of the lesson runs on the untrained model's tiny wall
        at.button(key="lesson_next").click()
        at = at.run()
        assert_ok(at)
        if at.pills:
            assert not revealed(at)
            at = pick(at, at.pills[0].options[0])
            assert revealed(at)
    assert EN["lesson.cure.models"].format(ae=EN["cure.model.untrained"],
                                           vae=EN["cure.model.vae_book"]) in texts(at)


def test_with_no_vae_in_reach_the_cure_is_said(monkeypatch):
    monkeypatch.setattr(resources, "shipped_available", lambda dataset=None: ["book", "full"])
    at = open_page("lesson", {"lesson": "ae", "step": str(N)})
    assert_ok(at)
    assert not at.pills and EN["lesson.cure.none"] in texts(at)


def test_a_vae_in_play_is_compared_with_its_autoencoder():
    at = open_page("lesson", {"lesson": "ae", "step": str(N), "model": "vae_book"})
    assert_ok(at)
    at = pick(at, "more")
    assert EN["lesson.cure.models"].format(ae=EN["cure.model.book"],
                                           vae=EN["cure.model.vae_book"]) in texts(at)
    assert at.session_state["lesson_pick:cure:vae_book"] == "more"
    for key, value in untrained_in_play(2).items():  # another model: a new prediction
        at.session_state[key] = value
    at = at.run()
    assert at.pills and not revealed(at)


def test_the_lesson_in_chinese():
    at = set_language(open_page("lesson", {"lesson": "ae", "step": "7"}), "zh")
    assert_ok(at)
    assert at.pills[0].label == ZH["lesson.q.centred"]
    assert [s.value for s in at.subheader] == [ZH["lesson.symmetry.title"]]
    assert progress(at).startswith(f"第 7 步，共 {N} 步")
    at = pick(at, "yes")
    shown = texts(at) + alerts(at)
    assert ZH["lesson.said"].format(choice=ZH["lesson.choice.yes"]) in shown
    assert ZH["lesson.a.centred"].split("**")[0] in shown
    assert at.button(key="lesson_next").label == ZH["lesson.next"]
