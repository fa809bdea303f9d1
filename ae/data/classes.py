"""The names of each data set's ten classes, in English, as a person reads them.

MNIST (and the synthetic digits that stand in for it) label pictures 0..9, and the label is
the digit itself. Fashion-MNIST's labels 0..9 stand for kinds of clothing (the names of its
README, github.com/zalandoresearch/fashion-mnist), so a legend that said "3" would tell a
class nothing: every legend, table and caption shows the name. Translations live in the UI.
"""

from __future__ import annotations

DIGITS = tuple(str(d) for d in range(10))
FASHION = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
           "Bag", "Ankle boot")
NAMES = {"mnist": DIGITS, "synthetic-digits": DIGITS, "fashion-mnist": FASHION}


def class_names(dataset: str) -> list[str]:
    """The ten class names of `dataset` ("mnist", "fashion-mnist", "synthetic-digits"), by
    label; an unknown data set gets the digits (its labels are shown as they are)."""
    return list(NAMES.get(dataset, DIGITS))


def is_digits(dataset: str) -> bool:
    """Whether the labels of `dataset` are the digits they name (not Fashion-MNIST's items)."""
    return NAMES.get(dataset, DIGITS) is DIGITS
