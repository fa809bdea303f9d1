"""`python -m ae bench`: how much faster the project's Trainer is than a plain PyTorch loop.

Why measured this way: the development machines are shared, so a number from one moment says
little. Both loops train the article's model (batch 32, same data, same threads) in many short
alternating rounds within one run after a warm-up, and the ratio of their totals is reported;
short rounds spread the neighbours' bursts over both loops. Then one epoch of the book's recipe
(first 1,000 images) is timed and projected to its 200 epochs. `compare_precisions` checks
that bf16 autocast ends at the same test loss as fp32 on the same short run. `--kind vae` adds
the book's VAE against the autoencoder, both with the Trainer, in the same alternating rounds
(it should train at the autoencoder's speed), and times the VAE's book epoch. Every number
printed is measured, none is typed in.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
import torch.nn.functional as F

from ae import device
from ae.model import kinds
from ae.model.config import KINDS, AEConfig
from ae.train.recipe import Recipe
from ae.train.trainer import Trainer

BOOK = Recipe()  # the book's notebook: x_train[:1000], 200 epochs, batch 32, lr 0.0005
BOOK_SUBSET, BOOK_EPOCHS = BOOK.subset, BOOK.epochs


def random_digits(n: int, seed: int = 0) -> torch.Tensor:
    """uint8 (n, 28, 28) MNIST-shaped stand-ins: smooth random strokes, mostly black like MNIST.
    Speed does not depend on what the pixels show; this avoids needing the data set."""
    g = torch.Generator().manual_seed(seed)
    coarse = torch.rand(n, 1, 7, 7, generator=g)
    x = F.interpolate(coarse, size=(28, 28), mode="bilinear", align_corners=False)
    x = ((x - 0.6) * 4).clamp(0, 1)  # ~1/3 of pixels lit, mean 0.16 (MNIST: 1/5, 0.13)
    return (x.squeeze(1) * 255).round().to(torch.uint8)


def _model(config: AEConfig, seed: int) -> torch.nn.Module:
    torch.manual_seed(seed)
    return kinds.build(config)


def naive_loop(model: torch.nn.Module, x: torch.Tensor, batch_size: int, seed: int = 0):
    """The straightforward loop (pytorch/examples style): NCHW fp32, F.mse_loss, default Adam.
    Returns `run(steps) -> images` that trains `steps` shuffled batches."""
    xf = x.unsqueeze(1).float().div(255)  # (N, 1, 28, 28), converted once, as a loader would
    for m in model.modules():
        if hasattr(m, "subpixel"):
            m.subpixel = False  # stock nn.ConvTranspose2d, not ae.accel's sub-pixel form
    opt = torch.optim.Adam(model.parameters(), lr=BOOK.lr)
    g = torch.Generator().manual_seed(seed)
    model.train()

    def run(steps: int) -> int:
        seen = 0
        for _ in range(steps):
            idx = torch.randint(len(xf), (batch_size,), generator=g)
            data = xf[idx]
            opt.zero_grad()
            output = model(data)
            loss = F.mse_loss(output, data)
            loss.backward()
            opt.step()
            loss.item()  # it logs the loss
            seen += len(data)
        return seen

    return run


def run_bench(steps: int = 15, batch_size: int = BOOK.batch_size, rounds: int = 8,
              x: torch.Tensor | None = None, precision: str = "auto", device: str = "auto",
              threads: int | None = None, seed: int = 0) -> dict:
    """Images/s of (a) the naive loop and (b) the Trainer, in alternating rounds of `steps`.

    Both start from the same initial weights and run in this process with the same torch
    thread count: `threads`, or else the count the Trainer's tuner picks during the warm-up
    (on a busy machine one thread can be many times faster than two, for both loops).
    Returns per-round and total rates, the ratio b/a of the totals and the median of the
    per-round ratios (a burst of load that hits one round moves it less).
    """
    config = AEConfig.book()
    x = random_digits(steps * batch_size) if x is None else x[: steps * batch_size]
    trainer = Trainer(_model(config, seed), x, batch_size=batch_size, precision=precision,
                      device=device, seed=seed, threads=threads or "auto")
    if len(trainer.x_train) < steps * batch_size:
        raise ValueError(f"need {steps * batch_size} images for {steps} steps of {batch_size}")

    def trainer_round() -> int:
        start = len(trainer.history.steps)
        trainer.fit(epochs=trainer.epoch + 1, initial_epoch=trainer.epoch)  # `steps` steps
        return (len(trainer.history.steps) - start) * batch_size

    trainer_round()  # warm-up: oneDNN builds its kernels; "auto" picks the thread count
    threads_before = torch.get_num_threads()
    trainer.threads = threads or trainer.best_threads  # from here on fixed, for both loops
    torch.set_num_threads(trainer.threads)
    try:
        return _alternate(trainer_round, naive_loop(_model(config, seed), x, batch_size, seed),
                          trainer, steps, rounds, batch_size)
    finally:
        torch.set_num_threads(threads_before)


def run_kind_bench(steps: int = 15, batch_size: int = BOOK.batch_size, rounds: int = 8,
                   x: torch.Tensor | None = None, precision: str = "auto",
                   device: str = "auto", threads: int | None = None, seed: int = 0) -> dict:
    """Images/s of the book's autoencoder and the book's VAE, both trained by the Trainer on
    the same batches with the same threads, in alternating rounds of `steps`; the ratio
    VAE / autoencoder of the totals and the median of the per-round ratios."""
    x = random_digits(steps * batch_size) if x is None else x[: steps * batch_size]
    trainers = {k: Trainer(_model(AEConfig.book(k), seed), x, batch_size=batch_size,
                           precision=precision, device=device, seed=seed,
                           threads=threads or "auto") for k in KINDS}

    def round_of(trainer: Trainer) -> int:
        start = len(trainer.history.steps)
        trainer.fit(epochs=trainer.epoch + 1, initial_epoch=trainer.epoch)
        return (len(trainer.history.steps) - start) * batch_size

    for trainer in trainers.values():
        round_of(trainer)  # warm-up; "auto" picks the thread count
    threads_before = torch.get_num_threads()
    fixed = threads or trainers["autoencoder"].best_threads
    for trainer in trainers.values():
        trainer.threads = fixed
    torch.set_num_threads(fixed)
    times: dict[str, list[float]] = {k: [] for k in KINDS}
    seen = dict.fromkeys(KINDS, 0)
    try:
        for _ in range(rounds):
            for k, trainer in trainers.items():
                t0 = time.perf_counter()
                seen[k] += round_of(trainer)
                times[k].append(time.perf_counter() - t0)
    finally:
        torch.set_num_threads(threads_before)
    rates = {k: seen[k] / sum(v) for k, v in times.items()}
    per_round = [a / v for a, v in zip(times["autoencoder"], times["vae"], strict=True)]
    return {"autoencoder_images_per_s": rates["autoencoder"], "vae_images_per_s": rates["vae"],
            "ratio": rates["vae"] / rates["autoencoder"], "round_ratios": per_round,
            "median_round_ratio": statistics.median(per_round), "threads": fixed,
            "rounds": rounds, "steps": steps}


def _alternate(trainer_round, naive, trainer: Trainer, steps: int, rounds: int,
               batch_size: int) -> dict:
    naive(5)  # its warm-up
    times: dict[str, list[float]] = {"naive": [], "trainer": []}
    seen, cpu = {"naive": 0, "trainer": 0}, {"naive": 0.0, "trainer": 0.0}
    for _ in range(rounds):
        for name, run in (("naive", lambda: naive(steps)), ("trainer", trainer_round)):
            t0, c0 = time.perf_counter(), time.process_time()
            seen[name] += run()
            times[name].append(time.perf_counter() - t0)
            cpu[name] += time.process_time() - c0  # busy neighbours do not count here
    rates = {k: seen[k] / sum(v) for k, v in times.items()}
    per_round = [a / b for a, b in zip(times["naive"], times["trainer"], strict=True)]
    return {"naive_images_per_s": rates["naive"], "trainer_images_per_s": rates["trainer"],
            "ratio": rates["trainer"] / rates["naive"], "round_ratios": per_round,
            "median_round_ratio": statistics.median(per_round),
            "naive_images_per_cpu_s": seen["naive"] / cpu["naive"],
            "trainer_images_per_cpu_s": seen["trainer"] / cpu["trainer"],
            "steps": steps, "rounds": rounds, "batch_size": batch_size,
            "threads": torch.get_num_threads(), "precision": trainer.precision,
            "device": str(trainer.device), "accel": trainer.accel.reason,
            "subpixel": any(getattr(m, "subpixel", False) for m in trainer.model.modules())}


def time_book_epoch(x: torch.Tensor | None = None, epochs: int = 3, precision: str = "auto",
                    device: str = "auto", seed: int = 0, kind: str = "autoencoder") -> dict:
    """Seconds per epoch of the book's recipe (1,000 images, batch 32) with the Trainer,
    after one warm-up epoch, and the projected time of its 200 epochs (no test set)."""
    x = random_digits(BOOK_SUBSET) if x is None else x[:BOOK_SUBSET]
    trainer = Trainer(_model(AEConfig.book(kind), seed), x, batch_size=BOOK.batch_size,
                      precision=precision, device=device, seed=seed)
    trainer.fit(epochs=1)
    seconds, cpu = [], []
    for _ in range(epochs):
        t0, c0 = time.perf_counter(), time.process_time()
        trainer.fit(epochs=trainer.epoch + 1, initial_epoch=trainer.epoch)
        seconds.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    per_epoch = statistics.median(seconds)
    return {"kind": kind, "threads": trainer.best_threads,
            "epoch_cpu_seconds": statistics.median(cpu),
            "images": len(trainer.x_train), "epoch_seconds": per_epoch,
            "images_per_s": len(trainer.x_train) / per_epoch,
            "projected_seconds": per_epoch * BOOK_EPOCHS, "epochs_timed": epochs}


def compare_precisions(x_train: torch.Tensor, x_test: torch.Tensor, epochs: int = 10,
                       config: AEConfig | None = None, lr: float = BOOK.lr,
                       batch_size: int = BOOK.batch_size, seed: int = BOOK.seed) -> dict:
    """Train the same model from the same weights on the same batches in fp32 and in bf16
    autocast; return both final test losses (measured in fp32) and their relative gap."""
    config = config or AEConfig.book()
    out: dict = {"epochs": epochs, "images": len(x_train), "test_images": len(x_test)}
    for precision in ("fp32", "bf16"):
        trainer = Trainer(_model(config, seed), x_train, lr=lr, batch_size=batch_size,
                          precision=precision, device="cpu", seed=seed)
        t0 = time.perf_counter()
        trainer.fit(epochs=epochs)
        out[f"seconds_{precision}"] = time.perf_counter() - t0
        out[precision] = trainer.evaluate(x_test, precision="fp32")  # same yardstick
    out["rel_diff"] = abs(out["bf16"] - out["fp32"]) / out["fp32"]
    return out


def report(b: dict, book: dict | None = None, cmp: dict | None = None,
           data: str = "random MNIST-shaped", kinds_b: dict | None = None) -> str:
    """The printable text of one bench run."""
    lines = [f"device: {b['accel']}",
             f"bf16 hardware: {device.cpu_bf16() or 'none detected'}; torch capability "
             f"{device._cpu_capability() or 'unknown'}; torch threads {b['threads']}",
             f"the article's model, batch {b['batch_size']}, {data} data, {b['rounds']} "
             f"alternating rounds of {b['steps']} steps each after a warm-up:",
             f"  (a) plain PyTorch fp32 loop: {b['naive_images_per_s']:8,.0f} images/s",
             f"  (b) ae.train.Trainer ({b['precision']}, channels_last, fused Adam"
             + (", sub-pixel strided deconvs" if b["subpixel"] else "") + "): "
             f"{b['trainer_images_per_s']:8,.0f} images/s",
             f"  ratio b/a: {b['ratio']:.2f}  (median round {b['median_round_ratio']:.2f}; "
             "per round: "
             + ", ".join(f"{r:.2f}" for r in b["round_ratios"]) + ")"]
    if b["threads"] == 1:  # one thread: CPU time is compute time, whatever the neighbours do
        a, t = b["naive_images_per_cpu_s"], b["trainer_images_per_cpu_s"]
        lines.append(f"  per CPU-second (immune to busy neighbours): a {a:,.0f}, b {t:,.0f}, "
                     f"ratio {t / a:.2f}")
    if book:
        m, s = divmod(book["projected_seconds"], 60)
        what = "the VAE's book recipe" if book.get("kind") == "vae" else "book recipe"
        lines.append(f"{what} ({book['images']:,} images, batch 32, "
                     f"{book['threads']} thread(s) picked by the Trainer): "
                     f"{book['epoch_seconds']:.2f} s/epoch ({book['images_per_s']:,.0f} images/s)"
                     f" -> 200 epochs ~ {int(m)} min {s:02.0f} s")
        if book["threads"] == 1:
            m, s = divmod(book["epoch_cpu_seconds"] * BOOK_EPOCHS, 60)
            lines.append(f"  in CPU time (one idle core): {book['epoch_cpu_seconds']:.2f} s/epoch"
                         f" -> 200 epochs ~ {int(m)} min {s:02.0f} s")
    if kinds_b:
        k = kinds_b
        lines.append(f"--kind vae: the book's VAE vs its autoencoder, both with the Trainer, "
                     f"{k['rounds']} alternating rounds of {k['steps']} steps, "
                     f"{k['threads']} thread(s): VAE {k['vae_images_per_s']:,.0f} images/s, "
                     f"autoencoder {k['autoencoder_images_per_s']:,.0f} images/s, ratio "
                     f"VAE/AE {k['ratio']:.2f} (median round {k['median_round_ratio']:.2f}; "
                     "per round: " + ", ".join(f"{r:.2f}" for r in k["round_ratios"]) + ")")
    if cmp:
        lines.append(f"bf16 vs fp32, {cmp['epochs']} epochs on {cmp['images']:,} {data} images, "
                     f"test loss on {cmp['test_images']:,}: fp32 {cmp['fp32']:.5f} "
                     f"({cmp['seconds_fp32']:.1f} s), bf16 {cmp['bf16']:.5f} "
                     f"({cmp['seconds_bf16']:.1f} s), gap {100 * cmp['rel_diff']:.2f}%"
                     + (" (within 3%)" if cmp["rel_diff"] <= 0.03 else " (MORE than 3%)"))
    return "\n".join(lines)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The flags of `python -m ae bench`, for the CLI's sub-parser."""
    p.add_argument("--steps", type=int, default=15, help="steps per round (default: 15)")
    p.add_argument("--rounds", type=int, default=8, help="alternating rounds (default: 8)")
    p.add_argument("--batch-size", type=int, default=BOOK.batch_size,
                   help=f"default: {BOOK.batch_size} (the book)")
    p.add_argument("--threads", type=int, default=0,
                   help="torch threads for both loops (default: 0, the count the Trainer's "
                        "tuner picks in the warm-up)")
    p.add_argument("--precision", default="auto", choices=["auto", "bf16", "fp32"],
                   help="the Trainer's precision (default: auto)")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda or mps (default: auto)")
    p.add_argument("--data", default="random", choices=["random", "mnist"],
                   help="random MNIST-shaped images, or real MNIST via ae.data (default: random)")
    p.add_argument("--root", default=None, help="data cache (default: $AE_DATA_DIR or data/)")
    p.add_argument("--no-book", action="store_true", help="skip timing the book's recipe")
    p.add_argument("--compare-precision", action="store_true",
                   help="also train fp32 and bf16 on the book's recipe and compare test losses")
    p.add_argument("--compare-epochs", type=int, default=10, help="default: 10")
    p.add_argument("--kind", default="autoencoder", choices=KINDS,
                   help="vae: also the VAE against the autoencoder in alternating rounds, and "
                        "the VAE's book epoch (default: autoencoder)")


def bench(args: argparse.Namespace) -> str:
    """Run what `args` asks for (see `add_arguments`) and return the report text."""
    x_train = x_test = None
    name = "random MNIST-shaped"
    if args.data == "mnist":
        from ae import data

        ds = data.load("mnist", root=args.root)
        x_train, x_test, name = ds.x_train, ds.x_test, f"{ds.name} ({ds.source})"
    b = run_bench(args.steps, args.batch_size, args.rounds, x_train, precision=args.precision,
                  device=args.device, threads=args.threads or None)
    book = None if args.no_book else time_book_epoch(x_train, precision=args.precision,
                                                     device=args.device, kind=args.kind)
    kinds_b = None
    if args.kind == "vae":
        kinds_b = run_kind_bench(args.steps, args.batch_size, args.rounds, x_train,
                                 precision=args.precision, device=args.device,
                                 threads=args.threads or None)
    cmp = None
    if args.compare_precision:
        xtr = random_digits(BOOK_SUBSET) if x_train is None else x_train[:BOOK_SUBSET]
        xte = random_digits(2000, seed=1) if x_test is None else x_test
        cmp = compare_precisions(xtr, xte, epochs=args.compare_epochs)
    return report(b, book, cmp, data=name, kinds_b=kinds_b)


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (`python -m ae.bench`), the same flags as `python -m ae bench`."""
    p = argparse.ArgumentParser(prog="python -m ae.bench", description=__doc__.splitlines()[0])
    add_arguments(p)
    print(bench(p.parse_args(argv)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
