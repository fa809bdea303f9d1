"""What the training page's live view costs: images/s of one run while the page is open and
polls it, and while nothing does (issue 4: the live view must cost < 10% of the headless
throughput).

    .venv/bin/python scripts/live_overhead.py                  # the server's cost
    .venv/bin/python scripts/live_overhead.py --client browser # + Chromium on this machine

This process runs the dashboard's server (`streamlit run dashboard.py`, in-process, so it can
read the session's run) and one training run of the page's kind (`Run.create`, the page's
thread count), put into the session the page shows. Then windows of --window seconds
alternate: "open", the page is shown and its live view polls the run (the fragments'
reruns, the wall frames recorded by the run); "headless", nothing polls and no frames are
recorded. The cost is 1 - median(open rates) / median(headless rates): alternating windows
of the *same* run cancel the slow drift of other work on the machine, which makes separate
runs differ by +-25% on a shared 2-core machine. Rates are training images per second of the
job's clock. Per window it also prints where the training thread's time went (on a core,
waiting for one, blocked: Python's lock or a mutex), from /proc's schedstat.

--client protocol (default): a small websocket client in a *separate process* does what the
browser does: opens the page, then asks for each fragment's rerun at its interval. It renders
nothing: a class's browsers run on the students' machines, not on the server.
--client browser: Chromium (pinned to the last core, lowest priority) shows the page; on a
2-core machine its rendering competes with the server for the cores.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERY = "tr_sub=custom&tr_n={n}&tr_ep=100"


# -- the browser's part, without a browser (runs in its own process) ----------------------------
def protocol_client(port: int, query: str) -> None:
    """Open the training page over Streamlit's websocket; on "open" on stdin, rerun the page
    and then each fragment at the interval the server asked for; on "close", stop."""
    from websockets.sync.client import connect

    with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                 max_size=None) as ws:
        _client_loop(ws, query)


def _client_loop(ws, query: str) -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    fragments: dict[str, float] = {}  # fragment id -> interval, s
    page, polling, lock = [""], [False], threading.Lock()

    def send(fragment_id: str = "") -> None:
        m = BackMsg()
        m.rerun_script.query_string, m.rerun_script.page_name = query, "training"
        m.rerun_script.page_script_hash = page[0]
        if fragment_id:
            m.rerun_script.fragment_id, m.rerun_script.is_auto_rerun = fragment_id, True
        with lock:
            ws.send(m.SerializeToString())

    def receive() -> None:
        for raw in ws:
            m = ForwardMsg()
            m.ParseFromString(raw)
            kind = m.WhichOneof("type")
            if kind == "navigation":
                page[0] = m.navigation.page_script_hash
            elif kind == "auto_rerun" and polling[0]:
                fragments[m.auto_rerun.fragment_id] = m.auto_rerun.interval

    def poll() -> None:
        due: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for fid, every in list(fragments.items()):
                if now >= due.setdefault(fid, now + every):
                    due[fid] = now + every
                    send(fid)
            time.sleep(0.02)

    threading.Thread(target=receive, daemon=True).start()
    threading.Thread(target=poll, daemon=True).start()
    send()
    print("connected", flush=True)
    for line in sys.stdin:
        polling[0] = line.strip() == "open"
        fragments.clear()
        if polling[0]:
            send()  # the page drawn again: its fragments announce their intervals


# -- the measurement (in the server's process) -------------------------------------------------
def schedstat(tid: int) -> tuple[float, float]:
    """(seconds on a core, seconds runnable but waiting for a core) of thread `tid`."""
    on, wait, _ = open(f"/proc/self/task/{tid}/schedstat").read().split()
    return int(on) / 1e9, int(wait) / 1e9


def measure(port: int, args: argparse.Namespace, out: dict) -> None:
    from streamlit.runtime import Runtime

    from ae.live.run import Run
    from ae.live.slots import slots, train_threads
    from ae.live.snapshot import LIVE_INTERVAL
    from ae.model.config import AEConfig
    from ae.train.recipe import Recipe
    from ae.ui import resources

    for _ in range(240):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.5)
    query = QUERY.format(n=args.subset)
    show = open_client(args.client, port, query)
    session = None
    while session is None:  # the page has run once for this session: its settings exist
        time.sleep(0.2)
        session = next((s.session for s in Runtime.instance()._session_mgr.list_active_sessions()
                        if "_t_kept" in s.session._session_state), None)
    ds = resources.dataset("mnist")
    settings = Recipe(subset=min(args.subset, len(ds.x_train)), epochs=100)
    threads = train_threads(os.cpu_count(), slots.max)  # as the page's Start does
    print(f"data {ds.name} from {ds.source}; {settings.subset:,} images, batch "
          f"{settings.batch_size}; {threads} training thread(s); {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f}; client {args.client}", flush=True)
    run = Run.create(AEConfig.book(), ds, settings, threads=threads)
    session._session_state["t_run"] = run
    run.start()
    while run.live.frames < 2 or run.images_trained() < 20 * settings.batch_size:
        time.sleep(0.2)  # past the warm-up (first steps, first frame in training)
    tid = run._thread.native_id
    rates: dict[bool, list[float]] = {True: [], False: []}
    is_open, end = False, time.perf_counter() + args.total
    while time.perf_counter() < end and run.active:
        show(is_open)
        run.live.interval = LIVE_INTERVAL if is_open else float("inf")  # frames on / off
        run.live._next = 0.0 if is_open else float("inf")
        n0, a0, (on0, wait0), w0 = (run.images_trained(), run.progress()["elapsed_s"],
                                    schedstat(tid), time.perf_counter())
        time.sleep(args.window)
        n1, a1, (on1, wait1), w = (run.images_trained(), run.progress()["elapsed_s"],
                                   schedstat(tid), time.perf_counter() - w0)
        rates[is_open].append((n1 - n0) / (a1 - a0))
        on, wait = (on1 - on0) / w, (wait1 - wait0) / w
        print(f"  {'open    ' if is_open else 'headless'} {rates[is_open][-1]:5,.0f} img/s | "
              f"training thread: on a core {on:.2f}, waiting for one {wait:.2f}, blocked "
              f"{max(0.0, 1 - on - wait):.2f}", flush=True)
        is_open = not is_open
    run.stop()
    run.join()
    out["rates"] = rates[True], rates[False]


def open_client(kind: str, port: int, query: str):
    """Start the client; returns show(is_open)."""
    if kind == "protocol":
        proc = subprocess.Popen([sys.executable, __file__, "--serve-client", str(port), query],
                                stdin=subprocess.PIPE, text=True)

        def show(is_open: bool) -> None:
            proc.stdin.write("open\n" if is_open else "close\n")
            proc.stdin.flush()
        return show
    from playwright.sync_api import sync_playwright

    cores = sorted(os.sched_getaffinity(0))
    wrapper = Path(tempfile.mkdtemp()) / "chromium"  # the last core, only when it is idle
    wrapper.write_text(f"#!/bin/sh\nexec taskset -c {cores[-1]} chrt --idle 0 "
                       f"{os.environ.get('CHROMIUM', '/usr/bin/chromium')} \"$@\"\n")
    wrapper.chmod(0o755)
    browser = sync_playwright().start().chromium.launch(
        executable_path=str(wrapper), args=["--no-sandbox", "--disable-gpu"])
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(f"http://localhost:{port}/training?{query}")
    idle = "[data-testid='stApp'][data-test-script-state='notRunning']"
    page.wait_for_selector(idle, timeout=120_000)

    def show(is_open: bool) -> None:  # "headless": another page of the app, nothing polls
        page.get_by_role("link", name="Training" if is_open else "The gallery").click()
        page.wait_for_selector(idle, timeout=120_000)
    return show


def main() -> int:
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("--client", choices=["protocol", "browser"], default="protocol")
    a.add_argument("--subset", type=int, default=60_000, help="training images (60000)")
    a.add_argument("--window", type=float, default=20.0, help="one window, s (20)")
    a.add_argument("--total", type=float, default=240.0, help="all windows, s (240)")
    a.add_argument("--serve-client", nargs=2, help=argparse.SUPPRESS)
    args = a.parse_args()
    if args.serve_client:
        protocol_client(int(args.serve_client[0]), args.serve_client[1])
        return 0
    from streamlit.web import bootstrap

    os.chdir(ROOT)  # .streamlit/config.toml is read from here, as by `streamlit run`
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out: dict = {}

    def measure_then_exit() -> None:
        try:
            measure(port, args, out)
            opened, alone = out["rates"]
            cost = 1 - statistics.median(opened) / statistics.median(alone)
            print(f"median open {statistics.median(opened):,.0f} img/s, median headless "
                  f"{statistics.median(alone):,.0f} img/s: the open page costs {cost:.1%} "
                  f"({len(opened)} + {len(alone)} windows of {args.window:g} s)", flush=True)
        except BaseException as e:  # noqa: BLE001 - report it, then end the server either way
            print(f"failed: {e!r}", flush=True)
        finally:
            os._exit(0 if "rates" in out else 1)  # the server holds the main thread

    threading.Thread(target=measure_then_exit, daemon=True).start()
    flags = {"server.port": port, "server.headless": True, "server.fileWatcherType": "none",
             "browser.gatherUsageStats": False}
    bootstrap.load_config_options(flag_options=flags)
    bootstrap.run(str(ROOT / "dashboard.py"), False, [], flags)
    return 1  # not reached


if __name__ == "__main__":
    sys.exit(main())
