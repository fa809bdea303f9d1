"""The lesson's questions: each right answer is whatever the measurement says (synthetic
measurements here, chosen so the answer moves when the measurement moves)."""

import numpy as np
import pytest

from ae.analysis import defects
from ae.analysis import lesson as q


def test_ranges_and_buckets():
    assert q.pct_ranges((0.1, 0.3, 0.5)) == ("< 10%", "10–30%", "30–50%", "≥ 50%")
    labels, edges = q.count_ranges(30)
    assert labels == ("0–5", "6–15", "16–25", "26–30") and edges == (6, 16, 26)
    assert [q.bucket(v, edges) for v in (0, 5, 6, 15, 16, 25, 26, 30)] == [0, 0, 1, 1, 2, 2, 3, 3]
    for n in (1, 2, 3, 7, 100):  # every count from 0 to n falls in exactly one range
        labels, edges = q.count_ranges(n)
        assert len(labels) == len(edges) + 1
        assert {q.bucket(k, edges) for k in range(n + 1)} == set(range(len(labels)))


@pytest.mark.parametrize("z", [1, 2, 3, 10, 16, 784])
def test_the_code_size_is_the_models(z):
    question = q.code_size(z)
    assert question.answer == str(z) and question.value == z
    assert len(question.choices) == 4 and "784" in question.choices
    assert question.is_right(str(z)) and not question.is_right("5")


def test_the_loss_fall_comes_from_the_history():
    epochs = [{"train_loss": 0.2}, {"train_loss": 0.1}, {"train_loss": 0.025}]
    question = q.loss_fall({"epochs": epochs, "steps": [1.0] * 30})
    assert question.value == pytest.approx(8.0) and question.answer == "≥ 5×"
    epochs[-1]["train_loss"] = 0.06
    assert q.loss_fall({"epochs": epochs}).answer == "2–5×"
    steps = [0.5] * 20 + [0.4] * 60 + [0.3] * 20  # no epochs: the first and the last twentieth
    question = q.loss_fall({"steps": steps})
    assert question.facts["first"] == pytest.approx(0.5) and question.answer == "< 2×"
    assert q.loss_fall({}) is None and q.loss_fall(None) is None
    assert q.loss_fall({"steps": [float("nan"), 0.1]}) is None


def test_the_worst_digit_is_the_largest_mean_error():
    err = np.array([0.02, 0.05, 0.03, np.nan, 0.01, 0.04, 0.02, 0.02, 0.03, 0.02])
    question = q.worst_digit(err)
    assert question.answer == "1" and question.facts["best"] == 4
    err[7] = 0.09
    assert q.worst_digit(err).answer == "7"
    assert q.worst_digit([np.nan] * 10) is None


def test_the_share_of_same_digit_neighbours():
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0], [10, 0], [0, 10]])
    labels = np.repeat(np.arange(3), 50)
    xy = centres[labels] + rng.normal(0, 0.5, (150, 2))
    assert q.same_digit_share(xy, labels) == 1.0  # apart: every neighbour is the same digit
    mixed = rng.permutation(labels)  # the same marks, digits shuffled: about a third
    share = q.same_digit_share(xy, mixed)
    assert share < 0.6
    assert q.same_digit_share(xy, labels, n=40) == 1.0
    assert q.neighbours(share).answer == "< 50%" and q.neighbours(0.9).answer == "≥ 80%"
    assert np.isnan(q.same_digit_share(xy[:1], labels[:1]))


@pytest.mark.parametrize("big", [3, 8])
def test_the_largest_area_is_the_measured_one(big):
    rng = np.random.default_rng(1)
    labels = np.repeat(np.arange(10), 100)
    xy = np.column_stack([labels * 3.0, np.zeros(len(labels))]) + rng.normal(0, 0.1, (1000, 2))
    spread = labels == big  # this digit's marks spread over a large square
    xy[spread] = rng.uniform([-20, 5], [40, 40], (int(spread.sum()), 2))
    question = q.largest_area(defects.uneven_areas(xy, labels).cell_share)
    assert question.answer == str(big) and question.choices == tuple(map(str, range(10)))
    assert question.facts["share"] > 0.5 and question.facts["small"] != big


def test_centred_is_measured_in_spreads():
    rng = np.random.default_rng(2)
    xy = rng.normal(0, 1, (4000, 2))
    assert q.centred(defects.symmetry_bounds(xy).offset_sigma).answer == "yes"
    moved = q.centred(defects.symmetry_bounds(xy + [0.0, 0.5]).offset_sigma)
    assert moved.answer == "no" and moved.value == pytest.approx(0.5, abs=0.05)
    assert q.centred([0.1, -0.19]).answer == "yes" and q.centred([0.0, -0.2]).answer == "no"


def test_the_gap_share_of_two_far_clusters():
    rng = np.random.default_rng(3)
    xy = np.vstack([rng.normal(0, 0.1, (500, 2)), rng.normal(20, 0.1, (500, 2))])
    report = defects.gaps(xy, n_samples=500)
    question = q.gap_share(report.gap_share)
    assert question.answer == "≥ 50%" and question.value == report.gap_share
    assert q.gap_share(0.0).answer == "< 10%" and q.gap_share(0.1).answer == "10–30%"


def test_alike_readable_and_more_even():
    assert q.alike(0.0, 0.0).answer == "yes" and q.alike(q.ALIKE, 0.1).answer == "no"
    assert q.readable(24, 30).answer == "16–25" and q.readable(0, 30).answer == "0–5"
    assert q.readable(30, 30).answer == "26–30" and q.readable(30, 30).facts["k"] == 30
    assert q.more_even(10.0, 5.0).answer == "more"
    assert q.more_even(5.0, 5.1).answer == "same"  # under 5% apart: the cure page's tie
    assert q.more_even(5.0, 10.0).answer == "less"
    assert q.more_even(float("nan"), 5.0) is None
    for question in (q.alike(0.5, 0.1), q.more_even(10.0, 5.0), q.centred([1.0, 0.0])):
        assert set(question.choices) <= set(q.WORDS)
