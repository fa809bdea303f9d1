"""Every page's header says which source served the digits (after a failed download
the class must see where the data came from), and warns when they are the synthetic stand-in."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pagekit import (
    assert_ok,
    open_page,
    own_tab_store,  # noqa: F401 (fixtures, found by pytest by name)
    serve,
    small_data,  # noqa: F401 (used by name below)
)

from ae.ui.i18n import all_texts

TEXTS = all_texts()


@pytest.mark.usefixtures("own_tab_store")
@pytest.mark.parametrize("source", ["cache", "download", "pypi", "synthetic"])
def test_the_header_names_the_data_source(small_data, monkeypatch, source):  # noqa: F811
    ds = replace(small_data, source=source,
                 notes=[] if source == "cache" else ["cache: no files", "download: dropped"])
    serve(monkeypatch, ds)
    at = open_page("architecture")
    assert not at.exception, [e.value for e in at.exception]
    captions = "\n".join(c.value for c in at.caption)
    assert TEXTS[f"data.source.{source}"][0] in captions
    warned = any(TEXTS["data.synthetic"][0][:40] in w.value for w in at.warning)
    assert warned == (source == "synthetic")
    if source != "synthetic":
        assert_ok(at)
