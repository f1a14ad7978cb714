"""dashboard/tables.py: how each kind of value is written, and what reaches the browser at the desk and on the wall."""

from __future__ import annotations

from datetime import date

import polars as pl
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.tables import NOT_RANKED, Column, format_value


@pytest.mark.parametrize(("value", "kind", "shown"), [
    (0.9785, "rate", "97.9%"),  # half-up, as every rate in the app
    (None, "rate", "—"),  # a zero denominator is never 0%
    (float("nan"), "count", "—"),
    (4012, "count", "4,012"),
    (-2, "days", "-2"),
    (54.5, "number", "54.5"),
    (date(2026, 3, 31), "date", "2026-03-31"),
    (None, "rank", "不排名"),
    (NOT_RANKED, "rank", "不排名"),
    (3.0, "rank", "3"),
    ("<b>人社局</b>", "text", "<b>人社局</b>"),  # text stays text
])
def test_format_value(value, kind, shown):
    assert format_value(value, Column("x", "X", kind)) == shown


def test_words_write_codes():
    column = Column("rule_set", "规则", words=lambda v: {"statutory": "法定"}[v])
    assert format_value("statutory", column) == "法定" and format_value(None, column) == "—"


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        Column("x", "X", "percent")


def _table_script():
    import polars as pl
    import streamlit as st

    from dashboard import tables
    from dashboard.tables import Column

    frame = pl.DataFrame({"name": ["甲", "乙"], "rate": [0.5, None], "rank": [1, None]})
    columns = [Column("name", "名称"), Column("rate", "比率", "rate", "定义"), Column("rank", "排名", "rank")]
    projection = st.session_state.get("projection", False)
    tables.show(frame, columns, projection=projection, key="t", greyed=[False, True])
    tables.show(frame.select("name", "rate"), columns[:2], projection=projection, key="plain")


def _display(element) -> list[list[str]]:
    values = element.proto.arrow_data.styler.display_values
    return [list(r) for r in pa.ipc.open_stream(values).read_all().to_pandas().itertuples(index=False)]


def test_desk_tables_sort_by_numbers_and_write_them_as_the_app_does():
    at = AppTest.from_function(_table_script, default_timeout=30)
    at.run()
    assert not at.exception
    styled, plain = at.dataframe
    # The greyed table: numbers underneath (an unranked row sorts last), words on screen.
    assert styled.value["rank"].tolist() == [1, NOT_RANKED]
    assert _display(styled) == [["甲", "50.0%", "1"], ["乙", "—", "不排名"]]
    assert styled.proto.placeholder == "—"  # what the browser writes for a missing value
    # The other: no Styler, a format per column.
    assert not plain.proto.arrow_data.styler.display_values
    assert plain.value["rate"].tolist()[0] == pytest.approx(50.0)
    assert '"format": "%.1f%%"' in plain.proto.columns


def test_wall_tables_are_large_type_html_with_labels():
    at = AppTest.from_function(_table_script, default_timeout=30)
    at.session_state["projection"] = True
    at.run()
    assert len(at.dataframe) == 0 and len(at.table) == 2
    assert list(at.table[0].value.columns) == ["名称", "比率", "排名"]
    assert _display(at.table[0])[1] == ["乙", "—", "不排名"]


def test_a_selectable_table_needs_a_key():
    from dashboard import tables

    with pytest.raises(ValueError):
        tables.show(pl.DataFrame({"a": [1]}), [Column("a", "A")], projection=False, on_select=print)


def test_html_tables_write_values_as_the_app_does_grey_what_is_asked_and_escape_text():
    from dashboard import tables

    frame = pl.DataFrame({"name": ["<b>甲</b>", "乙"], "rate": [0.5, None], "rank": [1, None]})
    columns = [Column("name", "名称"), Column("rate", "比率", "rate", "定义<i>"), Column("rank", "排名", "rank")]
    html = tables.html_table(frame, columns, projection=False, mark="t", greyed=[False, True],
                             grey_cells={"rate": [True, True]})
    # One line (a blank line would end Markdown's HTML block); no tag from data or help survives.
    assert "\n" not in html and "<b>" not in html and "<i>" not in html
    assert "&#60;b&#62;甲&#60;&#47;b&#62;" in html and 'title="定义&#60;i&#62;"' in html
    rows = html.split("<tbody>")[1].split("</tr>")[:2]
    # Row 1: the rate's cell alone greyed; row 2: the whole row (its cells not marked again).
    assert rows[0].count('data-grey="cell"') == 1 and "50&#46;0&#37;" in rows[0] and ">1<" in rows[0]
    assert rows[1].startswith('<tr data-grey="row"') and 'data-grey="cell"' not in rows[1]
    assert "—" in rows[1] and "不排名" in rows[1]
