"""The app's own download buttons: a table or a chart's data as Excel, a chart as PNG, made only when asked for, and audited.

st.dataframe's built-in "Download as CSV" is switched off for the whole app
(``client.disableDataExport``): it cannot be audited and it writes
``=HYPERLINK(…)`` into a CSV as it stands. A table a role may export gets
:func:`table_download` under it instead. The button's data is a callable
(services.exports): Streamlit runs it only when the user clicks, on a thread of
its own, so each file handed out has its audit entry, and a page run makes no
file nobody asked for.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import polars as pl
import streamlit as st
from sqlalchemy import Engine

from dashboard import data_access, filters_ui, gate
from dashboard.charts import export
from data import audit
from data.spreadsheet import XLSX_MIME
from queries.filters import DIMENSIONS, CaseFilter
from services import access, exports
from text.i18n import current_language, t

# Session state of the pictures made (namespaced "download."): chart key -> (signature, PNG bytes).
PNG_STATE = "download.png."
PNG_WIDTH, PNG_HEIGHT = 1600, 900


def may_download() -> bool:
    """A signed-in role with ``export``, not on the wall screen."""
    user = gate.signed_in_user()
    return (
        user is not None
        and user.role != "projection"
        and not filters_ui.projection_mode()
        and access.can(user.role, "export")
    )


def describe_filter(flt: CaseFilter) -> str:
    """The view a table was read under, for the audit log: ``2026-10`` or ``2026-01..2026-06``, then the filters.

    Ids, not names (names are data): ``2026-10:category=1,4:channel=visit``.
    """
    start, end = filters_ui.month_key(flt.start), filters_ui.month_key(flt.end)
    parts = [start if start == end else f"{start}..{end}"]
    for dimension in DIMENSIONS:
        values = getattr(flt, dimension.filter_field)
        if values:
            parts.append(f"{dimension.name}={','.join(str(v) for v in values)}")
    return ":".join(parts)


def table_download(frame: pl.DataFrame, *, what: str, file_stem: str, key: str) -> None:
    """A download button for ``frame`` as shown (its column names are the headers), if the user may.

    ``what`` names the table for the audit log (no personal data, no names
    from data: ids and the period); ``file_stem`` is the file's name.
    """
    if frame.is_empty() or not may_download():
        return
    user = gate.signed_in_user()
    # Read here, in the script run: the callable runs later on another thread, without the session.
    engine, client, headers, rows = data_access.engine(), gate.client_addr(), list(frame.columns), frame.rows()

    def workbook() -> bytes:
        return exports.table_download(engine, user, what=what, headers=headers, rows=rows, client_addr=client,
                                      sheet_name=file_stem[:31])

    st.download_button(
        t("download.xlsx"), data=workbook, file_name=f"{file_stem}.xlsx", mime=XLSX_MIME, key=key,
        on_click="ignore", icon=":material/download:", type="tertiary",
    )


def delivered(engine: Engine, username: str, client_addr: str | None, object_name: str,
              make: Callable[[], bytes]) -> Callable[[], bytes]:
    """A function that makes the file and records its download (Streamlit calls it when the browser asks).

    A file that cannot be made is recorded as a failed download and the error passes on.
    """

    def produce() -> bytes:
        try:
            data = make()
        except Exception:
            audit.record(engine, username=username, action="download", object=object_name, outcome="failure",
                         client_addr=client_addr)
            raise
        audit.record(engine, username=username, action="download", object=object_name, client_addr=client_addr)
        return data

    return produce


def chart_downloads(key: str, *, file_stem: str, describe: str, frame: pl.DataFrame,
                    headers: dict[str, str], figure: Callable[[], go.Figure]) -> None:
    """Two buttons under a chart: its data (Excel) and its picture (PNG); nothing for a role that may not export.

    ``file_stem`` names both files (ASCII, it goes into the audit log);
    ``describe`` is what else the audit entry says of them (the filter);
    ``frame`` is the chart's data with ``headers`` as column titles;
    ``figure`` builds the chart for the picture (called only on a click).
    """
    if not may_download():
        return
    user = gate.signed_in_user()
    engine, client_addr = data_access.engine(), gate.client_addr()

    def logged(name: str, make: Callable[[], bytes]) -> Callable[[], bytes]:
        return delivered(engine, user.username, client_addr, f"{name} {describe}".strip(), make)

    # A row of buttons as wide as their labels (columns would cut them off under a half-width chart).
    row = st.container(horizontal=True, gap="small")
    xlsx_name = f"{file_stem}.xlsx"
    row.download_button(
        t("download.chart_xlsx"), data=logged(xlsx_name, lambda: export.frame_xlsx(frame, sheet=file_stem[:31],
                                                                              headers=headers)),
        file_name=xlsx_name, mime=XLSX_MIME, key=f"w.download.{key}.xlsx", on_click="ignore",
        icon=":material/table_view:", help=t("download.help"),
    )
    png_name = f"{file_stem}.png"
    # A picture made for another view, language or data version is made again, not offered.
    signature = f"{png_name} {describe} {current_language()} {data_access.data_state().version}"
    slot = row.empty()  # the make-a-picture button, then its download button in its place
    made = st.session_state.get(PNG_STATE + key)
    if made is None or made[0] != signature:
        if not slot.button(t("download.png.make"), key=f"w.download.{key}.png.make", icon=":material/image:"):
            return
        with st.spinner(t("download.png.rendering")):
            try:
                fig = figure()
                png = export.figure_png(fig, width=PNG_WIDTH, height=max(PNG_HEIGHT, int(fig.layout.height or 0)))
            except export.ExportError as exc:
                st.error(t("download.png.failed", reason=str(exc)))
                return
        made = (signature, png)
        st.session_state[PNG_STATE + key] = made
    slot.download_button(
        t("download.png.get"), data=logged(png_name, lambda png=made[1]: png), file_name=png_name, mime="image/png",
        key=f"w.download.{key}.png", on_click="ignore", icon=":material/download:", type="primary",
        help=t("download.help"),
    )
