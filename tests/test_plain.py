"""The Markdown tables of `ae.ui.plain`: what a page shows instead of `st.table`."""

import pytest
from pagekit import md_tables

from ae.ui.plain import NBSP, markdown_table


class Run:  # what `md_tables` reads of an AppTest run: its markdown elements
    def __init__(self, *texts):
        self.markdown = [type("El", (), {"value": text}) for text in texts]


def test_a_table_reads_back_cell_for_cell_with_pipes_and_breaks_escaped():
    cols = {"layer": ["a|b", "c\nd"], "shape": ["(None, 2)", "(None, 7, 7, 64)"], "n": [0, 1]}
    text = markdown_table(cols, right=["n"], keep=["shape"])
    lines = text.splitlines()
    assert lines[1] == "|:--|:--|--:|" and len(lines) == 4
    assert f"(None,{NBSP}7,{NBSP}7,{NBSP}64)" in text  # held on one line
    back = md_tables(Run("intro", text))[0]
    assert list(back.columns) == ["layer", "shape", "n"]
    assert back["layer"].tolist() == ["a|b", "c d"] and back["n"].tolist() == ["0", "1"]
    assert back["shape"].tolist() == ["(None, 2)", "(None, 7, 7, 64)"]


def test_columns_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="different lengths"):
        markdown_table({"a": [1, 2], "b": [1]})
