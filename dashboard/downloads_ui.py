"""A chart's downloads: its data as Excel and its picture as PNG, each download written to the audit log.

Offered only to a role that may export (``access.can(role, "export")``) and
never in projection mode. Both files are made when they are asked for, not on
every rerun: the workbook when the browser fetches it (Streamlit's deferred
download: ``data`` is a function), the PNG when the user clicks "make a
picture" (Kaleido starts Chromium: seconds, under a spinner), after which its
download button appears. The audit entry (action "download", object = the
file's name and the filter) is written by that same function, when the file
is actually produced for the browser, so a download that happens is recorded
and a button that is merely drawn is not.
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
from services import access
from text.i18n import current_language, t

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Session state of the pictures made (namespaced "download."): chart key -> (signature, PNG bytes).
PNG_STATE = "download.png."
PNG_WIDTH, PNG_HEIGHT = 1600, 900


def may_download() -> bool:
    """A signed-in role with the export action, not on the wall screen."""
    user = gate.signed_in_user()
    return (
        user is not None
        and user.role != "projection"
        and not filters_ui.projection_mode()
        and access.can(user.role, "export")
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
        t("download.xlsx"), data=logged(xlsx_name, lambda: export.frame_xlsx(frame, sheet=file_stem[:31],
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
