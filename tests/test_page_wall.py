"""AppTest of the latent-wall page: it runs with whatever model is in play; the three defects'
numbers appear; the colour toggle, Resample, the continuity inputs and the coordinate sliders
(the picker's fallback: AppTest cannot click in a Plotly chart, see tests/test_picking.py) do
what they say; the sections below the wall one at a time, by the control or the URL (w_part);
the snapshot scrubber appears when the model has snapshots; PCA for z_dim > 2; the URL's
choices; the language switch."""

import re

import numpy as np
import pytest
import torch
from pagekit import (  # noqa: F401 (own_tab_store, small_data: fixtures, found by name)
    N_TEST,
    assert_ok,
    figure,
    figures,
    md_tables,
    open_page,
    own_tab_store,
    set_language,
    small_data,
    texts,
)
from streamlit.testing.v1 import AppTest

from ae.model.autoencoder import Autoencoder
from ae.model.config import AEConfig
from ae.ui.state import InPlay

pytestmark = pytest.mark.usefixtures("small_data", "own_tab_store")


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def wall_traces(at) -> list[dict]:
    return figure(at, "The wall: the test set encoded")["data"]


def painted_point(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**D.Coder paints"))


def open_with(model: Autoencoder, snapshots: dict | None = None,
              query: dict | None = None) -> AppTest:
    """The wall page with `model` in play, as the Training page would leave it."""
    inplay = InPlay(key="trained:test", origin="trained", model=model.eval(), dataset="mnist",
                    snapshots=snapshots or {})
    state = {"in_play": inplay, "models": {"trained": inplay}, "model_choice": "trained"}
    return open_page("wall", query, state)


def small_model(z_dim: int = 2) -> Autoencoder:
    torch.manual_seed(0)
    cfg = AEConfig((28, 28, 1), [8, 8], [3, 3], [2, 2], [8, 1], [3, 3], [2, 2], z_dim)
    return Autoencoder.from_config(cfg.validate())


def test_page_runs_and_shows_the_three_defects():
    at = open_page("wall")
    assert_ok(at)
    assert at.title[0].value == "The latent wall"
    ratio = metric(at, "area ratio")
    assert re.fullmatch(r"\d+\.\d ×", ratio)
    assert f"owns {ratio.split()[0]} times the wall of digit" in texts(at)
    assert len(md_tables(at)[0]) == 10  # the per-digit table of defect 1
    n_figures = len(figures(at))
    pick = at.segmented_control(key="w_defect:en")  # one defect drawn at a time
    assert pick.value == "areas" and pick.options == [
        "1 · Uneven areas", "2 · Not centred, not bounded", "3 · Gaps"]
    pick.set_value("symmetry").run()
    assert_ok(at)
    assert re.fullmatch(r"\(-?\d+\.\d\d, -?\d+\.\d\d\)", metric(at, "centroid"))
    assert re.fullmatch(r"\d+\.\d%", metric(at, "stragglers"))
    assert not [m for m in at.metric if m.label == "area ratio"]
    assert len(figures(at)) == n_figures - 1  # defect 1's two figures gone, defect 2's one
    at.segmented_control(key="w_defect:en").set_value("gaps").run()
    assert re.fullmatch(r"\d+%", metric(at, "random points in a gap"))
    at.switch_page("pages/generation.py").run()
    at.switch_page("pages/wall.py").run()  # the choice outlives the page
    assert at.segmented_control(key="w_defect:en").value == "gaps"
    assert re.fullmatch(r"\d+%", metric(at, "random points in a gap"))
    assert f"{N_TEST:,} test images, one mark each" in texts(at)
    assert "The book's experiment: 30 random points" not in texts(at)  # one section at a time
    codes = sum(len(tr["x"]["bdata"]) > 0 for tr in wall_traces(at)
                if tr.get("legendgroup", "").startswith("digit:") and isinstance(tr["x"], dict))
    assert codes > 0
    # the default model: a shipped checkpoint (recorded while it trained) or the untrained one
    at.segmented_control(key="w_part:en").set_value("time").run()
    assert_ok(at)
    assert at.query_params["w_part"] == "time" and "random points in a gap" not in texts(at)
    has_snapshots = bool(at.session_state["in_play"].snapshots)
    assert ("no snapshots" in texts(at)) != has_snapshots


def test_the_red_points_and_the_colour_stay_as_chosen_after_another_page():
    at = open_page("wall")
    assert at.toggle(key="w_red").value is True
    at.toggle(key="w_red").set_value(False).run()
    at.toggle(key="w_color").set_value(True).run()
    at.switch_page("pages/generation.py").run()
    at.switch_page("pages/wall.py").run()
    assert_ok(at)
    assert at.toggle(key="w_red").value is False and at.toggle(key="w_color").value is True


def test_colour_toggle_colours_the_wall_and_goes_into_the_url():
    at = open_page("wall")
    assert at.query_params["w_color"] == "black"
    assert not any(tr.get("showlegend") for tr in wall_traces(at)
                   if tr.get("legendgroup", "").startswith("digit:"))
    at.toggle(key="w_color").set_value(True).run()
    assert_ok(at)
    assert at.query_params["w_color"] == "digit"
    shown = [tr for tr in wall_traces(at) if tr.get("legendgroup", "").startswith("digit:")]
    assert all(tr["showlegend"] for tr in shown) and len({tr["marker"]["color"]
                                                          for tr in shown}) == 10


def red_points(at) -> list:
    """[sample, x, y] of each of the 30 painted red points (full precision)."""
    fig = figure(at, "The red points, painted")
    return next(tr["customdata"] for tr in fig["data"] if tr.get("legendgroup") == "cell")


def test_resample_changes_the_random_points_and_the_seed():
    at = open_page("wall", {"w_part": "samples"})  # a link to the section
    before = red_points(at)
    at.button(key="w_resample").click().run()
    assert_ok(at)
    after = red_points(at)
    assert len(after) == 30 and after != before
    seed = at.query_params["w_seed"]
    assert seed != "0" and f"random seed {seed}" in texts(at)


def test_url_choices_are_read_and_garbage_falls_back():
    query = {"w_color": "digit", "w_seed": "42", "w_part": "samples"}
    at = open_with(small_model(), query=query)
    assert_ok(at)
    assert at.toggle(key="w_color").value is True and "random seed 42" in texts(at)
    again = open_with(small_model(), query=query)  # a shared link: the same 30 points
    assert red_points(again) == red_points(at)
    other = open_with(small_model(), query={"w_seed": "43", "w_part": "samples"})
    assert red_points(other) != red_points(at)
    bad = open_page("wall", {"w_color": "purple", "w_seed": "-3; drop", "w_part": "x<y"})
    assert_ok(bad)
    assert bad.query_params["w_color"] == "black" and bad.query_params["w_seed"] == "0"
    assert bad.query_params["w_part"] == "defects"


def test_continuity_inputs_change_the_numbers():
    at = open_with(small_model(), query={"w_part": "cont"})
    assert_ok(at)
    assert [at.number_input(key=k).value for k in ("w_ax", "w_ay", "w_bx", "w_by")] == \
        [2.0, -2.0, 2.1, -2.1]
    assert metric(at, "distance A to B") == "0.141"
    mse = metric(at, "picture difference (MSE)")
    at.number_input(key="w_bx").set_value(-40.0).run()
    at.number_input(key="w_by").set_value(40.0).run()
    assert_ok(at)
    assert metric(at, "distance A to B") == f"{np.hypot(42, 42):.3f}"
    assert metric(at, "picture difference (MSE)") != mse
    assert "(-40.00, 40.00)" in figure(at, "A small step on the wall")["layout"]["title"]["text"]
    at.button(key="w_cont_book").click().run()
    assert metric(at, "distance A to B") == "0.141"


def test_sliders_pick_a_free_point_and_paint_it():
    at = open_page("wall")
    first = painted_point(at)
    assert "Test image 0" in texts(at)  # the first test image's mark until something is picked
    at.slider(key="w_px").set_value(at.slider(key="w_px").max).run()
    assert_ok(at)
    assert painted_point(at) != first
    assert "A point set with the sliders." in texts(at)
    assert "Nearest mark: a" in texts(at)
    ring = next(tr for tr in wall_traces(at) if tr.get("legendgroup") == "picked")
    assert ring["x"][0] == pytest.approx(at.slider(key="w_px").value)


def test_snapshot_scrubber_appears_and_moves_through_training():
    frames, probes = 5, 40
    rng = np.random.default_rng(0)
    snapshots = {
        "probe_index": torch.arange(probes), "probe_labels": torch.arange(probes) % 10,
        "steps": torch.tensor([0, 10, 20, 30, 40]), "epochs": torch.tensor([0, 1, 2, 3, 4]),
        "codes": torch.from_numpy(rng.normal(size=(frames, probes, 2)).astype(np.float32)
                                  * np.arange(1, frames + 1)[:, None, None])}
    at = open_with(small_model(), snapshots, {"w_part": "time"})
    assert_ok(at)
    scrub = at.select_slider(key="w_frame:trained:test")
    assert scrub.value == frames - 1
    assert "recorded 5 times" in texts(at)
    assert figure(at, "The wall at step 40 (epoch 4)")
    scrub.set_value(1).run()
    assert_ok(at)
    assert figure(at, "The wall at step 10 (epoch 1)")


def test_snapshots_without_labels_and_broken_snapshots():
    codes = torch.zeros(2, 5, 2)
    at = open_with(small_model(), {"probe_index": torch.arange(5), "codes": codes},
                   {"w_part": "time"})
    assert_ok(at)
    assert "recorded 2 times" in texts(at)
    broken = open_with(small_model(), {"codes": torch.zeros(3, 4)}, {"w_part": "time"})
    assert not broken.exception
    assert any("cannot be shown" in w.value for w in broken.warning)


def test_a_wall_of_more_than_two_dimensions_is_shown_as_pca():
    at = open_with(small_model(z_dim=3))
    assert_ok(at)
    assert any("3 dimensions" in i.value for i in at.info)
    assert at.slider(key="w_px").label == "PCA 1"
    at.slider(key="w_py").set_value(at.slider(key="w_py").min).run()
    assert_ok(at)
    assert "A point set with the sliders." in texts(at)
    layout = figure(at, "The wall: the test set encoded")["layout"]
    assert layout["xaxis"]["title"]["text"] == "PCA 1"


def test_a_diverged_model_gets_a_message_not_a_traceback():
    model = small_model()
    with torch.no_grad():
        next(model.encoder.parameters()).fill_(float("nan"))
    at = open_with(model)
    assert not at.exception
    assert "not finite" in at.error[0].value


def test_language_switch_changes_the_title_and_the_figures():
    at = open_page("wall")
    set_language(at, "zh")
    assert_ok(at)
    assert at.title[0].value == "潜在空间之墙"
    assert "三个缺陷，用数字说话" in texts(at)
    assert figure(at, "这面墙：编码后的测试集")


def test_the_code_behind_a_figure_is_drawn_only_once_opened():
    at = open_page("wall", {"w_part": "grid"})
    assert_ok(at)
    assert len(at.expander) >= 2 and not at.code  # closed: nothing sent, nothing highlighted
    at.session_state["code:ae.analysis.latent.grid_points"] = True  # as a click on it does
    at.run()
    assert_ok(at)
    assert [c.value.split("(")[0] for c in at.code] == ["def grid_points"]
