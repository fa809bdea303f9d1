"""Any layer list a student can click together either trains one step with output
shape == input shape, or is refused with a ConfigError message; nothing else escapes.

Goes through the sidebar's own path: widget values -> `choices.from_layers` -> model ->
`Trainer.step()`. The widget domains are the sidebar's, plus extreme values typed into a URL;
the second edition's choices (activation, padding, output Conv2D, loss) are drawn too.
"""

import math
from functools import partial

import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ae.model import choices
from ae.model.autoencoder import Autoencoder
from ae.model.config import ConfigError
from ae.train.trainer import Trainer
from ae.ui.sidebar import FILTERS, KERNELS, MAX_UI_LAYERS, STRIDES

widget_layer = st.tuples(st.sampled_from(FILTERS), st.sampled_from(KERNELS),
                         st.sampled_from(STRIDES))
extreme_layer = st.tuples(st.integers(0, 5000), st.integers(0, 99), st.integers(0, 40))


@st.composite
def sidebar_choices(draw):
    layer = draw(st.sampled_from([widget_layer, widget_layer, widget_layer, extreme_layer]))
    enc = draw(st.lists(layer, min_size=1, max_size=MAX_UI_LAYERS))
    dec = draw(st.lists(layer, min_size=1, max_size=MAX_UI_LAYERS))
    mirror = draw(st.booleans())
    return partial(choices.from_layers, tuple(map(list, zip(*enc, strict=True))),
                   None if mirror else tuple(map(list, zip(*dec, strict=True))),
                   z_dim=draw(st.one_of(st.integers(1, 16), st.integers(-3, 1000))),
                   batch_norm=draw(st.booleans()), dropout=draw(st.booleans()),
                   activation=draw(st.sampled_from(["leaky_relu", "relu", "relu", "gelu"])),
                   pad_to=draw(st.sampled_from([0, 0, 32, 32, 30, 36, 64, 31, 27, -4, 999])),
                   output_conv=draw(st.booleans()),
                   loss=draw(st.sampled_from(["mse", "bce", "bce", "huber"])))


IMAGES = torch.randint(0, 256, (4, 28, 28), dtype=torch.uint8)
seen = {"valid": 0, "refused": 0}


@settings(max_examples=500, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sidebar_choices())
def test_every_sidebar_config_trains_or_is_refused(build):
    try:
        cfg = build()
    except ConfigError as e:
        assert len(str(e)) > 20  # a sentence a student can act on
        seen["refused"] += 1
        return
    seen["valid"] += 1
    model = Autoencoder.from_config(cfg)
    precision = "bf16" if seen["valid"] % 5 == 0 else "fp32"  # BCE under autocast too
    trainer = Trainer(model, IMAGES, batch_size=2, precision=precision, seed=0)
    loss = trainer.step()
    assert math.isfinite(loss)
    model.eval()
    with torch.no_grad():
        out = model(torch.rand(2, 1, 28, 28))
    assert out.shape == (2, 1, 28, 28)


def test_the_search_covered_both_outcomes():
    # runs after the property test in file order: both branches must have been exercised
    if seen["valid"] + seen["refused"]:
        assert seen["valid"] >= 20 and seen["refused"] >= 20, seen
