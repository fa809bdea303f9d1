"""Many students on one server: N browser sessions open
the training page of one `streamlit run dashboard.py` and all press Start at once.

Why: in a class every student trains on the same server. What must hold then: the server-wide
training cap (ae.live.slots, $AE_MAX_TRAINING_JOBS, half the cores) queues the extra runs and
says so; every session gets its own run and its own trained model, and nobody sees another
student's model or upload; the pages stay usable while the runs train; the server's memory
stays bounded. The unit tests check each piece alone; this script checks them together,
through real browsers.

    .venv/bin/python scripts/load.py                                        # 8 sessions
    .venv/bin/python scripts/load.py --sessions 3 --subset 300 --epochs 1   # a quick try

How: one Chromium (Debian's, via Playwright's async API) with one browser context per session
(each its own Streamlit session), all on 127.0.0.1. Session i opens
/training?tr_sub=custom&tr_n=<subset+i>&tr_ep=<epochs>&tr_seed=<1000+i>&tr_lr=<one of LRS>, so
every session has its own recipe and its model its own label ("1,003 images, 2 epochs, lr
0.002"). All press Start together. While the runs train (one after another under a cap of 1),
each session watches its page for a moment, then switches to the gallery page and back by the
sidebar; the time from the click until the new page's title is drawn and the script run is
over is the page latency under load. When all runs are over, each session checks its own model
and loss; then session 0 uploads a checkpoint and the others must not be offered it.

Checks (PASS/FAIL): the recipe came from the URL; the cap works (at least N - cap sessions
were shown the "queued" warning, which names the cap); every run ends "done"; each session
shows its own model's label and no other's; the final losses all differ; an upload stays in
its session; no exception element, st.error box, uncaught JavaScript error or server-log
traceback. Measured: page latency p50/p95, the server's RSS (process and children, /proc) with
one session, with all N training, and after the tabs closed. Exit status 1 when a check failed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

import stapp  # noqa: E402  (tests/e2e: the shared browser steps)

from ae.ui.i18n import all_texts  # noqa: E402

TEXTS = all_texts()
LR_CYCLE = [5e-4, 1e-3, 2e-4, 2e-3, 1e-4]  # values of the page's lr slider (ae.ui.training.LRS)
FIRST_LOAD_S = 600  # the server's first page: data set and shipped models loaded
PAGE_S = 300  # any later page, on 2 busy cores
WATCH_S = 2.0  # a session looks at its training page this long between two page switches


def en(key: str, **fmt) -> str:
    return TEXTS[key][0].format(**fmt) if fmt else TEXTS[key][0]


def template_regex(key: str, number: str = r"([\d,.\-]+)") -> re.Pattern:
    """The English text `key` (markdown marks dropped) with any {placeholder} as a group."""
    text = re.sub(r"\*\*", "", en(key))
    return re.compile(number.join(re.escape(part) for part in re.split(r"\{[^}]*\}", text)))


def prefix(key: str) -> str:
    return en(key).split("{", 1)[0]


def plain(markdown: str) -> str:
    return re.sub(r"[*`]", "", markdown).strip()


PROGRESS = template_regex("training.progress")
QUEUED = template_regex("training.queued", r"(\d+)")  # "... {used} of {max} training slots ..."
SHOWN_LOSS = re.compile(re.escape(prefix("training.numbers").replace("*", "")) + r"([\d.]+)")
RUNNING = en("training.running")[:40]
DONE, STOPPED = prefix("training.done"), prefix("training.stopped")
FAILED, DIVERGED = prefix("training.failed"), prefix("training.diverged")
HOME, TRAINING = (en("nav.home"), "/", plain(en("home.title"))), \
    (en("nav.training"), "/training", plain(en("training.title")))

# the new page drawn (its h1) and its script run over: one round trip per poll
_SWITCH_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  const h1 = document.querySelector("[data-testid='stMain'] h1");
  return {script: app ? app.getAttribute('data-test-script-state') : null,
          spinners: document.querySelectorAll("[data-testid='stSpinner']").length,
          title: h1 ? h1.innerText.trim() : null};
}"""
# the loss curve's per-step trace, at full precision (the page rounds to 4 decimals)
_LOSS_JS = """(name) => {
  const gd = document.querySelector(".st-key-t_loss:not([data-stale='true']) .js-plotly-plot");
  const data = gd && (gd._fullData || gd.data);  // _fullData: typed arrays decoded
  if (!data || !data.length) return null;
  const tr = data.find(t => t.name === name) || data[0];
  const y = Array.from(tr.y || []);
  return y.length ? {last: y[y.length - 1], n: y.length, sum: y.reduce((a, b) => a + b, 0)}
                  : null;
}"""


def fmt_lr(v: float) -> str:
    from ae.ui.training import fmt_lr as page_fmt  # the page's own formatting of the label

    return page_fmt(v)


@dataclass
class Student:
    """One browser session and what it saw."""

    i: int
    n: int
    lr: float
    seed: int
    epochs: int
    ctx: object = None
    page: object = None
    queued: list = field(default_factory=list)  # (used, max) of each queued warning seen
    running_seen: bool = False
    result: str | None = None  # done / stopped / failed / diverged
    t_start: float = 0.0
    t_running: float | None = None  # first seen running (s after Start)
    t_end: float | None = None  # first seen finished (s after Start)
    loss: dict | None = None
    shown_loss: str | None = None
    latencies: list = field(default_factory=list)  # (target page, s)
    problems: list = field(default_factory=list)  # exception / error texts, where
    js_errors: list = field(default_factory=list)
    text_after: str = ""
    recipe_ok: bool | None = None
    recipe_note: str = ""

    @property
    def path(self) -> str:
        return (f"/training?tr_sub=custom&tr_n={self.n}&tr_ep={self.epochs}"
                f"&tr_seed={self.seed}&tr_lr={fmt_lr(self.lr)}")

    @property
    def label(self) -> str:
        """The sidebar model's label once its run is done (ae.ui.training.adopt_finished)."""
        return (en("side.model.trained") + ": "
                + en("training.label", n=self.n, epochs=self.epochs, lr=fmt_lr(self.lr)))


# -- one session's steps ------------------------------------------------------------------------
async def look(st: Student, where: str) -> None:
    """Record exception elements and error boxes on the session's page."""
    for kind, texts in (("exception", await stapp.exceptions_async(st.page)),
                        ("error", await stapp.errors_async(st.page))):
        st.problems += [f"session {st.i} {where}: {kind}: {x[:300]}" for x in texts]


async def open_session(browser, srv: stapp.Server, st: Student, timeout_s: float) -> None:
    st.ctx = await browser.new_context(viewport=stapp.VIEWPORT, device_scale_factor=1,
                                       locale="en-US")
    st.ctx.set_default_timeout(60_000)
    st.page = await st.ctx.new_page()
    st.page.on("pageerror", lambda e: st.js_errors.append(f"session {st.i}: {e}"))
    await stapp.visit_async(st.page, srv, st.path, timeout_s=timeout_s)
    await look(st, "training page loaded")
    want = {"t_n": str(st.n), "t_ep": str(st.epochs), "t_seed": str(st.seed),
            "t_lr": fmt_lr(st.lr)}
    t0, seen = time.monotonic(), []
    while True:  # the widgets show the URL's recipe (re-read: see recipe_note)
        got = await recipe_widgets(st.page)
        if not seen or got != seen[-1]:
            seen.append(got)
        if got == want or time.monotonic() - t0 > 10:
            break
        await asyncio.sleep(0.5)
    st.recipe_ok = got == want
    if not st.recipe_ok:
        st.recipe_note = f"widgets {got}, URL asked for {want}"
    elif len(seen) > 1:
        st.recipe_note = (f"first showed {seen[0]}, then the URL's recipe after "
                          f"{time.monotonic() - t0:.1f} s")


async def recipe_widgets(page) -> dict:
    got = {}
    for key in ("t_n", "t_ep", "t_seed"):
        got[key] = await stapp.keyed(page, key).locator("input").input_value()
    thumb = stapp.keyed(page, "t_lr").locator("[data-testid='stSliderThumbValue']").first
    got["t_lr"] = (await thumb.inner_text()).strip()
    return got


async def read_status(st: Student) -> str:
    """What the training page says about the run now; records queued warnings and the end."""
    text = await stapp.main_text_async(st.page)
    now = time.monotonic() - st.t_start
    m = QUEUED.search(text)
    if m:
        st.queued.append((int(m.group(1)), int(m.group(2))))
        return "queued"
    for marker, result in ((DONE, "done"), (STOPPED, "stopped"), (FAILED, "failed"),
                           (DIVERGED, "diverged")):
        if marker in text:
            st.result = st.result or result
            st.t_end = st.t_end if st.t_end is not None else now
            return result
    if RUNNING in text or PROGRESS.search(text):
        st.running_seen = True
        st.t_running = st.t_running if st.t_running is not None else now
        return "running"
    return "unknown"


async def press_start(st: Student) -> None:
    st.t_start = time.monotonic()
    await stapp.button(st.page, "t_start").click()
    deadline = time.monotonic() + PAGE_S
    while await read_status(st) == "unknown":  # the click's rerun draws the run's state
        if time.monotonic() > deadline:
            raise TimeoutError(f"session {st.i}: no run state after Start")
        await asyncio.sleep(0.3)
    await look(st, "after Start")


async def switch(st: Student, target: tuple[str, str, str], settle: bool) -> float:
    """Click the sidebar link to `target` (nav label, path, title); the seconds until its title
    is drawn and the script run is over. `settle`: then also wait for a quiet page (not timed;
    the training page's live view reruns every second, so it is never quiet for long)."""
    nav, path, title = target
    t0 = time.monotonic()
    await stapp.nav_link(st.page, nav).click()
    deadline = t0 + PAGE_S
    while True:
        s = await st.page.evaluate(_SWITCH_JS)
        if (stapp.path_of(st.page.url).rstrip("/") or "/") == path and s["title"] == title \
                and s["script"] == "notRunning" and not s["spinners"]:
            took = time.monotonic() - t0
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"session {st.i}: {path} not drawn within {PAGE_S} s ({s})")
        await asyncio.sleep(0.05)
    st.latencies.append((path, took))
    if settle:
        await stapp.wait_idle_async(st.page, PAGE_S, quiet_s=0.5)
    await look(st, f"on {path}")
    return took


async def train_and_measure(st: Student) -> None:
    """Watch the run, switching to the gallery and back, until it is over."""
    while True:
        state = await read_status(st)
        if state in ("done", "stopped", "failed", "diverged"):
            break
        await asyncio.sleep(WATCH_S)
        await switch(st, HOME, settle=True)
        await switch(st, TRAINING, settle=False)
    # the run's end reruns the page (the model in play changes): wait for that to settle
    await stapp.wait_idle_async(st.page, PAGE_S)
    await look(st, "run over")


async def read_own(st: Student) -> None:
    """After all runs: the training page's text and the loss curve's last value."""
    await switch(st, HOME, settle=True)
    await switch(st, TRAINING, settle=False)
    await stapp.wait_idle_async(st.page, PAGE_S)
    st.text_after = await stapp.main_text_async(st.page)
    st.loss = await st.page.evaluate(_LOSS_JS, en("training.plot.loss.step"))
    m = SHOWN_LOSS.search(st.text_after)
    st.shown_loss = m.group(1) if m else None


async def upload_check(students: list[Student], ckpt: bytes, name: str) -> tuple[bool, str]:
    """Session 0 uploads a checkpoint; it must be offered there, and nowhere else."""
    up = students[0]
    box = stapp.keyed(up.page, "t_upload").locator("input[type='file']")
    await box.set_input_files(files=[{"name": name, "mimeType": "application/octet-stream",
                                      "buffer": ckpt}])
    await up.page.get_by_text(name).first.wait_for(timeout=PAGE_S * 1000)
    await stapp.wait_idle_async(up.page, PAGE_S)
    await look(up, "after the upload")
    uploaded = en("side.model.upload")
    radio = stapp.sidebar_radio(up.page, en("side.model"))
    notes = []
    if uploaded not in await radio.inner_text():
        notes.append("the uploading session is not offered its upload")
    for st in students[1:]:  # a rerun of every other session, then its sidebar and page
        await switch(st, HOME, settle=True)
        side = await stapp.sidebar_radio(st.page, en("side.model")).inner_text()
        text = await stapp.main_text_async(st.page)
        if uploaded in side or name in text:
            notes.append(f"session {st.i} sees the upload ({side!r})")
    return not notes, "; ".join(notes) or f"session 0 has {name!r}; {len(students) - 1} others not"


def make_checkpoint() -> bytes:
    """A small model's checkpoint (the article's architecture, z_dim 2, random weights)."""
    import torch

    from ae.model import checkpoint
    from ae.model.autoencoder import Autoencoder
    from ae.model.config import AEConfig

    torch.manual_seed(123)
    return checkpoint.to_bytes(Autoencoder.from_config(AEConfig.book()),
                               meta={"command": "scripts/load.py"})


# -- the whole test ------------------------------------------------------------------------------
class Memory:
    """RSS samples of the server's process tree, named and over time."""

    def __init__(self, srv: stapp.Server):
        self.pid = srv.proc.pid
        self.named: list[tuple[str, float]] = []
        self.series: list[tuple[float, float]] = []

    def take(self, name: str) -> float:
        mb = stapp.rss_mb(self.pid)
        self.named.append((name, mb))
        return mb

    async def sample(self, every_s: float = 2.0) -> None:
        t0 = time.monotonic()
        while True:
            self.series.append((time.monotonic() - t0, stapp.rss_mb(self.pid)))
            await asyncio.sleep(every_s)


def pct(xs: list[float], q: float) -> float:
    """The q-quantile (0..1) of xs, linear between ranks."""
    s = sorted(xs)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q
    lo = int(k)
    return s[lo] + (s[min(lo + 1, len(s) - 1)] - s[lo]) * (k - lo)


async def run(args: argparse.Namespace, srv: stapp.Server, out: dict) -> None:
    from playwright.async_api import async_playwright

    from ae.live.slots import default_max_jobs

    cap = args.max_jobs or default_max_jobs()
    students = [Student(i, args.subset + i, LR_CYCLE[i % len(LR_CYCLE)], 1000 + i, args.epochs)
                for i in range(args.sessions)]
    out.update(students=students, cap=cap)
    mem = Memory(srv)
    out["memory"] = mem
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=args.chromium,
                                           args=stapp.CHROMIUM_ARGS)
        try:
            t0 = time.monotonic()
            await open_session(browser, srv, students[0], FIRST_LOAD_S)
            mem.take("1 session, training page open")
            print(f"session 0 open after {time.monotonic() - t0:.0f} s; opening "
                  f"{len(students) - 1} more", flush=True)
            await asyncio.gather(*(open_session(browser, srv, st, PAGE_S)
                                   for st in students[1:]))
            mem.take(f"{len(students)} sessions open, idle")
            sampler = asyncio.create_task(mem.sample())
            t_train = time.monotonic()
            await asyncio.gather(*(press_start(st) for st in students))
            print(f"all {len(students)} pressed Start; queued at once: "
                  f"{sum(bool(st.queued) for st in students)} (cap {cap})", flush=True)
            await asyncio.gather(*(train_and_measure(st) for st in students))
            sampler.cancel()
            out["train_s"] = time.monotonic() - t_train
            print(f"all runs over after {out['train_s']:.0f} s", flush=True)
            busy = [mb for _, mb in mem.series]
            mem.named.append((f"{len(students)} sessions training (max)", max(busy)))
            mem.named.append((f"{len(students)} sessions training (median)",
                              statistics.median(busy)))
            await asyncio.gather(*(read_own(st) for st in students))
            name = f"load-test-{os.getpid()}.pt"
            out["upload"] = await upload_check(students, make_checkpoint(), name)
            mem.take("all runs over, upload done")
        finally:
            for st in students:
                if st.ctx is not None:
                    await st.ctx.close()
        try:
            await asyncio.sleep(args.settle)
            out["settle_s"] = args.settle
            mem.take(f"all tabs closed (+{args.settle:g} s)")
            # closed tabs are let go lazily, at the next access to the server's store of tabs
            # (ae.ui.tab_store): the next student's first page does that
            late = await browser.new_context(viewport=stapp.VIEWPORT, locale="en-US")
            await stapp.visit_async(await late.new_page(), srv, "/", PAGE_S)
            await late.close()
            await asyncio.sleep(10)  # the let-go thread: runs stopped, memory given back
            mem.take("after the next student's first page")
        finally:
            await browser.close()


def checks(out: dict, srv: stapp.Server) -> list[tuple[str, bool, str]]:
    students: list[Student] = out.get("students", [])
    cap, n = out.get("cap", 1), len(students)
    res = []
    bad = [f"{st.i}: {st.recipe_note}" for st in students if not st.recipe_ok]
    late = [st.i for st in students if st.recipe_ok and st.recipe_note]
    res.append(("recipe from the URL", not bad, "; ".join(bad) or f"{n} sessions" + (
        f" (session(s) {late} first showed another value: a widget that mounts after the run "
        "ends shows its minimum for a moment; see the JSON)" if late else "")))
    queued = [st for st in students if st.queued]
    caps = sorted({m for st in students for _, m in st.queued})
    over = [(u, m) for st in students for u, m in st.queued if u > m]
    need = max(0, n - cap)
    res.append(("cap: extra runs queued", len(queued) >= need and caps in ([], [cap])
                and not over and (need == 0 or bool(caps)),
                f"{len(queued)} of {n} sessions saw the queued warning (>= {need} needed); "
                f"it named max {caps} (cap {cap}); used > max: {over or 'never'}"))
    not_done = [f"{st.i}: {st.result}" for st in students if st.result != "done"]
    res.append(("every run done", not not_done, "; ".join(not_done) or f"{n} done"))
    wrong = []
    for st in students:
        if st.label not in st.text_after:
            shown = re.escape(prefix("model.looking").replace("*", ""))  # "Looking at: "
            looking = re.search(rf"[^\n]*{shown}[^\n]*", st.text_after)
            wrong.append(f"{st.i} lacks its label {st.label!r} (its page says "
                         f"{looking.group(0) if looking else st.text_after[:300]!r})")
        others = [o.i for o in students if o is not st
                  and re.search(re.escape(o.label) + r"(?![\d,])", st.text_after)]
        if others:
            wrong.append(f"{st.i} shows the label of session(s) {others}")
    res.append(("own model, no other's", not wrong, "; ".join(wrong) or "each its own label"))
    losses = [st.loss["last"] if st.loss else None for st in students]
    distinct = None not in losses and len(set(losses)) == len(losses)
    res.append(("final losses differ", distinct,
                ", ".join("-" if x is None else f"{x:.6f}" for x in losses)))
    if "upload" in out:
        res.append(("upload stays in its session", *out["upload"]))
    else:
        res.append(("upload stays in its session", False, "not reached"))
    problems = [p for st in students for p in st.problems]
    res.append(("no exception / error box", not problems, "; ".join(problems[:5]) or "none"))
    js = [e for st in students for e in st.js_errors]
    res.append(("no uncaught JavaScript error", not js, "; ".join(js[:5]) or "none"))
    log = srv.log_text()
    res.append(("no traceback in the server log", "Traceback" not in log,
                "none" if "Traceback" not in log else
                log[log.index("Traceback"):][:600]))
    # ae.ui.tab_store logs this after closed tabs are let go (AE_TAB_GRACE_S after their last
    # renewal, at the next visit): every run must have left memory by then (the tab kept is
    # the next student's)
    freed = re.findall(r"memory released: (\d+) tabs kept, (\d+) training runs in memory", log)
    if out.get("settle_s", 0) >= out.get("grace_s", 150) + 10:
        res.append(("closed tabs freed their runs", bool(freed) and freed[-1][1] == "0"
                    and int(freed[-1][0]) <= 1,
                    f"last report: {freed[-1][0]} tabs kept, {freed[-1][1]} runs in memory"
                    if freed else "the server logged no memory release"))
    return res


def report(args: argparse.Namespace, out: dict, res: list, error: str | None) -> dict:
    students: list[Student] = out.get("students", [])
    print(f"\n== load: {len(students)} sessions, cap {out.get('cap')}, subset {args.subset}+i x "
          f"{args.epochs} epoch(s), {os.cpu_count()} cores ==")
    print(" i  images  lr      seed  queued  running@  end@    result  final loss")
    for st in students:
        def s(x):
            return "-" if x is None else f"{x:5.0f}s"
        loss = f"{st.loss['last']:.6f}" if st.loss else "-"
        print(f"{st.i:2d}  {st.n:6,d}  {fmt_lr(st.lr):6s}  {st.seed:4d}  "
              f"{'yes' if st.queued else 'no':6s}  {s(st.t_running):8s}  {s(st.t_end):6s}  "
              f"{st.result or '-':6s}  {loss} (shown {st.shown_loss})")
    lat = [x for st in students for _, x in st.latencies]
    lat_by = {p: [x for st in students for q, x in st.latencies if q == p]
              for p in ("/", "/training")}
    print("\npage switch latency under load (click -> title drawn, run over):")
    for name, xs in (("all", lat), ("-> gallery", lat_by["/"]),
                     ("-> training", lat_by["/training"])):
        if xs:
            print(f"  {name:12s} n={len(xs):4d}  p50 {pct(xs, .5):5.2f} s  p95 "
                  f"{pct(xs, .95):5.2f} s  max {max(xs):5.2f} s")
    mem: Memory | None = out.get("memory")
    if mem is not None:
        print("\nserver RSS (process + children):")
        for name, mb in mem.named:
            print(f"  {name:36s} {mb:7.0f} MB")
    print()
    for name, ok, detail in res:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    if error:
        print(f"FAIL  completed: {error}")
    return {
        "sessions": [{"i": st.i, "n": st.n, "lr": st.lr, "seed": st.seed, "epochs": st.epochs,
                      "queued": st.queued, "result": st.result, "t_running_s": st.t_running,
                      "t_end_s": st.t_end, "loss": st.loss, "shown_loss": st.shown_loss,
                      "latencies": st.latencies, "problems": st.problems,
                      "js_errors": st.js_errors, "recipe_note": st.recipe_note}
                     for st in students],
        "cap": out.get("cap"), "train_s": out.get("train_s"),
        "latency_s": {"n": len(lat), "p50": pct(lat, .5), "p95": pct(lat, .95),
                      "max": max(lat, default=None)},
        "rss_mb": dict(mem.named) if mem else {},
        "rss_series": mem.series if mem else [],
        "checks": [{"name": n, "ok": ok, "detail": d} for n, ok, d in res],
        "error": error,
    }


def main() -> int:
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("--sessions", type=int, default=8, help="browser sessions (8)")
    a.add_argument("--subset", type=int, default=1000,
                   help="training images of session 0; session i trains on subset+i (1000)")
    a.add_argument("--epochs", type=int, default=2, help="epochs of every run (2)")
    a.add_argument("--max-jobs", type=int, default=0,
                   help="the server's training cap, as $AE_MAX_TRAINING_JOBS "
                        "(default: the app's default, half the cores)")
    a.add_argument("--timeout", type=float, default=900, help="the whole test, s (900)")
    a.add_argument("--grace", type=float, default=150.0,
                   help="the server's AE_TAB_GRACE_S: a closed tab's work is let go after it "
                        "(150, the app's default)")
    a.add_argument("--settle", type=float, default=None,
                   help="seconds after closing the tabs before the next student comes, the "
                        "last RSS samples and the check that their runs left memory "
                        "(default and least: --grace + 10)")
    a.add_argument("--json", type=Path, help="write the measurements here")
    a.add_argument("--log", type=Path, default=ROOT / "tests" / "artifacts" / "load" /
                   "streamlit.log", help="the server's log (tests/artifacts/load/streamlit.log)")
    a.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = a.parse_args()
    if args.sessions < 2:
        a.error("--sessions must be at least 2 (isolation needs someone to be isolated from)")
    args.settle = max(args.settle or 0, args.grace + 10)
    env = {"AE_TAB_GRACE_S": str(args.grace)}
    if args.max_jobs:
        env["AE_MAX_TRAINING_JOBS"] = str(args.max_jobs)
    tmp = Path(tempfile.mkdtemp(prefix="ae-load-"))
    srv = stapp.Server(data_dir=stapp.data_dir_for_tests(tmp / "data"), log=args.log, env=env)
    out: dict = {"grace_s": args.grace}
    error = None
    t0 = time.monotonic()
    try:
        srv.start(120)
        print(f"server {srv.url} (pid {srv.proc.pid}), log {args.log}", flush=True)
        asyncio.run(asyncio.wait_for(run(args, srv, out), args.timeout))
    except (TimeoutError, asyncio.TimeoutError) as e:  # the whole test, or one wait
        error = f"timed out: {e}" if str(e) else f"timed out (--timeout {args.timeout:g} s)"
    except Exception as e:  # report what was measured so far, then fail
        error = f"{type(e).__name__}: {str(e)[:1500]}"
    finally:
        res = checks(out, srv) if out else []
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    data = report(args, out, res, error)
    data["wall_s"] = time.monotonic() - t0
    failed = error is not None or not all(ok for _, ok, _ in res)
    return stapp.finish(args.json, data, failed, srv, t0)


if __name__ == "__main__":
    sys.exit(main())
