"""ae.fmt: positions and distances rounded to the wall's size, small quantities with
significant digits, and never a "-0"."""

import numpy as np
import pytest

from ae import fmt


def test_spread_is_the_longer_side_of_the_box():
    assert fmt.spread([[0, 0], [9, 4], [-1, 2]]) == 10
    assert fmt.spread([[0.3, -0.7]]) == pytest.approx(0.7)  # one point: its own size
    assert fmt.spread([[np.nan, 1.0], [0.0, 0.0], [0.02, 0.01]]) == pytest.approx(0.02)
    assert fmt.spread(np.zeros((0, 2))) == 1.0 and fmt.spread([[0.0, 0.0]]) == 1.0


def test_a_trained_wall_keeps_the_articles_one_decimal_and_a_small_one_gets_more():
    assert fmt.decimals(9.1) == 1 and fmt.decimals(25.0) == 1  # the book's walls
    assert fmt.decimals(0.05) == 3 and fmt.decimals(0.5) == 2
    assert fmt.decimals(9.1, extra=1) == 2 and fmt.decimals(0.05, least=4) == 4
    assert fmt.decimals(0.0) == 2 and fmt.decimals(float("nan")) == 2
    assert fmt.decimals(2.1 - 2.0) == 2  # 0.09999..., still a tenth
    assert fmt.point((-2.04, -0.46), 9.1) == "(-2.0, -0.5)"
    assert fmt.point((0.012, -0.0004), 0.05) == "(0.012, 0.000)"  # not "-0.000"
    assert fmt.point((0.012, -0.0004, 0.3, 1.0), 0.05) == "(0.012, 0.000, 0.300, ...)"
    assert fmt.point((0.04, -0.01)) == "(0.040, -0.010)"  # its own size by default
    assert fmt.point((1, -2), places=2) == "(1.00, -2.00)"


def test_no_negative_zero_and_no_zero_distance():
    assert fmt.fixed(-0.004, 2) == "0.00" and fmt.fixed(-0.006, 2) == "-0.01"
    assert fmt.coord(-0.0001, 20) == "0.0"
    assert fmt.length(0.003, 20, extra=1) == "0.0030"  # not "0.00 away"
    assert fmt.length(0.43, 9.1, extra=1) == "0.43" and fmt.length(0.0, 9.1) == "0.0"
    assert fmt.length(0.141, least=3) == "0.141" and fmt.length(59.397, least=3) == "59.397"
    assert fmt.d3(9.1, extra=1) == ".2f" and fmt.d3(0.05, extra=1) == ".4f"


def test_small_quantities_keep_significant_digits():
    assert fmt.number(0.0123) == "0.0123" and fmt.number(0.9, 2) == "0.90"
    assert fmt.number(1.234e-8) == "1.23×10⁻⁸" and fmt.number(3e-9, 2) == "3×10⁻⁹"
    assert fmt.number(9.999e-9, 2) == "1×10⁻⁸" and fmt.number(0) == "0"
    assert fmt.number(float("inf")) == "inf"


def test_step_decimals_show_one_step_of_a_slider():
    assert fmt.step_decimals(0.05) == 2 and fmt.step_decimals(0.5) == 1
    assert fmt.step_decimals(5e-5) == 5 and fmt.step_decimals(0.002) == 3
    assert fmt.step_decimals(2.0) == 0 and fmt.step_decimals(20.0) == 0
    assert fmt.step_decimals(0.5, least=2) == 2 and fmt.step_decimals(5e-5, least=2) == 5
    assert fmt.step_decimals(0.0, least=2) == 2
