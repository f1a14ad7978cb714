"""Reading back a workbook the app hands out: its values (fastexcel) and how each cell is stored (the XML).

A cell is inert when it is stored as a string (``t="s"``), has no formula
(``<f>``) and, if its text looks like a formula, carries Excel's quote prefix.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile

import fastexcel

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def read_rows(data: bytes) -> list[dict]:
    """The first sheet's rows as dicts keyed by the header row, every value as a string."""
    return fastexcel.read_excel(data).load_sheet(0, dtypes="string").to_polars().to_dicts()


def stored_cells(data: bytes) -> dict[str, dict]:
    """Cell reference (``A2``) -> {"type": t attribute, "formula": bool, "quote_prefix": bool, "text": str}."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet = ET.fromstring(zf.read("xl/worksheets/sheet1.xml"))
        styles = ET.fromstring(zf.read("xl/styles.xml"))
        strings = ET.fromstring(zf.read("xl/sharedStrings.xml")) if "xl/sharedStrings.xml" in zf.namelist() else None
    shared = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in strings] if strings is not None else []
    quoted = [xf.get("quotePrefix") == "1" for xf in styles.find("m:cellXfs", NS)]
    cells = {}
    for c in sheet.iter(f"{{{NS['m']}}}c"):
        value = c.find("m:v", NS)
        kind = c.get("t")
        text = shared[int(value.text)] if kind == "s" and value is not None else (value.text if value is not None else None)
        cells[c.get("r")] = {"type": kind, "formula": c.find("m:f", NS) is not None,
                             "quote_prefix": quoted[int(c.get("s", "0"))], "text": text}
    return cells


def formula_cells(data: bytes) -> list[str]:
    """References of cells holding a formula (there must be none)."""
    return [ref for ref, cell in stored_cells(data).items() if cell["formula"]]


def cells_holding(data: bytes, text: str) -> list[dict]:
    """The stored cells whose text is ``text``."""
    return [cell for cell in stored_cells(data).values() if cell["text"] == text]


def cell_holding(data: bytes, text: str) -> dict:
    """The one stored cell whose text is ``text``."""
    found = cells_holding(data, text)
    assert len(found) == 1, (text, found)
    return found[0]


def column_of(ref: str) -> str:
    return re.match(r"[A-Z]+", ref).group(0)
