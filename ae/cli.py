"""The command line: `python -m ae fetch|summary|train|bench|analyze|train-classifier`.

Each sub-command is a thin wrapper over a library function, so what the CLI prints is what
the dashboard shows.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import time
from pathlib import Path

import torch

from ae import data
from ae.analysis import classifier, cure, cure_table, wall_report
from ae.analysis.wall_recorder import WallRecorder
from ae.bench import add_arguments as add_bench_arguments
from ae.bench import bench
from ae.data.sources import DataError
from ae.model import checkpoint, kinds
from ae.model.checkpoint import CheckpointError
from ae.model.config import ACTIVATIONS, KINDS, LOSSES, AEConfig, ConfigError
from ae.model.presets import ED1, PRESETS, Preset
from ae.model.summary import summary
from ae.train.recipe import BOOK_SUBSET, PRECISIONS, Recipe
from ae.train.trainer import StopTraining, Trainer, TrainingDiverged


def _int_list(text: str) -> list[int]:
    try:
        return [int(v) for v in text.replace(" ", "").split(",") if v]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers, got {text!r}") from None


def add_config_args(p: argparse.ArgumentParser, preset: Preset = ED1) -> None:
    """Flags for every AEConfig field; defaults are the preset's (the article's unless
    `--preset` names another)."""
    b = preset.config
    p.add_argument("--preset", choices=list(PRESETS), default=preset.name,
                   help="ed1: the 1st edition (MNIST, the article); ed2: the 2nd edition "
                        "(Fashion-MNIST): network, data and recipe defaults (default: ed1)")
    g = p.add_argument_group(f"architecture (defaults: the preset's, now {preset.name})")
    for name in ("encoder_conv_filters", "encoder_conv_kernel_size", "encoder_conv_strides",
                 "decoder_conv_t_filters", "decoder_conv_t_kernel_size",
                 "decoder_conv_t_strides"):
        default = getattr(b, name)
        g.add_argument("--" + name.replace("_", "-"), type=_int_list,
                       default=default, metavar="A,B,..",
                       help=f"comma-separated (default: {','.join(map(str, default))})")
    g.add_argument("--z-dim", type=int, default=b.z_dim, help=f"latent size (default: {b.z_dim})")
    g.add_argument("--batch-norm", action="store_true", help="BatchNorm after each activation")
    g.add_argument("--dropout", action="store_true", help="Dropout(0.25) after each block")
    g.add_argument("--kind", default="autoencoder", choices=KINDS,
                   help="the book's Autoencoder or VariationalAutoencoder (default: autoencoder)")
    g.add_argument("--activation", default=b.activation, choices=ACTIVATIONS,
                   help=f"after each conv (default: {b.activation})")
    g.add_argument("--pad-to", type=int, default=b.pad_to, metavar="SIDE",
                   help=f"zero-pad the images to SIDE x SIDE first, 0: none (default: {b.pad_to})")
    g.add_argument("--output-conv", action=argparse.BooleanOptionalAction, default=b.output_conv,
                   help="a stride-1 Conv2D to the image's channels after the transposed convs")
    g.add_argument("--loss", default=b.loss, choices=LOSSES,
                   help=f"mse: per-image mean squared error; bce: binary cross-entropy "
                        f"(default: {b.loss})")


def config_from_args(a: argparse.Namespace) -> AEConfig:
    return AEConfig(
        (28, 28, 1), a.encoder_conv_filters, a.encoder_conv_kernel_size, a.encoder_conv_strides,
        a.decoder_conv_t_filters, a.decoder_conv_t_kernel_size, a.decoder_conv_t_strides,
        a.z_dim, a.batch_norm, a.dropout, kind=a.kind, activation=a.activation,
        pad_to=a.pad_to, output_conv=a.output_conv, loss=a.loss).validate()


def subset(text: str) -> int | None:
    """`--subset`: a number of images, or "all" (0 too, as before)."""
    return None if text.strip().lower() in ("all", "0") else int(text)


def _print_progress(done: int, total: int, message: str) -> None:
    pct = f"{100 * done / total:5.1f}%" if total else ""
    print(f"\r{message} {pct}", end="", file=sys.stderr, flush=True)
    if total and done >= total:
        print(file=sys.stderr)


def cmd_fetch(a: argparse.Namespace) -> int:
    ds = data.fetch(a.name, root=a.root, progress=_print_progress)
    for note in ds.notes:
        print("  -", note)
    print(f"{ds.name}: {len(ds.x_train):,} train / {len(ds.x_test):,} test images, "
          f"served by: {ds.source}")
    return 0


def cmd_summary(a: argparse.Namespace) -> int:
    model = kinds.build(config_from_args(a))
    enc, dec = summary(model)
    print(enc, dec, sep="\n\n")
    print(f"\n{type(model).__name__} total params: {enc.total + dec.total:,}")
    return 0


def cmd_train(a: argparse.Namespace) -> int:
    cfg = config_from_args(a)
    ds = data.load(a.dataset, root=a.root, progress=_print_progress)
    print(f"data: {ds.name} from {ds.source}" + (" (SYNTHETIC stand-in)" if ds.synthetic else ""))
    try:
        recipe = Recipe(a.lr, a.batch_size, a.epochs, a.subset, a.seed, a.precision,
                        a.r_loss_factor).check(len(ds.x_train))
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    x_train = ds.x_train[: recipe.n_images(len(ds.x_train))]
    torch_seed(recipe.seed)
    model = kinds.build(cfg)
    recorder = None
    callbacks = {}
    if a.snapshots:
        recorder = WallRecorder(ds.x_test, ds.y_test, n_probe=a.snapshots,
                                every_steps=a.snapshot_every or None)
        callbacks = recorder.callbacks()
    t0 = time.perf_counter()
    last, signalled = [0.0], []

    def on_step(tr, step, loss):
        if callbacks.get("on_step"):
            callbacks["on_step"](tr, step, loss)
        if signalled:
            raise StopTraining
        now = time.perf_counter()
        if now - last[0] > 2:
            last[0] = now
            total = tr.steps_per_epoch * recipe.epochs
            done = step + 1
            eta = (now - t0) / done * (total - done)
            print(f"\rstep {done:,}/{total:,}  loss {loss:.4f}  ETA {eta:,.0f} s   ",
                  end="", file=sys.stderr, flush=True)

    def on_epoch(tr, epoch, rec):
        if callbacks.get("on_epoch"):
            callbacks["on_epoch"](tr, epoch, rec)
        test = f"  test {rec['test_loss']:.4f}" if rec.get("test_loss") is not None else ""
        parts = (f"  (r_loss {rec['train_r_loss']:.4f} + kl_loss {rec['train_kl_loss']:.4f})"
                 if "train_kl_loss" in rec else "")
        print(f"\repoch {epoch + 1}/{recipe.epochs}  train {rec['train_loss']:.4f}{parts}{test}  "
              f"{rec['images_per_s']:,.0f} img/s", file=sys.stderr)

    # the per-epoch test loss on the first 1,000 test images (the whole set at the end):
    # 10,000 every epoch would cost more than training the book's 1,000-image epoch
    x_probe_test = ds.x_test[:1000] if a.test_every else None
    trainer = Trainer(model, x_train, x_probe_test, lr=recipe.lr, threads=a.threads,
                      batch_size=recipe.batch_size, lr_decay=a.lr_decay, seed=recipe.seed,
                      precision=recipe.precision, device=a.device, on_step=on_step,
                      on_epoch=on_epoch, test_every=a.test_every or None,
                      r_loss_factor=recipe.r_loss_factor if cfg.is_vae else None)
    factor = f", r_loss_factor {recipe.r_loss_factor:g}" if cfg.is_vae else ""
    print(f"training a {cfg.kind} on {trainer.device} in {trainer.precision}: "
          f"{len(x_train):,} images, batch {recipe.batch_size}, {recipe.epochs} epochs, "
          f"lr {recipe.lr}{factor}")
    status = 0

    def stop_gracefully(signum, frame):  # Ctrl-C or kill: keep what was learned so far
        print(f"\nsignal {signum}: stopping after this step and saving", file=sys.stderr)
        signalled.append(signum)  # on_step raises StopTraining

    signal.signal(signal.SIGTERM, stop_gracefully)
    signal.signal(signal.SIGINT, stop_gracefully)
    try:
        trainer.fit(epochs=recipe.epochs)
    except TrainingDiverged as e:
        print(f"\nstopped: {e}", file=sys.stderr)
        status = 2
    seconds = time.perf_counter() - t0
    train, test = trainer.evaluate_parts(x_train), trainer.evaluate_parts(ds.x_test)
    train_loss, test_loss = train["loss"], test["loss"]
    parts = {f"{split}_{k}": v for split, d in (("train", train), ("test", test))
             for k, v in d.items() if k != "loss"}
    meta = {"command": "python -m ae " + shlex.join(sys.argv[1:]), "seconds": round(seconds, 1),
            "train_loss": train_loss, "test_loss": test_loss, **parts, "data_source": ds.source,
            "recipe": recipe.to_dict(), "epochs_done": len(trainer.history.epochs),
            "device": str(trainer.device), "precision": trainer.precision,
            "created": time.strftime("%Y-%m-%d %H:%M:%S")}
    path = checkpoint.save(a.out, model, history=trainer.history.to_dict(), dataset=ds.name,
                           meta=meta, snapshots=recorder.snapshots() if recorder else None)
    print(f"done in {seconds:,.0f} s: train loss {train_loss:.5f}, test loss {test_loss:.5f}"
          + "".join(f", {k} {v:.5f}" for k, v in parts.items()))
    print(f"checkpoint written: {path}")
    return status


def cmd_bench(a: argparse.Namespace) -> int:
    print(bench(a))
    return 0


def cmd_analyze(a: argparse.Namespace) -> int:
    if len(a.checkpoint) > 2:
        print("error: analyze takes one checkpoint, or two to compare", file=sys.stderr)
        return 2
    cks = [checkpoint.load(p) for p in a.checkpoint]
    if len({ck.dataset for ck in cks}) > 1:
        print("error: the two checkpoints were trained on different data sets: "
              + ", ".join(f"{p} on {ck.dataset}" for p, ck in zip(a.checkpoint, cks, strict=True)),
              file=sys.stderr)
        return 2
    ds = data.load(cks[0].dataset, root=a.root, progress=_print_progress)
    for path, ck in zip(a.checkpoint, cks, strict=True):
        print(f"checkpoint: {path}  ({ck.config.kind}, data set {ck.dataset}; "
              f"test images from {ds.source})")
        for key in ("command", "seconds", "train_loss", "test_loss"):
            if key in ck.meta:
                print(f"  {key}: {ck.meta[key]}")
    clf = None
    if cks[0].dataset == "mnist" and not ds.synthetic and Path(a.classifier).exists():
        clf = classifier.load(a.classifier)
    if len(cks) == 1:
        rep = wall_report.report(cks[0].model(), ds.x_test, ds.y_test, clf=clf,
                                 n_samples=a.samples, seed=a.seed)
        print("\n".join(rep.lines()))
        return 0
    m = [cure.measure(ck.model(), ds.x_test, ds.y_test, clf=clf, n_samples=a.samples,
                      seed=a.seed) for ck in cks]
    print()
    print("\n".join(cure_table.table_lines(m[0], m[1], names=_names(a.checkpoint),
                                           metas=(cks[0].meta, cks[1].meta))))
    return 0


def _names(paths: list[str]) -> tuple[str, str]:
    """Two short column names: the files' stems (book, vae_book), or A and B when they match."""
    stems = tuple(Path(p).stem for p in paths)
    return stems if stems[0] != stems[1] else ("A", "B")


def cmd_train_classifier(a: argparse.Namespace) -> int:
    ds = data.load(a.dataset, root=a.root, progress=_print_progress)
    if ds.synthetic:
        print("error: MNIST is not available (synthetic digits only); run `python -m ae fetch "
              "mnist` first", file=sys.stderr)
        return 1
    a.out = a.out or str(classifier.SHIPPED[a.dataset])
    clf = classifier.train_classifier(ds, epochs=a.epochs, batch_size=a.batch_size, lr=a.lr,
                                      seed=a.seed, log=print)
    path = classifier.save(a.out, clf,
                           meta={"command": "python -m ae " + shlex.join(sys.argv[1:])})
    print(f"classifier written: {path}  (test accuracy {clf.meta.get('test_accuracy')})")
    return 0


def torch_seed(seed: int) -> None:
    torch.manual_seed(seed)


def build_parser(preset: Preset = ED1, kind: str = "autoencoder") -> argparse.ArgumentParser:
    """The CLI; `preset` gives the defaults of `summary` and `train` (network, data, recipe:
    its VAE's recipe when `kind` is "vae")."""
    p = argparse.ArgumentParser(prog="python -m ae", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    f = sub.add_parser("fetch", help="download a data set into the local cache")
    f.add_argument("name", choices=["mnist", "fashion-mnist"])
    f.add_argument("--root", default=None, help="cache folder (default: $AE_DATA_DIR or data/)")
    f.set_defaults(func=cmd_fetch)

    s = sub.add_parser("summary", help="print the Keras-style encoder and decoder summaries")
    add_config_args(s, preset)
    s.set_defaults(func=cmd_summary)

    t = sub.add_parser("train", help="train an autoencoder or a VAE and write a checkpoint")
    add_config_args(t, preset)
    t.add_argument("--dataset", default=preset.dataset, choices=["mnist", "fashion-mnist"])
    t.add_argument("--root", default=None, help="data cache (default: $AE_DATA_DIR or data/)")
    # the preset's recipe for this kind (the article's by default): the defaults
    r = preset.vae_recipe if kind == "vae" else preset.recipe
    t.add_argument("--subset", type=subset, default=r.subset, metavar="N|all",
                   help=f"train on the first N training images, or all (default: "
                        f"{'all' if r.subset is None else f'{r.subset:,}'}; the 1st edition's "
                        f"{BOOK_SUBSET:,})")
    t.add_argument("--epochs", type=int, default=r.epochs, help=f"default: {r.epochs} (the book)")
    t.add_argument("--batch-size", type=int, default=r.batch_size,
                   help=f"default: {r.batch_size} (the book)")
    t.add_argument("--lr", type=float, default=r.lr, help=f"default: {r.lr} (the book)")
    t.add_argument("--lr-decay", type=float, default=1.0,
                   help="multiply the lr by this each epoch (default: 1, none)")
    t.add_argument("--seed", type=int, default=r.seed, help=f"default: {r.seed}")
    t.add_argument("--r-loss-factor", type=float, default=r.r_loss_factor,
                   help=f"--kind vae: the loss is this x MSE + KL, 1 to 10,000 (default: "
                        f"{r.r_loss_factor:g}, the book)")
    t.add_argument("--precision", default=r.precision, choices=PRECISIONS,
                   help=f"auto: bf16 where the CPU has native bf16 (default: {r.precision})")
    t.add_argument("--device", default="auto", help="auto, cpu, cuda or mps (default: auto)")
    t.add_argument("--test-every", type=int, default=1,
                   help="test loss (first 1,000 test images) every N epochs, 0 never "
                        "(default: 1)")
    t.add_argument("--threads", default="auto",
                   type=lambda v: v if v == "auto" else int(v),
                   help="torch threads: auto (timed on real steps) or N (default: auto)")
    t.add_argument("--snapshots", type=int, default=0,
                   help="record the wall of N probe test images for the wall-over-time view")
    t.add_argument("--snapshot-every", type=int, default=0,
                   help="also record every N steps (default: once per epoch)")
    t.add_argument("--out", default="runs/autoencoder.pt", help="checkpoint file to write")
    t.set_defaults(func=cmd_train)


    b = sub.add_parser("bench", help="images/s of the project's Trainer vs a plain PyTorch "
                       "loop, and the book recipe's projected time")
    add_bench_arguments(b)
    b.set_defaults(func=cmd_bench)

    an = sub.add_parser("analyze", help="print the three defects, continuity and "
                        "recognisability numbers of a checkpoint, or compare two side by side")
    an.add_argument("checkpoint", nargs="+", metavar="checkpoint",
                    help="a checkpoint file (e.g. assets/book.pt); two files (e.g. "
                         "assets/book.pt assets/vae_book.pt): every defect of both, side by side")
    an.add_argument("--root", default=None, help="data cache (default: $AE_DATA_DIR or data/)")
    an.add_argument("--classifier", default="assets/classifier.pt",
                    help="digit classifier for recognisability (default: assets/classifier.pt)")
    an.add_argument("--samples", type=int, default=2000,
                    help="wall samples for the metrics: uniform in the box, and N(0, I) "
                         "(default: 2000)")
    an.add_argument("--seed", type=int, default=0, help="default: 0")
    an.set_defaults(func=cmd_analyze)

    c = sub.add_parser("train-classifier", help="train the classifier that scores decoded "
                       "images (assets/classifier.pt; Fashion-MNIST's: classifier_fashion.pt)")
    c.add_argument("--dataset", default="mnist", choices=list(classifier.SHIPPED))
    c.add_argument("--root", default=None, help="data cache (default: $AE_DATA_DIR or data/)")
    c.add_argument("--epochs", type=int, default=4, help="default: 4")
    c.add_argument("--batch-size", type=int, default=64, help="default: 64")
    c.add_argument("--lr", type=float, default=0.002, help="default: 0.002")
    c.add_argument("--seed", type=int, default=0, help="default: 0")
    c.add_argument("--out", default=None,
                   help="file to write (default: the data set's shipped classifier in assets/)")
    c.set_defaults(func=cmd_train_classifier)
    return p


def main(argv: list[str] | None = None) -> int:
    first = argparse.ArgumentParser(add_help=False)
    first.add_argument("--preset", choices=list(PRESETS), default=ED1.name)
    first.add_argument("--kind", choices=KINDS, default="autoencoder")
    known, _ = first.parse_known_args(argv)  # preset and kind pick the other flags' defaults
    args = build_parser(PRESETS[known.preset], known.kind).parse_args(argv)
    try:
        return args.func(args)
    except (ConfigError, DataError, CheckpointError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
