"""Tables of figures: a sortable ``st.dataframe`` at the desk, a large-type ``st.table`` on the wall screen.

Each column says what kind of value it holds (text, count, rate, date, days,
rank), which decides how it is written (text/formatting.py: rates with one
decimal, "—" for a missing value or a zero denominator), and carries a label
and, at the desk, the one-sentence definition as hover help on its header.
Values stay numbers underneath, so a click on a header sorts by the number,
not by its text; a pandas Styler writes them. Rows and cells can be greyed
(a league row that is not ranked): a muted colour a projector shows apart from
the rest, and the words beside it ("不排名") say the same without colour.

Nothing here reads data: pages pass a Polars frame they got from data_access.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
import polars as pl
import streamlit as st

from text.formatting import format_count, format_rate
from text.i18n import DASH, t
from text.markup import markdown_html_text, markdown_text

KINDS = ("text", "count", "rate", "date", "days", "rank", "number")
# An unranked row's rank, as the grid holds it: the browser writes a missing value as the placeholder
# ("—"), whatever the Styler wrote, so "不排名" needs a value; this one also sorts after every rank.
NOT_RANKED = 999_999
# Greyed rows and cells: muted, still legible, unmistakably not like the others.
GREY = {False: "color: #5f6b7a; background-color: #eceff3; font-style: italic",
        True: "color: #8d9cb5; background-color: #16233a; font-style: italic"}
# Words that a status column may hold, drawn in a colour as well as written out.
WARN = {False: "color: #b3261e; font-weight: 600", True: "color: #ff9b8f; font-weight: 600"}


@dataclass(frozen=True)
class Column:
    """One column of a table: the frame's column ``name``, its ``label``, ``kind`` and hover ``help``."""

    name: str
    label: str
    kind: str = "text"
    help: str | None = None
    # For a text column of codes (a rule set, a step, a status): how each value is written.
    words: Callable[[object], str] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


def _missing(value) -> bool:
    # pandas turns a missing number into NaN and a missing date into NaT.
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def format_value(value, column: Column) -> str:
    """How a value of ``column`` is written on screen."""
    if column.kind == "rank":
        return t("league.not_ranked") if _missing(value) or value >= NOT_RANKED else str(int(value))
    if _missing(value):
        return DASH
    if column.words is not None:
        return column.words(value)
    if column.kind == "rate":
        return format_rate(float(value))
    if column.kind in ("count", "days"):
        return format_count(int(value))
    if column.kind == "number":
        return f"{float(value):,.1f}"
    if column.kind == "date":
        if isinstance(value, datetime):
            return value.date().isoformat()
        return value.isoformat() if isinstance(value, date) else str(value)[:10]
    return str(value)


def _styler(frame: pl.DataFrame, columns: Sequence[Column], projection: bool, greyed: Sequence[bool] | None,
            grey_cells: Mapping[str, Sequence[bool]] | None, warn_cells: Mapping[str, Sequence[bool]] | None):
    data = frame.select(
        pl.col(c.name).fill_null(NOT_RANKED) if c.kind == "rank" else pl.col(c.name) for c in columns
    ).to_pandas()
    if projection:
        # st.table heads its columns with the frame's own names: the labels are the names there.
        data.columns = [c.label for c in columns]
    names = list(data.columns)
    if projection:
        # On the wall the table is st.table, whose cells are Markdown: text from data is escaped in the
        # data itself (what the page sends), not only in its display format.
        for name, c in zip(names, columns, strict=True):
            if c.words is None and c.kind not in ("rank", "rate", "count", "days", "number", "date"):
                data[name] = data[name].map(lambda v: v if _missing(v) else markdown_text(v))
    styler = data.style.format({name: (lambda v, c=c: format_value(v, c)) for name, c in zip(names, columns,
                                                                                          strict=True)})
    grey, warn = GREY[projection], WARN[projection]
    rows = list(greyed) if greyed is not None else [False] * frame.height

    def style(row):
        out = []
        for c in columns:
            if rows[row.name] or (grey_cells and c.name in grey_cells and grey_cells[c.name][row.name]):
                out.append(grey)
            elif warn_cells and c.name in warn_cells and warn_cells[c.name][row.name]:
                out.append(warn)
            else:
                out.append("")
        return out

    if greyed is not None or grey_cells or warn_cells:
        styler = styler.apply(style, axis=1)
    return styler.hide(axis="index")


def show(
    frame: pl.DataFrame,
    columns: Sequence[Column],
    *,
    projection: bool,
    key: str | None = None,
    greyed: Sequence[bool] | None = None,
    grey_cells: Mapping[str, Sequence[bool]] | None = None,
    warn_cells: Mapping[str, Sequence[bool]] | None = None,
    on_select: Callable | None = None,
    select_args: tuple = (),
    max_height: int = 420,
) -> None:
    """Draw ``frame``'s ``columns``: sortable with hover help at the desk, large type in projection mode.

    ``greyed`` marks whole rows, ``grey_cells`` and ``warn_cells`` single
    cells (column name -> one flag per row); at the desk only such a table
    goes through a pandas Styler, which costs about a quarter of a second per
    thousand rows on every rerun. Any other is handed to the browser as it
    is, with a format per column. ``on_select`` (desk only) makes one row selectable; it
    is called with ``select_args`` and the selected row's position in ``frame``.
    """
    styled = greyed is not None or bool(grey_cells) or bool(warn_cells)
    if projection:
        # An HTML table that the projection CSS sets in large type; nothing to sort or hover on the wall.
        # Through the Styler (the wall's tables are short): numbers keep their right alignment.
        st.table(_styler(frame, columns, projection, greyed, grey_cells, warn_cells))
        return
    if styled:
        data = _styler(frame, columns, projection, greyed, grey_cells, warn_cells)
        # A rank may read "not ranked": room for the words, not just for a number.
        config = {c.name: st.column_config.Column(c.label, help=c.help, width=96 if c.kind == "rank" else None)
                  for c in columns}
    else:
        data = frame.select([_plain(frame, c) for c in columns]).to_arrow()
        config = {c.name: _plain_config(c) for c in columns}
    selection = {}
    if on_select is not None:
        if key is None:
            raise ValueError("a selectable table needs a key")

        def picked() -> None:
            rows = st.session_state[key].selection.rows
            if rows:
                on_select(*select_args, rows[0])

        selection = {"on_select": picked, "selection_mode": "single-row"}
    # Rows of 35 px and a header: no inner scroll bar for a short table, at most max_height for a long one.
    height = min(35 * (frame.height + 1) + 3, max_height)
    # The browser writes a missing value as the placeholder, styled or not (the Styler's text is used
    # for the other cells only).
    st.dataframe(data, hide_index=True, width="stretch", height=height, column_config=config, key=key,
                 placeholder=DASH, **selection)


# An HTML table's marks, for tests and the browser: the table, a greyed row, a greyed cell.
HTML_MARK = "data-table"
NUMERIC = ("count", "rate", "days", "number", "rank")


def html_table(
    frame: pl.DataFrame,
    columns: Sequence[Column],
    *,
    projection: bool,
    mark: str,
    greyed: Sequence[bool] | None = None,
    grey_cells: Mapping[str, Sequence[bool]] | None = None,
    max_height: int = 1200,
) -> str:
    """``frame``'s ``columns`` as one line of HTML for ``st.markdown(..., unsafe_allow_html=True)``.

    For a short table with greyed rows and cells at the desk (the league): a
    pandas Styler took 13-40 ms of every rerun for 20 rows, this a millisecond.
    Not sortable by a click on a header: the rows come in the order they are
    meant to be read in (the league's ranking, chosen on the page). Values are
    written by :func:`format_value`, text escaped (``markdown_html_text``); a
    column's definition is its header's ``title``, a hover away. A greyed row
    carries ``data-grey="row"``, a greyed cell ``data-grey="cell"``.
    """
    grey = GREY[projection]
    rows = list(greyed) if greyed is not None else [False] * frame.height
    head = "".join(
        f'<th{_title(c.help)} style="padding:6px 10px;text-align:{"right" if c.kind in NUMERIC else "left"};'
        f'border-bottom:2px solid rgba(128,128,128,0.35);font-weight:600;vertical-align:bottom">'
        f"{markdown_html_text(c.label)}</th>"
        for c in columns
    )
    body = []
    values = {c.name: frame[c.name].to_list() for c in columns}
    for i, whole_row in enumerate(rows):
        cells = []
        for c in columns:
            value = values[c.name][i]
            if c.kind == "rank" and value is None:
                value = NOT_RANKED
            cell_grey = not whole_row and bool(grey_cells and c.name in grey_cells and grey_cells[c.name][i])
            align = "right" if c.kind in NUMERIC else "left"
            style = f"padding:5px 10px;text-align:{align};border-bottom:1px solid rgba(128,128,128,0.2)"
            attrs = f' data-grey="cell" style="{style};{grey}"' if cell_grey else f' style="{style}"'
            cells.append(f"<td{attrs}>{markdown_html_text(format_value(value, c))}</td>")
        row_attrs = f' data-grey="row" style="{grey}"' if whole_row else ""
        body.append(f"<tr{row_attrs}>{''.join(cells)}</tr>")
    return (
        f'<div style="max-height:{max_height}px;overflow:auto;margin-bottom:1rem">'
        f'<table {HTML_MARK}="{markdown_html_text(mark)}" style="width:100%;border-collapse:collapse;'
        f'font-size:{"1.25em" if projection else "14px"};font-variant-numeric:tabular-nums">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _title(help_text: str | None) -> str:
    return f' title="{markdown_html_text(help_text)}"' if help_text else ""


def _plain(frame: pl.DataFrame, column: Column) -> pl.Expr:
    """A column as the browser gets it unstyled: words written out, rates as percentages, the rest as is."""
    expr = pl.col(column.name)
    if column.words is not None:
        values = [v for v in frame[column.name].unique().to_list() if v is not None]
        return expr.replace_strict({v: column.words(v) for v in values}, default=None, return_dtype=pl.String)
    if column.kind == "rate":
        # The percentage the rest of the app writes (half-up, one decimal), so sorting and reading agree.
        return expr.map_elements(lambda x: float(format_rate(x).rstrip("%")), return_dtype=pl.Float64)
    return expr


def _plain_config(column: Column):
    kwargs = {"label": column.label, "help": column.help}
    if column.kind == "date":
        return st.column_config.DateColumn(format="YYYY-MM-DD", **kwargs)
    if column.kind in ("count", "days"):
        return st.column_config.NumberColumn(format="%d", **kwargs)
    if column.kind == "rate":
        return st.column_config.NumberColumn(format="%.1f%%", **kwargs)
    if column.kind == "number":
        return st.column_config.NumberColumn(format="%.1f", **kwargs)
    return st.column_config.TextColumn(**kwargs)
