"""The class names of each data set and the figure counts of each edition: plain functions
the pages key on (`ae.data.classes`, `ae.model.presets.for_dataset`)."""

from ae.data.classes import DIGITS, FASHION, class_names, is_digits
from ae.model import presets


def test_digits_are_named_by_themselves():
    for name in ("mnist", "synthetic-digits"):
        assert class_names(name) == [str(d) for d in range(10)] and is_digits(name)


def test_fashion_mnist_names_its_ten_classes_in_label_order():
    names = class_names("fashion-mnist")
    assert names == ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                     "Sneaker", "Bag", "Ankle boot"]
    assert names == list(FASHION) and not is_digits("fashion-mnist")
    names.append("mutated")  # a copy: the caller's list never changes the table
    assert len(class_names("fashion-mnist")) == 10


def test_an_unknown_data_set_shows_its_labels_as_they_are():
    assert class_names("emnist") == list(DIGITS)


def test_each_data_set_gets_its_editions_counts():
    assert presets.for_dataset("fashion-mnist") is presets.ED2
    for name in ("mnist", "synthetic-digits", "unknown"):
        assert presets.for_dataset(name) is presets.ED1
    assert (presets.ED1.n_samples, presets.ED1.grid_side) == (30, 20)
    assert (presets.ED2.n_samples, presets.ED2.grid_side) == (18, 15)


def test_the_chinese_names_and_every_fashion_variant_exist_in_both_languages():
    from ae.ui.i18n import all_texts
    texts = all_texts()
    zh = [texts[f"class.fashion-mnist.{i}"][1] for i in range(10)]
    assert zh == ["T恤/上衣", "裤子", "套头衫", "连衣裙", "外套", "凉鞋", "衬衫", "运动鞋", "包",
                  "短靴"]
    variants = [k for k in texts if k.endswith("@fashion")]
    assert len(variants) > 30
    for key in variants:
        base = key.removesuffix("@fashion")
        assert base in texts, f"{key}: a variant of no text"
        assert all(texts[key]), key
