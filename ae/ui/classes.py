"""What a page calls the classes of the data set in play, in the session's language.

MNIST's labels are digits and every text of the app was first written for them; a model of
Fashion-MNIST (the second edition's) shows T-shirts and trousers instead. So the names come
from `ae.data.classes` (English) and the texts `class.<data set>.<label>` (Chinese), and a
text that names digits may have a variant for Fashion-MNIST, key `<key>@fashion`, which `tx`
picks when the model's data set is Fashion-MNIST (the other texts are shared as they are).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ae import plots
from ae.data.classes import class_names, is_digits
from ae.ui.i18n import all_texts, language, t

FASHION = "fashion-mnist"


def names(dataset: str) -> list[str]:
    """The ten class names of `dataset` in the session's language, by label."""
    english = class_names(dataset)
    if is_digits(dataset) or language() == "en":
        return english
    have = all_texts()
    return [t(f"class.{dataset}.{i}") if f"class.{dataset}.{i}" in have else name
            for i, name in enumerate(english)]


def name(dataset: str, label: int) -> str:
    """One label's name ("7", or "Sneaker" / "运动鞋")."""
    return names(dataset)[int(label)]


def of(dataset: str, labels: Sequence[int] | np.ndarray) -> list[str]:
    """Each label's name, for a table's column or a figure's hover."""
    all_names = names(dataset)
    return [all_names[int(v)] for v in np.asarray(labels).ravel()]


def key(text_key: str, dataset: str) -> str:
    """`text_key`, or its Fashion-MNIST variant when there is one and the data set is it."""
    variant = f"{text_key}@fashion"
    return variant if dataset == FASHION and variant in all_texts() else text_key


def tx(text_key: str, dataset: str, **fmt) -> str:
    """`t` with the data set's variant of the text (see `key`)."""
    return t(key(text_key, dataset), **fmt)


def plot_texts(prefix: str, fig: str, dataset: str) -> dict[str, str]:
    """`ae.ui.figures.plot_texts` with each text's Fashion-MNIST variant where there is one
    (a legend titled "digit" becomes "item" for clothes)."""
    have = all_texts()
    return {k: tx(f"{prefix}.{fig}.{k}", dataset) for k in plots.TEXTS[fig]
            if f"{prefix}.{fig}.{k}" in have}
