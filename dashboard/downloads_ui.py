"""The app's own download buttons: an Excel file, made only when asked for, and audited.

st.dataframe's built-in "Download as CSV" is switched off for the whole app
(``client.disableDataExport``): it cannot be audited and it writes
``=HYPERLINK(…)`` into a CSV as it stands. A table a role may export gets
:func:`table_download` under it instead. The button's data is a callable
(services.exports): Streamlit runs it only when the user clicks, on a thread of
its own, so each file handed out has its audit entry, and a page run makes no
file nobody asked for.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import data_access, filters_ui, gate
from data.spreadsheet import XLSX_MIME
from queries.filters import DIMENSIONS, CaseFilter
from services import access, exports
from text.i18n import t


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
