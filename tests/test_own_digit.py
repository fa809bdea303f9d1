"""A learner's own digit on the wall: its mark, repainting, readings and nearest test marks;
the session's mark book (a limit, removal, the CSV and the PNG strip)."""

import io

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from ae.analysis import encode
from ae.analysis.own_digit import MAX_MARKS, MarkBook, land
from ae.data import synthetic
from ae.data.digit_image import prepare
from ae.model import kinds
from ae.model.config import AEConfig

X, Y = synthetic.make_digits(60, seed=5)
TEST = X.astype(np.float32) / 255


class Says(nn.Module):
    """A stub classifier: always the same digit, with probability 0.95."""

    def __init__(self, digit: int):
        super().__init__()
        self.digit = digit
        self.w = nn.Parameter(torch.zeros(1))

    def forward(self, x):  # log-probabilities: the softmax of these is p
        p = torch.full((len(x), 10), 0.05 / 9)
        p[:, self.digit] = 0.95
        return p.log() + 0 * self.w


def model(kind: str, seed: int = 0):
    torch.manual_seed(seed)
    return kinds.build(AEConfig.book(kind)).eval()


@pytest.mark.parametrize("kind", ["autoencoder", "vae"])
def test_a_digit_lands_where_the_encoder_puts_it_with_its_nearest_test_marks(kind):
    m = model(kind)
    codes = encode(m, TEST[:, None], precision="fp32")
    mine = prepare(TEST[7]).image
    at = land(m, mine, codes, clf=Says(3))
    assert np.allclose(at.code, encode(m, mine[None, None], precision="fp32")[0])
    brute = np.argsort(np.linalg.norm(codes - at.code, axis=1))[:5]
    assert list(at.nearest) == list(brute) and np.all(np.diff(at.nearest_distance) >= 0)
    assert at.repainted.shape == (28, 28)
    assert at.read_input[0] == 3 and at.read_repainted[0] == 3 and at.read_input[1] > 0.9
    assert (at.sigma is None) == (kind == "autoencoder")
    if kind == "vae":
        assert at.sigma.shape == (2,) and np.all(at.sigma > 0)
    assert land(m, mine, codes).read_input is None  # no classifier, no reading


def test_the_mark_book_keeps_at_most_fifty_and_forgets_one_on_request():
    book = MarkBook()
    for i in range(MAX_MARKS):
        book.add(TEST[i % 60], i % 10)
    with pytest.raises(ValueError, match="already has 50"):
        book.add(TEST[0], 1)
    book.remove(0)
    book.remove(999)  # nothing
    assert len(book.marks) == MAX_MARKS - 1 and book.digits()[:2] == [1, 2]
    assert np.array_equal(book.images()[0], TEST[1])
    with pytest.raises(ValueError, match="0 to 9"):
        book.add(TEST[0], 12)


@pytest.mark.parametrize("kind", ["autoencoder", "vae"])
def test_the_marks_move_with_the_model_in_play(kind):
    book, m = MarkBook(), model(kind)
    assert book.codes(m).shape == (0, 2)
    for i in (3, 4, 5):
        book.add(TEST[i], None)
    assert np.allclose(book.codes(m), encode(m, TEST[3:6, None], precision="fp32"))
    other = model(kind, seed=1)  # another model in play: the same pictures land elsewhere
    assert not np.allclose(book.codes(other), book.codes(m))


def test_the_marks_go_home_as_a_csv_and_a_png_strip():
    book = MarkBook()
    with pytest.raises(ValueError, match="no marks"):
        book.to_png_strip()
    book.add(TEST[0], 7)
    book.add(TEST[1], None)
    csv = book.to_csv(np.array([[1.5, -2.25], [0.0, 3.0]]))
    assert csv.splitlines() == ["mark,digit,z1,z2", "1,7,1.5,-2.25", "2,,0,3"]
    strip = Image.open(io.BytesIO(book.to_png_strip()))
    assert strip.size == (56, 28)
    assert np.array_equal(np.asarray(strip)[:, 28:], (TEST[1] * 255).round().astype(np.uint8))
