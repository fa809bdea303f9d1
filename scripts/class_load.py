"""Forty students, measured: Locust users that speak Streamlit's protocol (scripts/stload)
against one real server, then in steps, with the table a school sizes its server by.

Why: a class is forty devices, not eight Chromium tabs on the server's own cores
(scripts/load.py). Each Locust user here is one tab without a browser (its WebSocket, its
BackMsgs), so the server does a tab's work and the load machine does little else.

    .venv/bin/python scripts/class_load.py                            # 40 users 3 min, then steps
    .venv/bin/python scripts/class_load.py --users 0 --steps 10,20 --step-duration 60
    .venv/bin/python scripts/class_load.py --url http://127.0.0.1:8080 --server-pid 1234 ...
    make load                                                         # the same, after its install

How: without --url it starts `streamlit run dashboard.py` (tests/e2e/stapp.Server) on a free
loopback port, with real MNIST when AE_E2E_DATA_DIR is set (else the tests' data); with --url it
uses a running one (e.g. the balancer in front of two replicas; --server-pid, repeatable, names
the processes whose memory to read). One warm-up tab first opens every page (the first visit
computes the shipped models' walls: a cold server is not what a class meets twice). Then Locust
runs headless (`python -m locust`, scripts/stload/locustfile.py) once with --users for
--duration s (the class), then once per --steps value for --step-duration s each; users arrive
at --spawn-rate per s (default: all within 10 s). Every rerun (a page opened, a slider moved, a
point picked, Start pressed: request sent -> its script_finished) is one sample.

Printed, per stage: users; sessions per core (users / os.cpu_count() of this machine: the
server's cores when it runs here); rerun p50 and p95 (s, exact, from the users' own log);
reruns; errors (exception elements in a page, compile errors, lost connections, failed
connects: Locust's failures of all kinds); the server's RSS (process and children, /proc) at
the stage's peak, and memory per session = (that peak - the warm server's RSS before the first
stage) / users: an upper bound, since the runs the students started train meanwhile and a
closed tab's work stays for AE_TAB_GRACE_S. Then the stage at which p95 passes --p95-limit
(3 s). Exit status 1 when a stage with 40 users had an error, or Locust could not run.
Files (--out, default tests/artifacts/class_load/): each stage's Locust CSVs and rerun log
(JSON lines), the server's log, and summary.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

import stapp  # noqa: E402  (tests/e2e: the server, /proc memory)
from stload.client import StreamlitSession  # noqa: E402

LOCUSTFILE = ROOT / "scripts" / "stload" / "locustfile.py"
PAGES = ["", "lesson", "architecture", "training", "reconstructions", "wall", "own_digit",
         "class_wall", "generation", "cure"]
CLASS = 40  # the class size whose errors fail the run


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", help="a running server (default: start one here)")
    p.add_argument("--server-pid", type=int, action="append", default=[],
                   help="with --url: a server process whose RSS (and its children's) to read")
    p.add_argument("--users", type=int, default=CLASS, help="the class stage's users (40; 0: "
                   "none)")
    p.add_argument("--duration", type=float, default=180, help="the class stage, s (180)")
    p.add_argument("--steps", default="10,20,40,60,80",
                   help="users of each step after it, comma-separated ('' for none)")
    p.add_argument("--step-duration", type=float, default=60, help="each step, s (60)")
    p.add_argument("--spawn-rate", type=float, default=0,
                   help="users arriving per s (default: a stage's users / 10)")
    p.add_argument("--wait", default="2,6", help="a student reads this long between two "
                   "actions, s: 'min,max' (2,6)")
    p.add_argument("--train-share", type=float, default=0.2,
                   help="the students who press Start with the book recipe (0.2)")
    p.add_argument("--no-teacher", action="store_true",
                   help="no teacher user (by default one opens a class-wall room and watches)")
    p.add_argument("--no-warmup", action="store_true", help="skip the warm-up tab")
    p.add_argument("--p95-limit", type=float, default=3.0, help="the p95 to report passing (3)")
    p.add_argument("--timeout", type=float, default=300, help="one rerun at most, s (300)")
    p.add_argument("--out", type=Path, default=ROOT / "tests" / "artifacts" / "class_load")
    return p.parse_args()


# -- measuring ------------------------------------------------------------------------------------
class Memory:
    """The server's RSS (its processes and their children), sampled every `every_s`."""

    def __init__(self, pids: list[int], every_s: float = 2.0):
        self.pids, self.every_s = pids, every_s
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def now(self) -> float | None:
        return sum(stapp.rss_mb(p) for p in self.pids) if self.pids else None

    def start(self) -> None:
        self.samples, self._stop = [], threading.Event()

        def loop() -> None:
            while not self._stop.is_set():
                mb = self.now()
                if mb is not None:
                    self.samples.append((time.monotonic(), mb))
                self._stop.wait(self.every_s)

        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()

    def stop(self) -> float | None:
        """The peak RSS since `start` (MiB)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        return max((mb for _, mb in self.samples), default=None)


def pct(xs: list[float], q: float) -> float | None:
    """The q-quantile (0..1) of xs, linear between ranks."""
    s = sorted(xs)
    if not s:
        return None
    k = (len(s) - 1) * q
    lo = int(k)
    return s[lo] + (s[min(lo + 1, len(s) - 1)] - s[lo]) * (k - lo)


def warm_up(url: str, timeout_s: float) -> list[str]:
    """One tab opens every page once; the exceptions it met."""
    problems = []
    with StreamlitSession(url, timeout_s=timeout_s) as s:
        for page in PAGES:
            t0 = time.monotonic()
            r = s.open(page)
            problems += [f"/{page}: {e}" for e in r.exceptions]
            print(f"  warm-up /{page:16s} {time.monotonic() - t0:6.1f} s", flush=True)
    return problems


def locust_stats(prefix: Path) -> dict:
    """Locust's aggregated counts and its failures by name, from --csv's files."""
    import csv

    out = {"requests": 0, "failures": 0, "by_name": {}, "failure_kinds": []}
    stats = Path(f"{prefix}_stats.csv")
    if stats.exists():
        with open(stats, newline="") as f:
            for row in csv.DictReader(f):
                if row["Name"] == "Aggregated":
                    out["requests"] = int(row["Request Count"])
                    out["failures"] = int(row["Failure Count"])
                else:
                    out["by_name"][f"{row['Type']} {row['Name']}"] = int(row["Failure Count"])
    fails = Path(f"{prefix}_failures.csv")
    if fails.exists():
        with open(fails, newline="") as f:
            out["failure_kinds"] = [f"{r['Method']} {r['Name']} x{r['Occurrences']}: "
                                    f"{r['Error'][:300]}" for r in csv.DictReader(f)]
    return out


def run_stage(args: argparse.Namespace, url: str, mem: Memory, name: str, users: int,
              seconds: float) -> dict:
    """One Locust run, headless; its numbers."""
    prefix = args.out / name
    log = Path(f"{prefix}_reruns.jsonl")
    log.unlink(missing_ok=True)
    rate = args.spawn_rate or max(1.0, users / 10)
    env = {**os.environ, "AE_STLOAD_OUT": str(log), "AE_STLOAD_WAIT": args.wait,
           "AE_STLOAD_TRAIN_SHARE": str(args.train_share),
           "AE_STLOAD_TEACHER": "0" if args.no_teacher else "1",
           "AE_STLOAD_TIMEOUT_S": str(args.timeout)}
    cmd = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
           "-u", str(users), "-r", f"{rate:g}", "-t", f"{int(seconds)}s", "--host", url,
           "--csv", str(prefix), "--only-summary", "--stop-timeout", "60",
           "--exit-code-on-error", "0", "--loglevel", "WARNING"]
    print(f"\n== {name}: {users} users for {seconds:.0f} s (spawn {rate:g}/s) ==", flush=True)
    rss_before = mem.now()
    mem.start()
    t0 = time.monotonic()
    with open(f"{prefix}_locust.log", "w") as out:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                              timeout=seconds + args.timeout + 300)
    wall = time.monotonic() - t0
    peak = mem.stop()
    rows = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    times = [r["s"] for r in rows if r["name"] != "auto-rerun"]
    stats = locust_stats(prefix)
    by_name: dict[str, list[float]] = {}
    for r in rows:
        by_name.setdefault(r["name"], []).append(r["s"])
    return {"stage": name, "users": users, "seconds": seconds, "wall_s": wall,
            "locust_rc": proc.returncode, "reruns": len(times), "p50": pct(times, .5),
            "p95": pct(times, .95), "max": max(times, default=None),
            "errors": stats["failures"], "failure_kinds": stats["failure_kinds"],
            "requests": stats["requests"], "rss_before_mb": rss_before, "rss_peak_mb": peak,
            "by_name": {k: {"n": len(v), "p50": pct(v, .5), "p95": pct(v, .95)}
                        for k, v in sorted(by_name.items())}}


# -- the table ------------------------------------------------------------------------------------
def fmt(x: float | None, spec: str) -> str:
    return "-" if x is None else format(x, spec)


def table(stages: list[dict], base_mb: float | None, cores: int) -> list[str]:
    lines = [f"{'stage':8s} {'users':>5s} {'sess/core':>9s} {'p50 s':>7s} {'p95 s':>7s} "
             f"{'max s':>7s} {'reruns':>6s} {'errors':>6s} {'RSS MiB':>8s} {'MiB/sess':>8s}"]
    for s in stages:
        per = None if s["rss_peak_mb"] is None or base_mb is None or not s["users"] else \
            (s["rss_peak_mb"] - base_mb) / s["users"]
        lines.append(f"{s['stage']:8s} {s['users']:5d} {s['users'] / cores:9.1f} "
                     f"{fmt(s['p50'], '7.2f')} {fmt(s['p95'], '7.2f')} {fmt(s['max'], '7.2f')} "
                     f"{s['reruns']:6d} {s['errors']:6d} {fmt(s['rss_peak_mb'], '8.0f')} "
                     f"{fmt(per, '8.1f')}")
    return lines


def main() -> int:
    args = parse()
    args.out.mkdir(parents=True, exist_ok=True)
    steps = [int(x) for x in args.steps.split(",") if x.strip()]
    cores = os.cpu_count() or 1
    t0 = time.monotonic()
    srv = None
    tmp = Path(tempfile.mkdtemp(prefix="ae-class-load-"))
    summary: dict = {"cores": cores, "args": {k: str(v) for k, v in vars(args).items()}}
    failed = False
    stages: list[dict] = []
    url, base_mb = args.url or "-", None
    try:
        if args.url:
            url, pids = args.url.rstrip("/"), args.server_pid
        else:
            srv = stapp.Server(data_dir=stapp.data_dir_for_tests(tmp / "data"),
                               log=args.out / "streamlit.log")
            srv.start(180)
            url, pids = srv.url, [srv.proc.pid]
            print(f"server {url} (pid {srv.proc.pid}), data {srv.data_dir}, "
                  f"log {args.out / 'streamlit.log'}", flush=True)
        mem = Memory(pids)
        if not args.no_warmup:
            print("warm-up: one tab opens every page", flush=True)
            summary["warmup_problems"] = warm_up(url, args.timeout)
        time.sleep(2)
        base_mb = mem.now()
        summary["rss_warm_mb"] = base_mb
        plan = ([("class", args.users, args.duration)] if args.users else []) + \
            [(f"step{n}", n, args.step_duration) for n in steps]
        for name, users, seconds in plan:
            stages.append(run_stage(args, url, mem, name, users, seconds))
            s = stages[-1]
            print(f"  {s['reruns']} reruns, p50 {fmt(s['p50'], '.2f')} s, p95 "
                  f"{fmt(s['p95'], '.2f')} s, errors {s['errors']}, RSS peak "
                  f"{fmt(s['rss_peak_mb'], '.0f')} MiB", flush=True)
        summary["stages"] = stages
    finally:
        if srv is not None:
            srv.stop()
    print(f"\n== class load: {url}, {cores} cores here, warm server RSS "
          f"{fmt(base_mb, '.0f')} MiB, reader pause {args.wait} s, "
          f"{args.train_share:.0%} of students train ==")
    for line in table(stages, base_mb, cores):
        print(line)
    main_stage = next((s for s in stages if s["stage"] == "class"), None)
    if main_stage:
        print("\nthe class stage, per rerun kind (n, p50 s, p95 s):")
        for k, v in main_stage["by_name"].items():
            print(f"  {k:28s} {v['n']:5d} {fmt(v['p50'], '6.2f')} {fmt(v['p95'], '6.2f')}")
    ordered = sorted((s for s in stages if s["stage"] != "class"), key=lambda s: s["users"])
    over = next((s for s in ordered if s["p95"] is not None and s["p95"] > args.p95_limit), None)
    if over:
        line = (f"p95 passes {args.p95_limit:g} s at {over['users']} users "
                f"({over['users'] / cores:.1f} sessions per core): p95 {over['p95']:.2f} s")
    elif ordered:
        line = (f"p95 stayed under {args.p95_limit:g} s up to {ordered[-1]['users']} users "
                f"({ordered[-1]['users'] / cores:.1f} sessions per core)")
    else:
        line = "no steps"
    print("\n" + line)
    summary["p95_passes"] = line
    for s in stages:
        for kind in s["failure_kinds"][:5]:
            print(f"  {s['stage']}: {kind}")
        if s["locust_rc"] not in (0, None) or (s["reruns"] == 0 and s["users"]):
            print(f"  {s['stage']}: Locust exited {s['locust_rc']} after {s['reruns']} reruns "
                  f"(see {args.out / (s['stage'] + '_locust.log')})")
            failed = True
        if s["users"] == CLASS and s["errors"] > 0:
            failed = True
    if summary.get("warmup_problems"):
        print("warm-up problems:", summary["warmup_problems"][:5])
        failed = True
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1, default=str))
    print(f"\n{'FAILED' if failed else 'PASSED'} in {time.monotonic() - t0:.0f} s "
          f"(files in {args.out})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
