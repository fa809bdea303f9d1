"""A 10-minute soak: one server, one student training on
all 60,000 images the whole time, another clicking through every page again and again.

Why: a lesson lasts an hour on one server that nobody restarts. A leak of a little memory per
page visit, a cache that grows with every rerun, an error that shows only on the 30th visit,
or a training run starved by the pages around it does not show in a test that visits each
page once; it shows when the same server keeps serving for a while.

    .venv/bin/python scripts/soak.py                  # 10 minutes
    .venv/bin/python scripts/soak.py --minutes 1.5    # a quick try (memory check skipped)

How: `streamlit run dashboard.py` on 127.0.0.1 (tests/e2e/stapp.Server), Debian's Chromium via
Playwright's async API, two browser contexts (two Streamlit sessions):

- A opens /training?tr_sub=all&tr_lr=0.0005&tr_bs=32&tr_ep=<--epochs> (the article's learning
  rate and batch on the full training set; 200 epochs outlast any soak), presses Start and
  keeps the page open: its live view reruns every second for the whole soak. At the end it
  presses Stop.
- B clicks through every page of the sidebar in a loop for --minutes: on the gallery it asks
  for another image, on the reconstructions and the wall it presses "new sample", on
  generation it moves the interpolation's slider. After every visit and action: no exception
  element and no st.error box (none is expected on this path: any is a failure).
- Every --sample-s seconds: the server's RSS (process and children, /proc) and A's step
  counter, read from its page.

Memory: the first full round of B through the pages fills the caches (the data set's codes
under each model, figures, the wall); samples from then on are "after warm-up". Reported:
RSS at the start, at warm-up, at the end, the maximum, and the slope (least squares, MB/min)
over the samples in the second half of the soak after warm-up. It fails when the RSS at the end
exceeds the first post-warm-up sample by more than --max-growth-mb (default 150 MB). Why 150:
what legitimately grows in 10 minutes is small - A's loss history (a float per step, ~3,000
steps) and its wall frames (bounded by ae.wall.MAX_FRAMES) are a few MB, and Python's and
glibc's allocators drift by some tens of MB under torch - while a real leak of even 0.5 MB per
page visit (B makes ~300 in 10 minutes) or 15 MB per minute passes 150 MB. With fewer than 3
samples after warm-up (a short --minutes) the memory check is skipped, not failed.

Training: A's step counter must rise over the soak and never stand still for longer than
--max-stall-s (default 60 s: the heaviest page's first visit holds Python's lock for a while,
but a run that stops for a minute is starved or stuck). Exit status 1 when a check failed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(ROOT / "scripts"))

import stapp  # noqa: E402  (tests/e2e: the shared browser steps)
from load import (  # noqa: E402  (scripts/load.py: the texts and regexes of the page)
    FIRST_LOAD_S,
    PAGE_S,
    PROGRESS,
    STOPPED,
    en,
    pct,
)

# B's round: every sidebar page (the gallery last: B starts there)
PAGES = [("nav.architecture", "/architecture"), ("nav.training", "/training"),
         ("nav.reconstructions", "/reconstructions"), ("nav.wall", "/wall"),
         ("nav.generation", "/generation"), ("nav.home", "/")]
BATCH = 32  # the article's batch size: A's steps x BATCH = images trained


@dataclass
class Soak:
    t0: float = 0.0
    samples: list = field(default_factory=list)  # (s, RSS MB, A's step or None)
    visits: list = field(default_factory=list)  # (path, seconds to idle)
    actions: list = field(default_factory=list)  # (path, ok, note)
    problems: list = field(default_factory=list)  # exception / error texts, where
    js_errors: list = field(default_factory=list)
    warm_s: float | None = None  # when B's first round ended
    rounds: int = 0
    a_end: str = ""
    a_stop_note: str = ""

    def now(self) -> float:
        return time.monotonic() - self.t0


async def look(page, who: str, where: str, soak: Soak) -> None:
    for kind, texts in (("exception", await stapp.exceptions_async(page)),
                        ("error", await stapp.errors_async(page))):
        soak.problems += [f"{who} {where} at {soak.now():.0f} s: {kind}: {x[:300]}"
                          for x in texts]


async def a_step(page) -> int | None:
    m = PROGRESS.search(await stapp.main_text_async(page))
    return int(m.group(1).replace(",", "")) if m else None


async def sampler(pid: int, a, soak: Soak, every_s: float) -> None:
    while True:
        step = None
        try:
            step = await a_step(a)
            await look(a, "A", "training page", soak)
        except Exception as e:  # a slow page must not end the sampling; say so
            soak.problems.append(f"A: reading the page failed at {soak.now():.0f} s: {e}")
        soak.samples.append((soak.now(), stapp.rss_mb(pid), step))
        await asyncio.sleep(every_s)


# B's action on a page: keep them small, each a rerun of the kind a student causes
async def act(page, path: str, round_no: int) -> str:
    if path == "/":
        await page.locator(stapp.MAIN).get_by_role(
            "button", name=en("home.pipeline.another")).click()
        return "another image"
    if path in ("/reconstructions", "/wall"):
        await stapp.button(page, "r_resample" if path == "/reconstructions" else "w_resample")\
            .click()
        return "new sample"
    if path == "/generation":  # the interpolation's number of steps, one up or down
        slider = stapp.keyed(page, "g_k")
        thumb = slider.locator("[data-testid='stSliderThumbValue']").first
        before = (await thumb.inner_text()).strip()
        key = "ArrowRight" if round_no % 2 == 0 else "ArrowLeft"
        await slider.locator("input").first.press(key)
        await stapp.wait_idle_async(page, PAGE_S)
        after = (await thumb.inner_text()).strip()
        if after == before:
            raise RuntimeError(f"the slider stayed at {before} after {key}")
        return f"slider {before} -> {after}"
    return ""


async def soak_run(args: argparse.Namespace, srv: stapp.Server, soak: Soak) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=args.chromium,
                                           args=stapp.CHROMIUM_ARGS)
        try:
            pages = []
            for who in ("A", "B"):
                ctx = await browser.new_context(viewport=stapp.VIEWPORT, device_scale_factor=1,
                                                locale="en-US")
                ctx.set_default_timeout(60_000)
                page = await ctx.new_page()
                page.on("pageerror", lambda e, w=who: soak.js_errors.append(f"{w}: {e}"))
                pages.append(page)
            a, b = pages
            query = f"tr_sub=all&tr_lr=0.0005&tr_bs={BATCH}&tr_ep={args.epochs}&tr_seed=0"
            await stapp.visit_async(a, srv, f"/training?{query}", timeout_s=FIRST_LOAD_S)
            await look(a, "A", "training page", soak)
            await stapp.button(a, "t_start").click()
            deadline = time.monotonic() + PAGE_S
            while (await a_step(a) or 0) < 1:
                if time.monotonic() > deadline:
                    raise TimeoutError("A's run made no step")
                await asyncio.sleep(0.5)
            print("A trains; B starts its rounds", flush=True)
            await stapp.visit_async(b, srv, "/", timeout_s=PAGE_S)
            await look(b, "B", "/", soak)
            soak.t0 = time.monotonic()
            task = asyncio.create_task(sampler(srv.proc.pid, a, soak, args.sample_s))
            end = soak.t0 + args.minutes * 60
            while time.monotonic() < end:
                for nav, path in PAGES:
                    if time.monotonic() >= end:
                        break
                    soak.visits.append((path, await stapp.go_async(b, en(nav), path, PAGE_S)))
                    await look(b, "B", path, soak)
                    try:
                        what = await act(b, path, soak.rounds)
                    except Exception as e:  # an action that can't be done is reported, not fatal
                        soak.actions.append((path, False, f"{type(e).__name__}: {str(e)[:200]}"))
                        continue
                    if what:
                        await stapp.wait_idle_async(b, PAGE_S)
                        soak.actions.append((path, True, what))
                        await look(b, "B", f"{path} after {what}", soak)
                else:
                    soak.rounds += 1
                    if soak.warm_s is None:
                        soak.warm_s = soak.now()
                        print(f"warm-up round over after {soak.warm_s:.0f} s", flush=True)
            task.cancel()
            soak.samples.append((soak.now(), stapp.rss_mb(srv.proc.pid), await a_step(a)))
            # A: Stop, and the run ends as "stopped" with its model in play
            stop = stapp.button(a, "t_stop")
            if await stop.is_enabled():
                await stop.click()
            try:
                await a.get_by_text(STOPPED).first.wait_for(timeout=120_000)
                await stapp.wait_idle_async(a, PAGE_S)
                soak.a_end = "stopped"
            except Exception as e:
                soak.a_stop_note = f"{type(e).__name__}: {str(e)[:200]}"
            await look(a, "A", "after Stop", soak)
        finally:
            await browser.close()


def slope_mb_per_min(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of (s, MB) points, in MB per minute."""
    if len(points) < 3:
        return None
    n = len(points)
    mx, my = sum(t for t, _ in points) / n, sum(m for _, m in points) / n
    var = sum((t - mx) ** 2 for t, _ in points)
    return None if var == 0 else 60 * sum((t - mx) * (m - my) for t, m in points) / var


def analyse(args: argparse.Namespace, soak: Soak, srv: stapp.Server) -> tuple[list, dict]:
    res = []
    rss = [(t, mb) for t, mb, _ in soak.samples]
    out: dict = {"samples": soak.samples, "visits": soak.visits, "actions": soak.actions,
                 "problems": soak.problems, "js_errors": soak.js_errors, "rounds": soak.rounds,
                 "warm_s": soak.warm_s}
    # memory
    warm = [(t, mb) for t, mb in rss if soak.warm_s is not None and t >= soak.warm_s]
    if rss:
        out["rss_mb"] = {"start": rss[0][1], "end": rss[-1][1], "max": max(m for _, m in rss)}
    if len(warm) >= 3:
        half = args.minutes * 60 / 2
        late = [(t, mb) for t, mb in warm if t >= half]
        slope = slope_mb_per_min(late if len(late) >= 3 else warm)
        growth = warm[-1][1] - warm[0][1]
        out["rss_mb"].update(warm=warm[0][1], growth=growth, slope_mb_per_min=slope)
        res.append(("memory growth after warm-up", growth <= args.max_growth_mb,
                    f"{warm[0][1]:.0f} MB at {warm[0][0]:.0f} s -> {warm[-1][1]:.0f} MB at "
                    f"{warm[-1][0]:.0f} s: {growth:+.0f} MB (limit {args.max_growth_mb:g}); "
                    f"slope {'-' if slope is None else f'{slope:+.1f}'} MB/min"))
    else:
        res.append(("memory growth after warm-up", None,
                    f"SKIPPED: {len(warm)} samples after warm-up "
                    f"(warm-up {'not over' if soak.warm_s is None else f'{soak.warm_s:.0f} s'})"))
    # A's training
    steps = [(t, s) for t, _, s in soak.samples if s is not None]
    stall, since = 0.0, None
    for (t, s), (t_prev, s_prev) in zip(steps[1:], steps, strict=False):
        if s > s_prev:
            since = None
        else:
            since = since if since is not None else t_prev
            stall = max(stall, t - since)
    rose = len(steps) >= 2 and steps[-1][1] > steps[0][1]
    out["a_steps"] = {"first": steps[0] if steps else None, "last": steps[-1] if steps else None,
                      "longest_stall_s": stall, "unread": len(soak.samples) - len(steps)}
    rate = ((steps[-1][1] - steps[0][1]) * BATCH / (steps[-1][0] - steps[0][0])
            if rose and steps[-1][0] > steps[0][0] else 0.0)
    res.append(("A trained the whole time", rose and stall <= args.max_stall_s,
                f"step {steps[0][1] if steps else '-'} -> {steps[-1][1] if steps else '-'} "
                f"(~{rate:,.0f} images/s), longest stall {stall:.0f} s "
                f"(limit {args.max_stall_s:g}); {len(steps)} of {len(soak.samples)} samples "
                "read a step"))
    res.append(("A stopped cleanly", soak.a_end == "stopped", soak.a_stop_note or "stopped"))
    failed_actions = [f"{p}: {n}" for p, ok, n in soak.actions if not ok]
    res.append(("B's actions worked", not failed_actions,
                "; ".join(failed_actions[:3]) or f"{len(soak.actions)} actions"))
    res.append(("no exception / error box", not soak.problems,
                "; ".join(soak.problems[:5]) or f"{len(soak.visits)} visits clean"))
    res.append(("no uncaught JavaScript error", not soak.js_errors,
                "; ".join(soak.js_errors[:5]) or "none"))
    log = srv.log_text()
    res.append(("no traceback in the server log", "Traceback" not in log,
                "none" if "Traceback" not in log else log[log.index("Traceback"):][:600]))
    return res, out


def report(soak: Soak, res: list, out: dict, error: str | None) -> None:
    print(f"\n== soak: {soak.now() if soak.t0 else 0:.0f} s, {len(soak.visits)} page visits "
          f"by B ({soak.rounds} full rounds), {len(soak.actions)} actions, "
          f"{len(soak.samples)} samples ==")
    by = {}
    for p, s in soak.visits:
        by.setdefault(p, []).append(s)
    for p, xs in by.items():
        print(f"  {p:18s} n={len(xs):3d}  p50 {pct(xs, .5):5.2f} s  p95 {pct(xs, .95):5.2f} s  "
              f"max {max(xs):5.2f} s")
    m = out.get("rss_mb", {})
    if m:
        print("server RSS (process + children): " + ", ".join(
            f"{k} {v:+.1f}" if k == "slope_mb_per_min" and v is not None else
            f"{k} {v:.0f}" if v is not None else f"{k} -" for k, v in m.items()) + " (MB)")
    print()
    for name, ok, detail in res:
        print(f"{'SKIP' if ok is None else 'PASS' if ok else 'FAIL'}  {name}: {detail}")
    if error:
        print(f"FAIL  completed: {error}")


def main() -> int:
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("--minutes", type=float, default=10.0, help="how long B clicks (10)")
    a.add_argument("--epochs", type=int, default=200, help="A's epochs on all images (200)")
    a.add_argument("--sample-s", type=float, default=10.0, help="sampling period, s (10)")
    a.add_argument("--max-growth-mb", type=float, default=150.0,
                   help="RSS growth after warm-up that fails the soak, MB (150)")
    a.add_argument("--max-stall-s", type=float, default=60.0,
                   help="longest time A's step counter may stand still, s (60)")
    a.add_argument("--timeout", type=float, default=0,
                   help="the whole run, s (default: --minutes + 15 minutes)")
    a.add_argument("--json", type=Path, help="write the measurements here")
    a.add_argument("--log", type=Path, default=ROOT / "tests" / "artifacts" / "soak" /
                   "streamlit.log", help="the server's log (tests/artifacts/soak/streamlit.log)")
    a.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = a.parse_args()
    timeout = args.timeout or args.minutes * 60 + 900
    tmp = Path(tempfile.mkdtemp(prefix="ae-soak-"))
    srv = stapp.Server(data_dir=stapp.data_dir_for_tests(tmp / "data"), log=args.log)
    soak, error, t0 = Soak(), None, time.monotonic()
    try:
        srv.start(120)
        print(f"server {srv.url} (pid {srv.proc.pid}), log {args.log}", flush=True)
        asyncio.run(asyncio.wait_for(soak_run(args, srv, soak), timeout))
    except (TimeoutError, asyncio.TimeoutError) as e:  # the whole run, or one wait
        error = f"timed out: {e}" if str(e) else f"timed out (after {timeout:.0f} s)"
    except Exception as e:  # report what was measured so far, then fail
        error = f"{type(e).__name__}: {str(e)[:1500]}"
    finally:
        res, out = analyse(args, soak, srv)
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    report(soak, res, out, error)
    out.update(checks=[{"name": n, "ok": ok, "detail": d} for n, ok, d in res], error=error,
               wall_s=time.monotonic() - t0, minutes=args.minutes, cores=os.cpu_count())
    failed = error is not None or any(ok is False for _, ok, _ in res)
    return stapp.finish(args.json, out, failed, srv, t0)


if __name__ == "__main__":
    sys.exit(main())
