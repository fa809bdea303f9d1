"""The cure's comparison as text: `python -m ae analyze A.pt B.pt` prints `table_lines(...)`.

One row per defect (`cure.ROW_KEYS`) with both values, which direction is better and the
verdict; each model's test loss parts from its checkpoint's meta; the diagnosis of each VAE;
and, in plain words, every defect on which the VAE does NOT beat the autoencoder.
"""

from __future__ import annotations

from ae.analysis.cure import Measures, Row, compare, diagnose

ROW_NAMES = {
    "area_ratio": "uneven areas: largest/smallest digit share",
    "centre_offset": "centre's offset from 0, in spreads",
    "beyond_3": "marks beyond 3 spreads from 0",
    "kl_fit": "KL of the codes' Gaussian from N(0,I)",
    "gap_share": "own samples landing in a gap",
    "native_recognised": "own samples recognised",
    "native_evenness": "own samples' evenness over digits",
    "normal_recognised": "N(0,I) samples recognised",
    "normal_evenness": "N(0,I) samples' evenness over digits",
    "step_change": "picture change over a short step",
    "line_jump": "biggest jump along a line",
}
NOT_BETTER = {  # "<the second model> ..." where it does not beat the first
    "area_ratio": "gives the digits no more even areas",
    "centre_offset": "has its codes no better centred on 0",
    "beyond_3": "has no fewer marks far out (beyond 3 spreads)",
    "kl_fit": "has codes no closer to the standard normal N(0, I)",
    "gap_share": "sends no fewer of its own samples into gaps",
    "native_recognised": "paints no more recognisable digits from its own samples",
    "native_evenness": "paints its own samples' digits no more evenly",
    "normal_recognised": "paints no more recognisable digits from N(0, I) samples",
    "normal_evenness": "paints the digits of N(0, I) samples no more evenly",
    "step_change": "changes the picture no less over a short step",
    "line_jump": "jumps no less along a line between two test digits",
}
KIND_NAMES = {"autoencoder": "autoencoder", "vae": "variational autoencoder"}
SHARES = {"beyond_3", "gap_share", "native_recognised", "normal_recognised"}


def fmt_value(key: str, v: float | None) -> str:
    """A row's number as the table prints it: shares in %, picture changes (mean squared
    pixel differences) as 1.23e-04, the rest with one or two decimals."""
    if v is None:
        return "-"
    if key in SHARES:
        return f"{100 * v:.1f}%"
    if key in ("step_change", "line_jump"):
        return f"{v:.2e}"
    return f"{v:.1f}" if key == "area_ratio" else f"{v:.2f}"


def loss_line(name: str, meta: dict | None) -> str | None:
    """A checkpoint's test loss and its parts from its meta, or None when it has none."""
    if not meta or meta.get("test_loss") is None:
        return None
    loss = float(meta["test_loss"])
    if meta.get("test_kl_loss") is None:
        return f"{name}: test loss (MSE per image) {loss:.5f}"
    r, kl = float(meta["test_r_loss"]), float(meta["test_kl_loss"])
    factor = float((meta.get("recipe") or {}).get("r_loss_factor") or 0)
    mse = f" ({factor:g} x MSE {r / factor:.5f})" if factor > 0 else ""
    return f"{name}: test loss {loss:.4f} = r_loss {r:.4f}{mse} + kl_loss {kl:.4f}"


def _verdict(row: Row, names: tuple[str, str]) -> str:
    return {"left": f"{names[0]} better", "right": f"{names[1]} better"}.get(row.side, row.side)


def table_lines(left: Measures, right: Measures,
                names: tuple[str, str] = ("autoencoder", "VAE"),
                metas: tuple[dict | None, dict | None] = (None, None)) -> list[str]:
    """The side-by-side table of two models (usually the autoencoder, then the VAE), as lines.

    The closing lines name, in plain words, each row where the VAE (the second model when
    both are of one kind) does not beat the other: a tie counts as not beating it.
    """
    rows = compare(left, right)
    width = max(len(n) for n in ROW_NAMES.values())
    cols = [max(9, len(n)) for n in names]
    head = (f"{'defect':<{width}}  {names[0]:>{cols[0]}}  {names[1]:>{cols[1]}}  "
            f"{'better':<6}  verdict")
    kinds = [KIND_NAMES.get(m.kind, m.kind) for m in (left, right)]
    out = [f"{left.n:,} test images; {names[0]}: {kinds[0]}, {names[1]}: {kinds[1]}.",
           head, "-" * len(head)]
    for r in rows:
        out.append(f"{ROW_NAMES[r.key]:<{width}}  {fmt_value(r.key, r.ae):>{cols[0]}}  "
                   f"{fmt_value(r.key, r.vae):>{cols[1]}}  {r.better:<6}  {_verdict(r, names)}")
    out += [line for line in (loss_line(n, m) for n, m in zip(names, metas, strict=True))
            if line]
    for n, m in zip(names, (left, right), strict=True):
        if m.is_vae:
            d = diagnose(m)
            kl = "" if d.kl_per_image is None else f", KL {d.kl_per_image:.2f} nats per image"
            out.append(f"{n} diagnosis: {d.label} (codes' spread {d.codes_std:.2f}{kl}, "
                       f"patch / mark spacing {d.patch_ratio:.1f}, KL fit {d.kl_fit:.2f})")
    # which model should be the cure: the VAE when the kinds differ, else the second
    cure_right = right.is_vae or not left.is_vae
    cure, other = (names[1], names[0]) if cure_right else (names[0], names[1])
    won = "right" if cure_right else "left"
    missing = [r for r in rows if r.side != won]
    if not missing:
        out.append(f"{cure} beats {other} on every row.")
        return out
    out.append(f"Where {cure} does NOT beat {other}:")
    for r in missing:
        cv, ov = (r.vae, r.ae) if cure_right else (r.ae, r.vae)
        how = {"tie": "a tie", "n/a": "not measured"}.get(r.side, f"{other} is better")
        out.append(f"  - {cure} {NOT_BETTER[r.key]}: {fmt_value(r.key, cv)} vs "
                   f"{fmt_value(r.key, ov)} ({how}; {r.better} is better).")
    return out
