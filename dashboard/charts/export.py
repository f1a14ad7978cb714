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
import contextlib
import functools
import io
import os
import re
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names for annotations only: the review command imports this module before anything heavy
    import plotly.graph_objects as go
    import polars as pl

DEBIAN_CHROMIUM = "/usr/bin/chromium"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# plotly.js's basic bundle (scripts/vendor-assets.sh): bar, scatter and pie traces in 1.2 MB against the full
# bundle's 4.8 MB, which Chromium took 2–3 s to load under this machine's load (the basic one 0.4–0.7 s).
PLOTLY_BASIC = Path(__file__).resolve().parents[1] / "static" / "vendor" / "plotly.js-basic-dist-min" / \
    "plotly-basic.min.js"
BASIC_TRACES = frozenset({"bar", "scatter", "pie"})


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


def basic_bundle() -> Path | None:
    """The vendored basic plotly.js when it is there and of the version plotly's own bundle is, else None."""
    from plotly.offline import get_plotlyjs_version

    if not PLOTLY_BASIC.is_file():
        return None
    with PLOTLY_BASIC.open("rb") as f:
        head = f.read(200)
    # "plotly.js (basic - minified) v4.1.1": another version could draw differently from the page's charts.
    return PLOTLY_BASIC if f" v{get_plotlyjs_version()}\n".encode() in head else None


@functools.cache
def _one_page_kaleido():
    """Kaleido that draws every figure of a session on one page, without reloading it between pictures."""
    import kaleido

    class OnePageKaleido(kaleido.Kaleido):
        # Kaleido reloads its tab after each picture, to start the next from a fresh page: 0.2–0.4 s each
        # here. Its page purges each plot once its picture is taken, so the pictures of one session share
        # the page: the same bytes as with reloads (tests/dashboard/charts/test_export.py).
        async def _return_kaleido_tab(self, tab) -> None:
            await self.tabs_ready.put(tab)

    return OnePageKaleido


class PngSession:
    """A Kaleido (Chromium) session started at once, on a thread of its own, that renders figures when given them.

    Starting Chromium and loading plotly.js into its page is most of a
    picture's cost (~4 s under load here with the full plotly.js, ~1.5 s with
    the basic bundle); the pictures themselves take tenths of a second. A
    caller that knows it will want pictures (the review command) opens a
    session first and computes its figures meanwhile: the start-up overlaps
    the queries instead of following them. Figures are rendered in order on
    one page. ``basic`` loads the vendored basic plotly.js (:func:`basic_bundle`,
    the full one when it is missing), for figures of bar, scatter and pie
    traces only (:data:`BASIC_TRACES`; another is refused). :meth:`close` ends
    Chromium (``wait=False`` lets it exit while the caller goes on); used as a
    context manager it is closed on leaving. Never raises in the constructor:
    a missing browser or a failed start is an :class:`ExportError` when the
    pictures are asked for.
    """

    def __init__(self, path: str | None = None, *, basic: bool = False) -> None:
        self._basic = basic
        self._loop = asyncio.new_event_loop()
        # Open, render and close all run on this one loop and thread (choreographer requires it);
        # a daemon thread, so a process that dies does not hang on it.
        self._thread = threading.Thread(target=self._loop.run_forever, name="png-session", daemon=True)
        self._thread.start()
        self._opened = asyncio.run_coroutine_threadsafe(self._open(path or browser_path()), self._loop)
        self._closing: Future | None = None
        self._stopped = False

    async def _open(self, path: str):
        if not Path(path).is_file():
            raise ExportError(f"no Chromium at {path}: install Debian's chromium or set BROWSER_PATH")
        bundle = basic_bundle() if self._basic else None
        k = _one_page_kaleido()(path=path, mathjax=False, plotlyjs=str(bundle) if bundle else None)
        try:
            await k.open()
        except BaseException:
            with contextlib.suppress(Exception):
                await k.close()
            raise
        return k

    async def _render(self, figures: list[go.Figure], width: int, height: int | None, scale: float) -> list[bytes]:
        k = await asyncio.wrap_future(self._opened)
        return [await k.calc_fig(fig, opts={"format": "png", "width": width,
                                            "height": height or fig.layout.height or 720, "scale": scale})
                for fig in figures]

    def submit(self, figures: Sequence[go.Figure], *, width: int = 1280, height: int | None = None,
               scale: float = 1.0) -> Future:
        """Start rendering; the future's result is the PNG bytes of each figure (see :func:`figures_png`)."""
        if self._basic:
            other = {trace.type for fig in figures for trace in fig.data} - BASIC_TRACES
            if other:
                raise ValueError(f"the basic plotly.js draws no {sorted(other)} trace: open the session without basic")
        return asyncio.run_coroutine_threadsafe(self._render(list(figures), width, height, scale), self._loop)

    @staticmethod
    def result(future: Future) -> list[bytes]:
        """A submitted rendering's pictures; any failure (of the start-up too) as one :class:`ExportError` line."""
        try:
            return future.result()
        except ExportError:
            raise
        except Exception as exc:  # kaleido's errors are many; the caller shows one line
            raise ExportError(
                f"could not render the charts: {type(exc).__name__}: {exc}".splitlines()[0]) from exc

    def render(self, figures: Sequence[go.Figure], *, width: int = 1280, height: int | None = None,
               scale: float = 1.0) -> list[bytes]:
        return self.result(self.submit(figures, width=width, height=height, scale=scale))

    async def _close(self) -> None:
        try:
            k = await asyncio.wrap_future(self._opened)
        except Exception:  # never opened (no browser): nothing to close
            return
        await k.close()

    def close(self, *, wait: bool = True) -> None:
        """End Chromium; with ``wait`` False, only begin to (a later ``close()`` waits for the end)."""
        if self._closing is None:
            self._closing = asyncio.run_coroutine_threadsafe(self._close(), self._loop)
        if not wait or self._stopped:
            return
        self._stopped = True
        try:
            with contextlib.suppress(Exception):  # a browser that fails to close must not fail the caller
                self._closing.result()
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()

    def __enter__(self) -> PngSession:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def figures_png(figures: Sequence[go.Figure], *, width: int = 1280, height: int | None = None,
                scale: float = 1.0, session: PngSession | None = None, basic: bool = False) -> list[bytes]:
    """Several figures as PNG bytes, rendered in one Chromium session (one start-up, ~4 s, for all of them).

    Each is ``width`` CSS pixels wide and ``height`` high (None: the figure's
    own layout height, else 720), times ``scale``. ``session`` is a session
    already started (:class:`PngSession`, left open); without one, a session
    is opened for these figures and closed (with the basic plotly.js if
    ``basic``). The session runs on a thread of
    its own with its own event loop, so it works the same from the command
    line and inside a Streamlit run.
    """
    if not figures:
        return []
    if session is not None:
        return session.render(figures, width=width, height=height, scale=scale)
    with PngSession(basic=basic) as own:
        return own.render(figures, width=width, height=height, scale=scale)


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
