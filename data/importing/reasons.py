"""Why a row was quarantined, in words a clerk understands, and the error workbook.

The texts are the ``reason.*`` entries of the one translation table
(text/i18n.py), zh first, en second.

The reason stored in ``quarantined_rows.reason`` is the Chinese text: the
office reads it in the database and in the downloaded workbook. Reason texts
name the column and the offending value, but never a petitioner's name, ID
number or phone. The workbook masks those columns (data.masking) and writes
every cell as text (data/spreadsheet.py), so that a cell reading ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

import io
import json

from sqlalchemy import select

from data.importing.columns import PERSONAL_FIELDS
from data.masking import mask_address, mask_id_number, mask_name, mask_phone
from data.models import QuarantinedRow
from data.spreadsheet import WORKBOOK_OPTIONS, CellWriter
from text.i18n import translate


def reason_text(key: str, lang: str = "zh", **params) -> str:
    """The reason ``key`` in ``lang`` ("zh" or "en"), its placeholders filled."""
    template = translate(f"reason.{key}", lang)
    params = dict(params)
    if "known" in params:
        params["hint"] = place_hint(params.pop("suggestions", []) or [], params.pop("known"), lang)
    if isinstance(params.get("rows"), list | tuple):
        params["rows"] = ("、" if lang == "zh" else ", ").join(str(r) for r in params["rows"])
    values = {"column": "", "value": "", "other": "", "rows": "", "hint": ""} | {
        k: ("" if v is None else str(v)) for k, v in params.items()
    }
    return template.format(**values)[:256]


def place_hint(suggestions: list[str], known: int, lang: str = "zh") -> str:
    if known == 0:
        return translate("reason.hint.empty", lang)
    if suggestions:
        sep = "、" if lang == "zh" else ", "
        return translate("reason.hint.suggest", lang, names=sep.join(suggestions))
    return ""


def _prefix(key: str) -> str:
    return translate(f"reason.{key}", "zh").split("{", 1)[0]


def unknown_township_values(conn) -> list[str]:
    """Township names that quarantined rows could not match (distinct, as the files wrote them)."""
    rows = conn.execute(
        select(QuarantinedRow.column, QuarantinedRow.raw).where(
            QuarantinedRow.reason.like(_prefix("unknown_township") + "%")
        )
    ).all()
    names: set[str] = set()
    for column, raw in rows:
        try:
            cells = json.loads(raw)
            fields = cells.get(FIELDS_KEY) or {}
            if fields and fields.get(column) != "township":
                continue
            value = cells.get(column)
        except (ValueError, AttributeError):
            continue
        if value and str(value).strip():
            names.add(" ".join(str(value).split()))
    return sorted(names)


# In quarantined_rows.raw, beside the original cells: which field each mapped header was read as.
FIELDS_KEY = "__fields__"

MASKERS = {
    "petitioner_name": mask_name,
    "id_number": mask_id_number,
    "phone": mask_phone,
    "address": mask_address,
}
assert set(MASKERS) == set(PERSONAL_FIELDS)


def masked_raw(raw: dict[str, object], personal_headers: dict[str, str]) -> dict[str, object]:
    """``raw`` with the cells of personal columns masked (``personal_headers``: header → field key)."""
    out = {}
    for header, value in raw.items():
        field = personal_headers.get(header)
        out[header] = MASKERS[field](value) if field else value
    return out


def error_workbook(
    rows: list[dict],
    headers: list[str],
    personal_headers: dict[str, str],
    lang: str = "zh",
) -> bytes:
    """The downloadable .xlsx of quarantined rows: row number, column, reason, then the masked cells.

    ``rows`` items have row_number, column, reason and raw (a dict, or its JSON text).
    """
    import xlsxwriter

    labels = {"zh": ("行号", "列", "原因"), "en": ("Row", "Column", "Reason")}[lang]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    cells = CellWriter(book)
    sheet = book.add_worksheet("quarantine" if lang == "en" else "未导入的行")
    for j, label in enumerate([*labels, *headers]):
        cells.text(sheet, 0, j, label, bold=True)
    for i, row in enumerate(rows, start=1):
        raw = row["raw"]
        if isinstance(raw, str):
            raw = json.loads(raw)
        raw = {k: v for k, v in raw.items() if k != FIELDS_KEY}
        raw = masked_raw(raw, personal_headers)
        sheet.write_number(i, 0, int(row["row_number"]))
        cells.text(sheet, i, 1, row.get("column") or "")
        cells.text(sheet, i, 2, row["reason"])
        for j, header in enumerate(headers, start=3):
            value = raw.get(header)
            if value is not None:
                # Every cell as text, as the file had it: "=HYPERLINK(…)" stays text (data/spreadsheet.py).
                cells.text(sheet, i, j, value)
    sheet.freeze_panes(1, 0)
    sheet.set_column(2, 2, 48)
    book.close()
    return buffer.getvalue()


def batch_error_workbook(engine, batch_id: int, lang: str = "zh") -> bytes:
    """The error workbook of a stored batch, rebuilt from quarantined_rows (headers from the raw JSON)."""
    from data.importing.columns import ColumnMapping

    with engine.connect() as conn:
        rows = conn.execute(
            select(QuarantinedRow.row_number, QuarantinedRow.column, QuarantinedRow.reason, QuarantinedRow.raw)
            .where(QuarantinedRow.import_batch_id == batch_id)
            .order_by(QuarantinedRow.row_number)
        ).mappings().all()
    headers: list[str] = []
    personal: dict[str, str] = {}
    mapping = ColumnMapping.default()
    decoded = []
    for row in rows:
        raw = json.loads(row["raw"])
        fields = raw.pop(FIELDS_KEY, {}) or {}
        for header in raw:
            if header not in headers:
                headers.append(header)
            # The import's own column mapping wins; the defaults catch older rows.
            key = fields.get(header) or mapping.field_for(header)
            if key in PERSONAL_FIELDS:
                personal[header] = key
        decoded.append({**dict(row), "raw": raw})
    return error_workbook(decoded, headers, personal, lang)
