"""The dashboard in a real browser: Debian's Chromium driven by
Playwright against `streamlit run dashboard.py`.

What only a browser can show: the first visit to a fresh server runs dashboard.py (its sidebar)
even through a page URL; every page opens from the sidebar without an exception element; a
click in the WebGL wall picks a point that D.Coder then paints; the language switch; a tiny
training run started and stopped with the real buttons. Each page's screenshot goes to
assets/screenshots/ for the README.

The tests run in file order and share one tab (one Streamlit session) from the root on, like a
teacher clicking through the lesson; the first test must be the server's first page load.
Run: `.venv/bin/pytest tests/e2e -m e2e` (a few minutes on a busy 2-core machine: the pages
encode and decode the 10,000 test images once per model).
"""

from __future__ import annotations

import re
import time

import pytest
import stapp

from ae.ui import tabs
from ae.ui.i18n import all_texts

pytestmark = pytest.mark.e2e

FIRST_LOAD_S = 900  # an empty data folder runs the whole source chain (mirrors, PyPI) first
PAGE_S = 420  # a heavy page's first run with a new model, on 2 busy cores
# (file stem = screenshot name, url path); the nav label and title come from the texts
PAGES = [("home", "/"), ("lesson", "/lesson"), ("architecture", "/architecture"),
         ("training", "/training"), ("reconstructions", "/reconstructions"), ("wall", "/wall"),
         ("own_digit", "/own_digit"), ("class_wall", "/class_wall"), ("generation", "/generation"),
         ("cure", "/cure")]
NAV_KEY = {"home": "nav.home", "lesson": "nav.lesson", "architecture": "nav.architecture",
           "training": "nav.training", "reconstructions": "nav.reconstructions",
           "wall": "nav.wall", "own_digit": "nav.own", "class_wall": "nav.class_wall",
           "generation": "nav.generation", "cure": "nav.cure"}
TEXTS = all_texts()


def en(key: str, **fmt) -> str:
    return TEXTS[key][0].format(**fmt) if fmt else TEXTS[key][0]


def zh(key: str) -> str:
    return TEXTS[key][1]


def template_regex(key: str, number: str = r"([\d,.\-]+)") -> re.Pattern:
    """A regex matching the English text `key` with any numbers in its {placeholders}."""
    return re.compile(number.join(re.escape(part) for part in re.split(r"\{[^}]*\}", en(key))))


def prefix(key: str) -> str:
    """The English text `key` up to its first placeholder."""
    return en(key).split("{", 1)[0]


def plain(markdown: str) -> str:
    """What a rendered markdown title reads like (bold and code marks gone)."""
    return re.sub(r"[*`]", "", markdown).strip()


def assert_clean(page, where: str) -> None:
    """No exception element and no error box: the default lesson never shows either."""
    exc = stapp.exceptions(page)
    assert not exc, f"{where}: exception element(s) on the page:\n" + "\n---\n".join(exc)
    err = stapp.errors(page)
    assert not err, f"{where}: error box(es) on the page:\n" + "\n---\n".join(err)


def assert_framed(page, where: str) -> None:
    """The page runs inside dashboard.py: its sidebar, language radio, model chooser, nav."""
    try:
        stapp.sidebar_radio(page, en("lang.label")).wait_for(timeout=20_000)
    except Exception:  # Playwright's TimeoutError: report it as the assertion below
        pass
    assert stapp.sidebar_radio(page, en("lang.label")).count() == 1, \
        f"{where}: no language radio in the sidebar (the page ran without dashboard.py?)"
    assert stapp.sidebar_radio(page, en("side.model")).count() == 1, \
        f"{where}: no model chooser in the sidebar"
    assert stapp.nav_titles(page) == [en(NAV_KEY[p]) for p, _ in PAGES], \
        f"{where}: sidebar navigation is {stapp.nav_titles(page)}"


@pytest.fixture(scope="module")
def app(server, new_tab):
    """One tab that opened the root URL: the teacher's session for the walk below."""
    page = new_tab("walk")
    stapp.visit(page, server, "/", timeout_s=FIRST_LOAD_S)
    return page


@pytest.mark.parametrize("first", ["/wall?lang=en", "/"])
def test_the_first_visit_to_a_fresh_server_runs_dashboard(server, new_tab, tmp_path, first):
    """The very first request of a fresh server (Streamlit starts it in its pages-folder mode,
    see ae/ui/frame.py), to a page URL or to the root: dashboard.py runs, with its sidebar
    and the page; the sidebar's architecture keeps the article's values on the next run (not
    one encoder layer, stride 1, "This network cannot be built" for the first visitor).
    Then a second direct URL."""
    fresh = server
    if server.requests or first == "/":  # this file's own server serves the wall's case
        fresh = stapp.Server(data_dir=server.data_dir, log=tmp_path / "fresh.log").start()
    try:
        tab = new_tab(f"first {first}")
        stapp.visit(tab, fresh, first, timeout_s=FIRST_LOAD_S)
        path = first.split("?")[0]
        name = next(n for n, p in PAGES if p == path)
        assert stapp.path_of(tab.url) == path, f"{first} became {tab.url}"
        assert_framed(tab, f"first {first}")
        assert stapp.title(tab) == plain(en(f"{name}.title"))
        assert_clean(tab, f"first {first}")
        assert not tab.get_by_text("Page not found").count(), "Streamlit's 'Page not found'"
        stapp.go(tab, en("nav.architecture"), "/architecture", timeout_s=PAGE_S)
        assert "98,946" in stapp.main_text(tab), "the sidebar lost the article's architecture"
        assert_clean(tab, f"the run after the first {first}")
        tab.close()
        tab = new_tab("direct /training")
        stapp.visit(tab, fresh, "/training", timeout_s=PAGE_S)
        assert stapp.path_of(tab.url) == "/training", f"/training became {tab.url}"
        assert_framed(tab, "direct /training")
        assert stapp.title(tab) == plain(en("training.title"))
        assert_clean(tab, "direct /training")
        tab.close()
    finally:
        if fresh is not server:
            fresh.stop()


def test_root_runs_dashboard(app):
    assert_framed(app, "root")
    lang = stapp.sidebar_radio(app, en("lang.label")).inner_text()
    assert "English" in lang and "中文" in lang
    assert stapp.title(app) == plain(en("home.title"))
    assert_clean(app, "root")


@pytest.mark.parametrize("name,path", PAGES, ids=[p for p, _ in PAGES])
def test_page_via_sidebar(app, shots, name, path):
    """Every page from the sidebar: its title, no exception, its figures drawn, a screenshot."""
    stapp.go(app, en(NAV_KEY[name]), path, timeout_s=PAGE_S)
    assert stapp.title(app) == plain(en(f"{name}.title"))
    assert_framed(app, name)
    assert_clean(app, name)
    text = stapp.main_text(app)
    if name == "architecture":  # the article's Keras summaries: encoder and decoder totals
        assert "98,946" in text and "102,017" in text, "the article's parameter counts"
    if name == "own_digit":  # a canvas waiting for a drawing (tests/e2e/test_drawing.py draws)
        canvas = app.locator("iframe[title='streamlit_drawable_canvas.st_canvas']")
        canvas.wait_for(timeout=60_000)
        box = canvas.bounding_box()
        assert box and box["width"] >= 280 and box["height"] >= 280, f"canvas {box}"
    elif name == "class_wall":  # the teacher's page before a room is opened
        assert stapp.button(app, "cw_open").count() == 1, "no Open a room button"
    elif name != "training":  # an untrained model has no loss history to plot yet
        charts = app.locator("[data-testid='stPlotlyChart']")
        assert charts.count() >= 1, f"{name}: no figure"
        box = charts.first.bounding_box()
        assert box and box["width"] > 50 and box["height"] > 50, f"{name}: empty figure {box}"
    stapp.screenshot(app, shots / f"{name}.png")


def test_cure_page_compares_or_offers_a_vae(app, shots):
    """The cure page: with a VAE (shipped or trained in this tab) the defect table in both
    columns; without one, the notice that says so; either way the autoencoder's wall, the
    r_loss_factor slider and an enabled Start. Its screenshot is the README's."""
    stapp.go(app, en("nav.cure"), "/cure", timeout_s=PAGE_S)
    assert stapp.title(app) == plain(en("cure.title"))
    assert_clean(app, "cure")
    text = stapp.main_text(app)
    table = app.locator("[data-testid='stMarkdownContainer'] table")  # ae.ui.plain
    if table.count():
        table.first.scroll_into_view_if_needed()
        assert en("cure.h.table") in text
    else:
        assert plain(en("cure.no_vae")).split(".")[0] in text, "neither a table nor the notice"
    walls = stapp.keyed(app, "cure_walls")
    box = walls.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 200, f"the walls figure: {box}"
    assert stapp.keyed(app, "cure_factor").count() == 1, "no r_loss_factor slider"
    assert stapp.button(app, "cure_start").is_enabled(), "Start is disabled"
    stapp.screenshot(app, shots / "cure.png")


def _picked(app) -> tuple[float, float]:
    """The coordinates in the wall's "D.Coder paints (x, y)" heading."""
    m = template_regex("wall.pick.h", r"\((-?[\d.]+), (-?[\d.]+)\)").search(stapp.main_text(app))
    assert m, "the wall page shows no picked point"
    return float(m.group(1)), float(m.group(2))


def test_wall_click_picks_and_paints(app):
    """A click in the WebGL wall picks the marker under the mouse (a code or the faint grid)
    and D.Coder paints it: the heading's coordinates follow the click, a new picture shows."""
    stapp.go(app, en("nav.wall"), "/wall", timeout_s=PAGE_S)
    chart = stapp.keyed(app, "w_wall")
    chart.scroll_into_view_if_needed()
    plot = chart.locator(".nsewdrag").first  # the plot area: Plotly's drag layer
    beside = app.locator("[data-testid='stColumn']").filter(
        has_text=prefix("wall.pick.h")).last  # the column with the painted picture
    before, pictures = _picked(app), stapp.images(beside)
    for fx, fy in ((0.3, 0.3), (0.7, 0.65)):
        box = plot.bounding_box()
        assert box and box["width"] > 100, f"wall plot area {box}"
        px, py = box["width"] * fx, box["height"] * fy
        # the data point under the mouse and what 25 px are in data units (Plotly's axes)
        want = app.evaluate(
            """([px, py]) => { const gd = document.querySelector('.st-key-w_wall .js-plotly-plot');
                 const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
                 return [xa.p2d(px), ya.p2d(py), Math.abs(xa.p2d(25) - xa.p2d(0)),
                         Math.abs(ya.p2d(25) - ya.p2d(0))]; }""", [px, py])
        app.mouse.click(box["x"] + px, box["y"] + py)
        stapp.wait_idle(app, PAGE_S)
        after = _picked(app)
        if after != before:
            break
    assert after != before, f"clicking the wall did not change the picked point {before}"
    tol = [want[2] + 0.006, want[3] + 0.006]  # 25 px to the nearest marker, 2-decimal heading
    assert abs(after[0] - want[0]) <= tol[0] and abs(after[1] - want[1]) <= tol[1], \
        f"picked {after}, but the click was at ({want[0]:.3f}, {want[1]:.3f})"
    now = stapp.images(beside)
    assert now and now != pictures, f"no new painted picture beside the wall: {now}"
    box = beside.locator("[data-testid='stImage'] img").last.bounding_box()
    assert box and box["width"] > 50 and box["height"] > 50, f"painted picture {box}"
    assert_clean(app, "wall after a click")


def test_training_start_and_stop(app, shots):
    """Start a run (custom subset, 1 epoch) with the page's own widgets, see the progress and
    the loss, Stop it; what it learned is then offered in the sidebar as the trained model."""
    stapp.go(app, en("nav.training"), "/training", timeout_s=PAGE_S)
    app.get_by_text(en("training.subset.custom"), exact=True).click()
    stapp.wait_idle(app, PAGE_S)
    m = template_regex("training.subset.all").search(stapp.main_text(app))  # "all 60,000"
    assert m, "the training page does not say how many training images there are"
    n = min(20_000, int(m.group(1).replace(",", "")))  # long enough to Stop it while it runs
    for key, value in (("t_n", str(n)), ("t_ep", "1")):
        box = stapp.keyed(app, key).locator("input")
        box.fill(value)
        box.press("Enter")
        stapp.wait_idle(app, PAGE_S)
        assert box.input_value() == value, f"{key} did not take {value}"
    start = stapp.button(app, "t_start")
    assert start.is_enabled(), "Start is disabled for the default recipe"
    start.click()
    progress = template_regex("training.progress")
    step = 0
    for _ in range(600):  # the live view redraws once a second
        m = progress.search(stapp.main_text(app))
        if m and int(m.group(1).replace(",", "")) >= 1:
            step, started = int(m.group(1).replace(",", "")), time.monotonic()
            break
        app.wait_for_timeout(200)
    assert step >= 1, "no training progress appeared"
    loss = stapp.keyed(app, "t_loss")
    loss.wait_for(state="visible", timeout=30_000)
    assert "images/s" in stapp.main_text(app) and "Loss" in stapp.main_text(app)
    # let the tab's lease timer (every RENEW_S) renew this live run's leases once: its errors
    # land in the server log, checked by the last test
    app.wait_for_timeout(max(0.0, min(tabs.RENEW_S + 1.5 - (time.monotonic() - started),
                                      20.0)) * 1000)
    stapp.screenshot(app, shots / "training.png")  # a dozen seconds of the loss curve
    stop = stapp.button(app, "t_stop")
    if stop.is_enabled():
        stop.click()
    ends = [prefix("training.done"), prefix("training.stopped")]  # "Done: ", "Stopped after "
    app.wait_for_function(
        "([a, b]) => { const t = document.querySelector(\"[data-testid='stMain']\").innerText;"
        " return t.includes(a) || t.includes(b); }", arg=ends,
        timeout=120_000)
    stapp.wait_idle(app, PAGE_S)
    assert_clean(app, "training after Stop")
    models = stapp.sidebar_radio(app, en("side.model")).inner_text()
    assert en("side.model.trained") in models, f"the trained model is not offered: {models}"


def test_language_switch(app, shots):
    """中文 once: the title and the navigation change language; back to English after."""
    stapp.go(app, en("nav.home"), "/", timeout_s=PAGE_S)
    radio = stapp.sidebar_radio(app, en("lang.label"))
    radio.get_by_text("中文", exact=True).click()
    stapp.wait_idle(app, PAGE_S)
    assert stapp.title(app) == plain(zh("home.title"))
    assert stapp.nav_titles(app) == [zh(NAV_KEY[p]) for p, _ in PAGES]
    assert_clean(app, "home in Chinese")
    stapp.screenshot(app, shots / "home-zh.png")
    stapp.sidebar_radio(app, zh("lang.label")).get_by_text("English", exact=True).click()
    stapp.wait_idle(app, PAGE_S)
    assert stapp.title(app) == plain(en("home.title"))


def test_no_errors_behind_the_scenes(server, js_errors, outside):
    """Nothing went wrong out of sight: no traceback in the server's log, no uncaught
    JavaScript error in any tab, no request from any tab to anywhere but the server (every
    page, both languages, a training run)."""
    log = server.log_text()
    if "Traceback" in log:
        at = log.index("Traceback")
        pytest.fail("a traceback in the server log:\n" + log[max(0, at - 200):at + 3000],
                    pytrace=False)
    assert not js_errors, "uncaught JavaScript errors:\n" + "\n".join(js_errors[:20])
    assert not outside, "requests to outside the server:\n" + "\n".join(outside[:20])
