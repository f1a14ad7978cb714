"""Downloads of a chart: its data as an Excel workbook, its picture as a PNG.

PNG: Plotly's static export, Kaleido 1.x, which drives a Chrome found on the
machine. It is pointed explicitly at Debian's Chromium (``/usr/bin/chromium``,
or ``$BROWSER_PATH`` when set: the variable kaleido's browser finder,
choreographer, reads), never a downloaded browser; MathJax (a CDN by default)
is off, and plotly.js is the copy inside the plotly package, so nothing is
fetched. Chinese text needs the machine's fonts (fonts-noto-cjk); the figure
builders set "Noto Sans CJK SC".

Excel: xlsxwriter, every text cell written as text with formulas, URLs and
numbers-in-text off, and a text that begins like a formula (= + - @, tab,
carriage return) prefixed with an apostrophe, so that neither Excel nor
another tool reading the file evaluates it (CSV/formula injection).
"""

from __future__ import annotations

import asyncio
import io
import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

import plotly.graph_objects as go
import polars as pl

DEBIAN_CHROMIUM = "/usr/bin/chromium"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportError(RuntimeError):
    """The picture could not be made (no browser, or it failed): one line for the user."""


def browser_path() -> str:
    """The Chromium kaleido drives: ``$BROWSER_PATH`` if set, else Debian's."""
    return os.environ.get("BROWSER_PATH") or DEBIAN_CHROMIUM


def figure_png(fig: go.Figure, *, width: int = 1280, height: int = 720, scale: float = 1.0) -> bytes:
    """The figure as PNG bytes (``width`` × ``height`` CSS pixels times ``scale``)."""
    import kaleido

    path = browser_path()
    if not Path(path).is_file():
        raise ExportError(f"no Chromium at {path}: install Debian's chromium or set BROWSER_PATH")
    try:
        return kaleido.calc_fig_sync(
            fig, opts={"format": "png", "width": width, "height": height, "scale": scale},
            kopts={"path": path, "mathjax": False},
        )
    except Exception as exc:  # kaleido's errors are many; the page shows one line
        raise ExportError(f"could not render the chart: {type(exc).__name__}: {exc}".splitlines()[0]) from exc


def figures_png(figures: Sequence[go.Figure], *, width: int = 1280, height: int | None = None,
                scale: float = 1.0) -> list[bytes]:
    """Several figures as PNG bytes, rendered in one Chromium session (one start-up, ~4 s, for all of them).

    Each is ``width`` CSS pixels wide and ``height`` high (None: the figure's
    own layout height, else 720), times ``scale``. The Kaleido session runs
    on a thread of its own with its own event loop, so it works the same from
    the command line and inside a Streamlit run.
    """
    import kaleido

    path = browser_path()
    if not Path(path).is_file():
        raise ExportError(f"no Chromium at {path}: install Debian's chromium or set BROWSER_PATH")

    def opts(fig: go.Figure) -> dict:
        return {"format": "png", "width": width, "height": height or fig.layout.height or 720, "scale": scale}

    async def render() -> list[bytes]:
        async with kaleido.Kaleido(path=path, mathjax=False) as k:
            return [await k.calc_fig(fig, opts=opts(fig)) for fig in figures]

    if not figures:
        return []
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, render()).result()
    except Exception as exc:  # kaleido's errors are many; the caller shows one line
        raise ExportError(f"could not render the charts: {type(exc).__name__}: {exc}".splitlines()[0]) from exc


def neutralised(value: str) -> str:
    """A text that a spreadsheet would read as a formula, made plain text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def frame_xlsx(frame: pl.DataFrame, *, sheet: str = "data", headers: dict[str, str] | None = None) -> bytes:
    """The frame as an .xlsx workbook: one sheet, a header row (``headers`` renames columns), then the rows."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    # A sheet name is never evaluated, but Excel refuses []:*?/\ and a leading or trailing apostrophe.
    sheet_ = book.add_worksheet(re.sub(r"[\[\]:*?/\\]", " ", sheet).strip("'")[:31] or "data")
    bold = book.add_format({"bold": True})
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    for j, name in enumerate(frame.columns):
        sheet_.write_string(0, j, neutralised(str((headers or {}).get(name, name))), bold)
    for i, row in enumerate(frame.iter_rows(), start=1):
        for j, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet_.write_boolean(i, j, value)
            elif isinstance(value, (int, float)):
                if value == value and value not in (float("inf"), float("-inf")):  # NaN and inf stay empty
                    sheet_.write_number(i, j, value)
            elif isinstance(value, (date, datetime)):
                sheet_.write_datetime(i, j, datetime(value.year, value.month, value.day)
                                      if not isinstance(value, datetime) else value, dates)
            else:
                sheet_.write_string(i, j, neutralised(str(value)))
    sheet_.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
