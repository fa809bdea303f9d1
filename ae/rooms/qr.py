"""A room's link as a QR code, made on the server (`segno`, pure Python): a phone's camera
opens the link without anyone typing it, and nothing is fetched from outside the school."""

from __future__ import annotations

import io

import segno


def qr_png(url: str, scale: int = 8, border: int = 4) -> bytes:
    """`url` as a QR code in PNG bytes: black modules of `scale` pixels on white, with the
    quiet zone of `border` modules that readers need; error correction M (a projector's glare
    or a smudge still reads)."""
    if not url:
        raise ValueError("a QR code needs a link")
    buf = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buf, kind="png", scale=scale, border=border)
    return buf.getvalue()
