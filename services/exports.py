"""Downloads: every file the app hands out is made here, for a permitted role, and audited.

A page never hands out bytes it made itself. It passes a function of this
module to ``st.download_button(data=...)`` as a callable, which Streamlit runs
only when the user asks for the file: so each file that leaves the server
has exactly one audit entry ("download", the object named without personal
data: what, whose view, which period), written before the bytes are returned.
If the entry cannot be written, no file is handed out.

st.dataframe's own "Download as CSV" cannot be audited and would write
``=HYPERLINK(…)`` into a CSV as it stands; it is switched off for the whole
app (``client.disableDataExport`` in .streamlit/config.toml).

Nothing here imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Engine

from data import audit
from data.spreadsheet import table_workbook
from services import access


def _permitted(user, projection: bool) -> bool:
    role = getattr(user, "role", None)
    return role != "projection" and not projection and access.can(role, "export")


def table_download(
    engine: Engine,
    user,
    *,
    what: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    client_addr: str | None,
    sheet_name: str = "Sheet1",
    projection: bool = False,
) -> bytes:
    """An .xlsx of ``rows`` under ``headers`` (every string inert), audited as a download of ``what``.

    ``user`` has ``username`` and ``role`` (auth.UserInfo); ``what`` names
    the table, never a person (e.g. ``map.overdue:township=3:2026-10``).
    A role without ``export``, or projection mode, gets
    :class:`access.AccessDenied`, and the refusal is audited too.
    """
    username = getattr(user, "username", None)
    if not _permitted(user, projection):
        audit.record(engine, username=username, action="download", object=what, outcome="denied",
                     client_addr=client_addr)
        raise access.AccessDenied("this role may not download tables")
    workbook = table_workbook(headers, rows, sheet_name)
    audit.record(engine, username=username, action="download", object=what, client_addr=client_addr)
    return workbook


def stored_file_download(engine: Engine, user, *, what: str, data: bytes, client_addr: str | None) -> bytes:
    """Hand out a file the app already made for this user (the import's error workbook), audited.

    The error workbook holds the uploader's own rows, masked; it goes to
    whoever may import, and each copy is recorded.
    """
    username = getattr(user, "username", None)
    if not access.can(getattr(user, "role", None), "import"):
        audit.record(engine, username=username, action="download", object=what, outcome="denied",
                     client_addr=client_addr)
        raise access.AccessDenied("this role may not download import errors")
    audit.record(engine, username=username, action="download", object=what, client_addr=client_addr)
    return data
