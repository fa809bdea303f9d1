"""One run for a class: N sessions press Start on the training page with the same settings.

Why: on a server that trains one run at a time, N identical Starts used to queue N runs
(`scripts/load.py`: the last student waits for everyone). With `ae.live.shared` they make one
run that every session watches, and each session adopts its own copy of the model. This
script measures that through the real page code: the dashboard's own script runs in
Streamlit's AppTest, one AppTest per session (each its own session state and tab), all in this
process and on this server's training slots.

    .venv/bin/python scripts/shared_runs.py                          # 20 sessions, the book recipe
    .venv/bin/python scripts/shared_runs.py --epochs 2 --subset 500  # a quick check

It measures, with the same settings (the book's network, lr 0.0005, batch 32, seed 0, and
--epochs/--subset; the book's recipe by default: 200 epochs on 1,000 images):
1. one session alone: from its Start click until its trained model is in play;
2. N sessions: from the first Start click until every one has its model in play (the N clicks
   are N script runs of the page, made one after another while the run trains).
Printed: both wall times and their ratio, the number of Run objects created for the N
sessions, whether every session's model is its own object with the same weights, and whether
all final losses are identical (and equal to the run alone's). Exit status 1 when the N
sessions did not share one run or their results differ.

The data: the dashboard's (`ae.data.load`, from --data-dir or $AE_DATA_DIR), or --synthetic.
AppTest runs no fragment timers, so the tabs' leases are renewed only by their script runs:
AE_TAB_GRACE_S is set to a day here, so that a long recipe does not lapse meanwhile.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
APP = str(ROOT / "dashboard.py")


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sessions", type=int, default=20, help="sessions pressing Start (20)")
    p.add_argument("--epochs", type=int, default=200, help="epochs (the book's: 200)")
    p.add_argument("--subset", type=int, default=1000, help="training images (the book's: 1000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data-dir", default=None, help="the MNIST cache (default $AE_DATA_DIR)")
    p.add_argument("--synthetic", action="store_true", help="synthetic digits, no MNIST")
    p.add_argument("--timeout", type=float, default=4 * 3600, help="seconds for one run")
    return p.parse_args()


def main() -> int:
    args = parse()
    os.environ.setdefault("AE_TAB_GRACE_S", "86400")  # before ae.ui.tabs reads it
    os.environ["AE_WARMUP"] = "0"  # no background warm-up competing with the measurement
    if args.data_dir:
        os.environ["AE_DATA_DIR"] = args.data_dir

    import torch
    from streamlit.testing.v1 import AppTest

    from ae import data
    from ae.live.run import runs_in_memory
    from ae.live.shared import shared_runs
    from ae.live.slots import slots, train_threads

    if args.synthetic:
        from ae.data import synthetic
        xt, yt = synthetic.make_digits(max(args.subset, 1000), seed=0)
        xs, ys = synthetic.make_digits(1000, seed=1)
        t = torch.from_numpy
        ds = data.Dataset("mnist", "synthetic", t(xt), t(yt), t(xs), t(ys), [])
        data.load = lambda name="mnist", root=None, progress=None: ds  # as tests/pagekit.py
    query = {"tr_sub": "custom", "tr_n": str(args.subset), "tr_ep": str(args.epochs),
             "tr_seed": str(args.seed), "tr_lr": "0.0005", "tr_bs": "32"}

    def open_session() -> AppTest:
        at = AppTest.from_file(APP, default_timeout=600)
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
        at.switch_page("pages/training.py")
        at.run()
        if at.exception:
            raise SystemExit(f"the training page failed: {[e.value for e in at.exception]}")
        return at

    def measure(n: int) -> dict:
        print(f"opening {n} session(s)...", flush=True)
        sessions = [open_session() for _ in range(n)]
        created = shared_runs.created
        t0 = time.perf_counter()
        for at in sessions:
            at.button(key="t_start").click().run()
            if at.exception:
                raise SystemExit(f"Start failed: {[e.value for e in at.exception]}")
        clicked = time.perf_counter() - t0
        watches = [at.session_state["t_run"] for at in sessions]
        runs = {id(w.run): w.run for w in watches}
        print(f"  {n} Start click(s) in {clicked:.1f} s; {len(runs)} run(s) training",
              flush=True)
        for run in runs.values():
            if not run.join(args.timeout):
                raise SystemExit("a run did not finish within --timeout")
        trained = time.perf_counter() - t0
        for at in sessions:  # each page's next script run puts its own copy in play
            at.run()
        end = time.perf_counter() - t0
        inplay = [at.session_state["in_play"] for at in sessions]
        if any(m.origin != "trained" for m in inplay):
            raise SystemExit(f"not every session adopted its model: "
                             f"{[m.origin for m in inplay]}")
        first = inplay[0].model.state_dict()
        same = all(all(torch.equal(first[k], v) for k, v in m.model.state_dict().items())
                   for m in inplay)
        return {"n": n, "wall_s": end, "clicks_s": clicked, "trained_s": trained,
                "adopt_s": end - trained, "runs": shared_runs.created - created,
                "states": sorted({w.state for w in watches}),
                "losses": [m.meta.get("train_loss") for m in inplay],
                "test_losses": [m.meta.get("test_loss") for m in inplay],
                "own_models": len({id(m.model) for m in inplay}) == n, "same_weights": same,
                "train_s": statistics.median(r.progress()["elapsed_s"] for r in runs.values())}

    alone = measure(1)
    many = measure(args.sessions)
    losses = many["losses"]
    identical = len(set(losses)) == 1
    print()
    print(f"recipe: book network, lr 0.0005, batch 32, seed {args.seed}, {args.epochs} epochs "
          f"on {args.subset:,} images; {os.cpu_count()} cores, {slots.max} training slot(s), "
          f"{train_threads(os.cpu_count(), slots.max)} thread(s) per run")
    print(f"{'':24s}{'one alone':>12s}{f'{args.sessions} sessions':>14s}")
    for label, key in (("wall time, s", "wall_s"), ("  Start clicks, s", "clicks_s"),
                       ("  until trained, s", "trained_s"), ("  adoptions, s", "adopt_s"),
                       ("  training alone, s", "train_s")):
        print(f"{label:24s}{alone[key]:12.1f}{many[key]:14.1f}")
    print(f"{'Run objects created':24s}{alone['runs']:12d}{many['runs']:14d}")
    print(f"N sessions / one alone (wall time): {many['wall_s'] / alone['wall_s']:.2f}x")
    print(f"final train losses identical across the {args.sessions} sessions: "
          f"{'yes' if identical else 'NO'} ({losses[0]!r}; alone: {alone['losses'][0]!r}, "
          f"{'equal' if alone['losses'][0] == losses[0] else 'different'})")
    print(f"test losses identical: {'yes' if len(set(many['test_losses'])) == 1 else 'NO'}")
    print(f"each session its own model object: {'yes' if many['own_models'] else 'NO'}; "
          f"identical weights: {'yes' if many['same_weights'] else 'NO'}")
    print(f"run states: {many['states']}; runs still in memory: {runs_in_memory()}")
    ok = (many["runs"] == 1 and identical and many["own_models"] and many["same_weights"]
          and many["states"] == ["done"])
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
