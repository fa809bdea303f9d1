"""Page parts that cost a first view nothing extra: a table as Markdown, and an expander whose
content is drawn only once it is opened.

Why: a class opens a page together, and each element type brings its own script to a fresh
page load. `st.table` and `st.dataframe` send a data frame through Arrow and load its reader;
`st.code` loads the browser's syntax highlighter (~1.5 MB), even inside a closed expander. On
the development machine each of those added 0.3 to 0.9 s to a page's first view
(`scripts/page_speed.py`), for content a teacher reads as plain text anyway.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

NBSP = "\u00a0"


def _cell(value: Any, keep: bool) -> str:
    """A cell's text: Markdown's pipes and line breaks escaped; `keep` holds it on one line."""
    text = str(value).replace("|", "\\|").replace("\n", " ")
    return text.replace(" ", NBSP) if keep else text


def markdown_table(columns: Mapping[str, Sequence[Any]], right: Sequence[str] = (),
                   keep: Sequence[str] = ()) -> str:
    """Columns (header -> cells, all the same length) as a Markdown table; the `right` columns
    (numbers) aligned right, the `keep` columns never wrapped (a shape, a count)."""
    heads = list(columns)
    n = {len(cells) for cells in columns.values()}
    if len(n) > 1:
        raise ValueError(f"columns of different lengths: {sorted(n)}")
    lines = ["| " + " | ".join(_cell(h, h in keep) for h in heads) + " |",
             "|" + "|".join("--:" if h in right else ":--" for h in heads) + "|"]
    for row in zip(*columns.values(), strict=True):
        lines.append("| " + " | ".join(_cell(v, h in keep) for h, v in zip(heads, row,
                                                                          strict=True)) + " |")
    return "\n".join(lines)


def table(columns: Mapping[str, Sequence[Any]], right: Sequence[str] = (),
          keep: Sequence[str] = ()) -> None:
    """Draw `markdown_table(columns, right, keep)`."""
    st.markdown(markdown_table(columns, right, keep))


def records_table(rows: Sequence[Mapping[str, Any]], right: Sequence[str] = (),
                  keep: Sequence[str] = ()) -> None:
    """Like `table`, from rows (dicts with the same keys, in column order)."""
    table({h: [r[h] for r in rows] for h in (rows[0] if rows else {})}, right, keep)


def lazy_expander(label: str, key: str) -> Any:
    """An expander that is drawn closed and empty; returns its container once the learner
    has opened it (opening reruns the page; it stays open), else None. Draw the content
    inside `with box:` only when it is not None."""
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None
