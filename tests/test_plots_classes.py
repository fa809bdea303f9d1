"""The figures that name classes take their names from the caller (`class_names`): Fashion-
MNIST's items in the legends of the wall, the cure page's two walls, a VAE's close-up and the
small wall, and under the error bars; the digits when none are given."""

from types import SimpleNamespace

import numpy as np
import pytest

from ae import plots
from ae.data.classes import FASHION
from ae.plots import cure as cure_plots
from ae.plots.latent import spread_figure

RNG = np.random.default_rng(0)
XY, LABELS = RNG.normal(size=(200, 2)), np.arange(200) % 10


def legend(fig) -> list[str]:
    return [tr.name for tr in fig.data if str(tr.legendgroup).startswith("digit")]


@pytest.mark.parametrize("names", [None, list(FASHION)])
def test_the_walls_legends_name_the_classes(names):
    want = names or [str(d) for d in range(10)]
    assert legend(plots.latent_figure(XY, LABELS, class_names=names)) == want
    assert legend(plots.wall_figure(XY, LABELS, class_names=names)) == want
    both = cure_plots.walls_figure((XY, LABELS), (XY, LABELS), class_names=names)
    assert legend(both) == want * 2
    close = spread_figure(XY, LABELS, XY[0], [0.5, 0.5], class_names=names)
    assert set(legend(close)) == set(want)


def test_the_hover_says_the_class_name():
    fig = plots.latent_figure(XY, LABELS, class_names=list(FASHION),
                              texts={"digit": "item"})
    assert "item Ankle boot<br>" in fig.data[9].hovertemplate


def test_the_error_bars_are_named_by_class():
    errors = SimpleNamespace(per_digit=np.linspace(0.01, 0.1, 10), mean=0.05)
    assert list(plots.error_bars_figure(errors).data[0].x) == [str(d) for d in range(10)]
    fig = plots.error_bars_figure(errors, class_names=list(FASHION))
    assert list(fig.data[0].x) == list(FASHION)
    with pytest.raises(ValueError, match="need 10 class names"):
        plots.error_bars_figure(errors, class_names=["T-shirt/top"])
