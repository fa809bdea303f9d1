"""AppTest of the own-digit page: an uploaded picture is prepared, pinned and repainted; every
bad file gets its message and changes nothing; kept digits stay, move with the model in play,
are removed and downloaded, and show on the wall page; a photo from the camera; Chinese.
(AppTest cannot draw on the canvas, a custom component: tests/e2e/test_drawing.py does.)"""

import io
import json

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
from PIL import Image

from ae.analysis.own_digit import MAX_MARKS
from ae.data import synthetic
from ae.data.digit_image import MAX_BYTES
from ae.ui.i18n import all_texts

pytestmark = pytest.mark.usefixtures("small_data", "own_tab_store")
DIGITS, _ = synthetic.make_digits(4, seed=1)
EN = {k: v[0] for k, v in all_texts().items()}


def photo(i: int = 0, fmt: str = "PNG") -> bytes:
    """Digit i as black ink on light paper, five times larger, off-centre: like a scan."""
    paper = np.full((200, 160), 235, np.uint8)
    paper[30:170, 10:150] = 235 - (np.kron(DIGITS[i], np.ones((5, 5), np.uint8))
                                   * (235 / 255)).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(paper).save(buf, fmt)
    return buf.getvalue()


def upload(at, name: str, data: bytes, mime: str = "image/png"):
    at.session_state["own_source"] = "upload"
    at.run()
    at.get("file_uploader")[0].set_value((name, data, mime))
    return at.run()


def landing_figure(at) -> dict:
    for c in at.get("plotly_chart"):
        fig = json.loads(c.proto.spec)
        if "pins your digit" in str(fig["layout"].get("title", {}).get("text", "")):
            return fig
    raise AssertionError("no landing figure")


def own_stars(fig: dict) -> dict:
    return next(tr for tr in fig["data"] if tr.get("legendgroup") == "own")


def all_stars(at) -> list[dict]:
    """Every trace of kept digits in every figure of the page."""
    return [tr for c in at.get("plotly_chart") for tr in json.loads(c.proto.spec)["data"]
            if tr.get("legendgroup") == "own"]


def captions(at) -> str:
    """The captions under the page's pictures, joined."""
    return "\n".join(i.caption for el in at.get("image") for i in el.proto.imgs)


def keep(at, digit: int | None = None):
    if digit is not None:
        at.session_state["own_said"] = digit
        at.run()
    at.button(key="own_keep").click()
    return at.run()


def test_an_uploaded_scan_is_prepared_pinned_and_repainted():
    at = open_page("own_digit")
    assert_ok(at)
    assert EN["own.waiting.draw"] in texts(at)  # the canvas first, waiting for a drawing
    at = upload(at, "scan.png", photo(0))
    assert_ok(at)
    shown = texts(at) + captions(at)
    for key in ("own.h.steps", "own.h.land", "own.h.nearest", "own.step.dark.inverted",
                "own.step.centred"):
        assert EN[key] in shown, key
    assert "Its mark: **(" in shown
    assert len(at.get("image")) >= 5 + 2 + 5  # five steps, input and repainting, five nearest
    fig = landing_figure(at)
    now = next(tr for tr in fig["data"] if tr.get("name") == "this drawing")
    assert len(now["x"]) == 1 and np.isfinite(now["x"][0])
    assert own_stars(fig)["x"] == []  # nothing kept yet


def test_kept_digits_stay_go_home_and_are_removed():
    at = upload(open_page("own_digit"), "scan.png", photo(0))
    at = keep(at, 7)
    assert_ok(at)
    assert [s.value for s in at.toast] == ["Digit 1 is on the wall."]
    assert EN["own.waiting.upload"] in texts(at)  # the uploader starts afresh
    assert at.session_state["own_said"] is None
    subheads = [s.value for s in at.subheader]
    assert f"4. Your digits (1 of {MAX_MARKS})" in subheads
    at = upload(at, "scan2.png", photo(1))
    at = keep(at)
    book = at.session_state["own_book"]
    assert book.digits() == [7, None]
    stars = own_stars(landing_figure(upload(at, "scan3.png", photo(2))))
    assert stars["text"] == ["7", "?"] and len(stars["x"]) == 2
    downloads = at.get("download_button")
    assert len(downloads) == 2
    at.button(key="own_rm_0").click()
    at = at.run()
    assert at.session_state["own_book"].digits() == [None]
    at.button(key="own_clear").click()
    at = at.run()
    assert not at.session_state["own_book"].marks
    assert_ok(at)


@pytest.mark.parametrize("name,data,needle", [
    ("empty.png", b"", "own.err.empty"),
    ("notes.png", b"these are my notes, not a picture", "own.err.not_image"),
    ("cut.png", photo(0)[:300], "own.err.damaged"),
    ("blank.png", None, "own.err.no_ink"),
    ("huge.png", b"x" * (MAX_BYTES + 1), None),
    ("bomb.png", None, None),
])
def test_a_bad_file_gets_a_message_and_changes_nothing(name, data, needle):
    if name == "blank.png":
        buf = io.BytesIO()
        Image.new("L", (90, 90), 240).save(buf, "PNG")
        data = buf.getvalue()
    if name == "bomb.png":
        buf = io.BytesIO()
        Image.new("1", (9_000, 5_000)).save(buf, "PNG")  # 45 million pixels in a few kB
        data = buf.getvalue()
    at = keep(upload(open_page("own_digit"), "scan.png", photo(0)), 3)
    at = upload(at, name, data)
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and EN["own.err.kept"] in errors[0], errors
    if needle is not None:
        assert EN[needle].split("{")[0] in errors[0]
    assert at.session_state["own_book"].digits() == [3]  # the kept digit is untouched
    assert EN["own.h.land"] not in texts(at)  # no half-drawn landing


def test_the_book_is_full_at_fifty():
    at = keep(upload(open_page("own_digit"), "scan.png", photo(0)), 1)
    book = at.session_state["own_book"]
    for _ in range(MAX_MARKS - 1):
        book.add(book.marks[0].image, 1)
    at = upload(at, "scan.png", photo(1))
    assert at.button(key="own_keep").disabled
    assert [w.value for w in at.warning if "remove one" in w.value]
    at.button(key="own_rm_3").click()
    at = at.run()
    assert not at.button(key="own_keep").disabled
    assert len(at.session_state["own_book"].marks) == MAX_MARKS - 1


def test_kept_digits_move_with_the_model_and_show_on_the_wall_page():
    at = keep(upload(open_page("own_digit"), "scan.png", photo(0)), 5)
    before = own_stars(landing_figure(upload(at, "s.png", photo(1))))
    for key, value in untrained_in_play(2).items():
        at.session_state[key] = value
    at = at.run()
    after = own_stars(landing_figure(at))
    assert (before["x"], before["y"]) != (after["x"], after["y"])
    at.switch_page("pages/wall.py")
    at = at.run()
    assert_ok(at)
    assert [tr["text"] for tr in all_stars(at)] == [["5"]]  # on the wall, not elsewhere
    at.toggle(key="own_show_wall").set_value(False)
    at = at.run()
    assert not all_stars(at)


def test_a_photo_from_the_camera_and_the_page_in_chinese():
    at = open_page("own_digit")
    at = set_language(at, "zh")
    at.session_state["own_source"] = "camera"
    at = at.run()
    at.camera_input[0].set_value(("shot.jpg", photo(3, "JPEG"), "image/jpeg"))
    at = at.run()
    assert_ok(at)
    zh = {k: v[1] for k, v in all_texts().items()}
    assert zh["own.h.land"] in texts(at) and zh["own.step.dark.inverted"] in captions(at)


def test_a_reload_keeps_the_kept_digits():
    at = keep(upload(open_page("own_digit"), "scan.png", photo(0)), 4)
    again = open_page("own_digit", dict(at.query_params))  # a new session, the same tab
    assert_ok(again)
    assert again.session_state["own_book"].digits() == [4]
    assert "4. Your digits (1 of 50)" in [s.value for s in again.subheader]


def test_a_vae_in_play_shows_the_patch_it_pins():
    import torch

    from ae.model import kinds
    from ae.model.config import AEConfig
    from ae.ui.state import InPlay
    torch.manual_seed(0)
    vae = kinds.build(AEConfig.book("vae")).eval()
    inplay = InPlay(key="untrained:vae", origin="untrained", model=vae, dataset="mnist")
    at = open_page("own_digit", state={"in_play": inplay, "models": {"untrained": inplay},
                                       "model_choice": "untrained"})
    at = upload(at, "scan.png", photo(2))
    assert_ok(at)
    assert EN["own.land.sigma"].split("{")[0] in texts(at)
    fig = landing_figure(at)
    assert [tr for tr in fig["data"] if tr.get("legendgroup") == "spread"]  # on the wall
    titles = [json.loads(c.proto.spec)["layout"].get("title", {}).get("text")
              for c in at.get("plotly_chart")]
    assert EN["own.spread.title"] in titles  # and in close-up


def test_a_keep_that_reaches_the_server_twice_keeps_the_drawing_once(monkeypatch):
    """The Keep button's callback carries the drawing's source generation: a second delivery
    of the same click (a rerun that cut the first short resends it) keeps nothing more."""
    from types import SimpleNamespace

    from ae.ui import own_digit as ui

    monkeypatch.setattr(ui, "st", SimpleNamespace(session_state={}))
    image = np.zeros((28, 28), np.float32)
    ui._keep(image, 7, 0)
    ui._keep(image, 7, 0)  # the same click again
    assert len(ui.book().marks) == 1
    ui._keep(image, 3, 1)  # the next drawing's Keep
    assert [m.digit for m in ui.book().marks] == [7, 3]
