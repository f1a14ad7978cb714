"""Read a case export (.xlsx, .xls, .csv) into a table of strings with spreadsheet row numbers.

Exports carry a title line (and sometimes a blank line or a date range) above
the header, so the header row is found, not assumed: it is the row among the
first :data:`HEADER_SCAN_ROWS` that names the most known fields.

Cells are read as text (a date cell reads as ``2024-03-05 00:00:00``, a number
as ``45356``) and parsed later in :mod:`data.importing.values`, so every cell
keeps its original text for the quarantine record. Excel files are read with
fastexcel (Rust calamine: 200,000 rows in seconds; openpyxl takes a minute);
CSV with the standard ``csv`` module, which keeps blank lines and quoted line
breaks where a spreadsheet would show them, so row numbers stay the clerk's.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from data.importing.columns import ColumnMapping, header_score

HEADER_SCAN_ROWS = 30
MAX_FILE_BYTES = 100 * 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnreadableFile(ValueError):
    """The file cannot be read as a case table at all (one clear line)."""


@dataclass
class RawTable:
    """Every cell as text (None when empty), below the detected header row."""

    frame: pl.DataFrame  # columns named by the (made unique) headers, all Utf8
    headers: list[str]
    row_numbers: list[int]  # 1-based spreadsheet row of each frame row
    header_row: int  # 1-based
    file_format: str  # xlsx | xls | csv
    encoding: str | None = None
    sheet: str | None = None


def sniff_format(data: bytes, filename: str = "") -> str:
    """xlsx, xls or csv, judged by the content (the name only breaks a tie)."""
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile as exc:
            raise UnreadableFile("the file looks like a zip archive but is damaged") from exc
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
        raise UnreadableFile("the file is a zip archive but not an Excel workbook")
    if head == OLE2_MAGIC:
        return "xls"
    if b"\x00" in data[:4096]:
        raise UnreadableFile("the file is neither an Excel workbook nor a text (CSV) file")
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
    if stripped.startswith((b"<html", b"<!doctype", b"<table", b"<?xml")):
        raise UnreadableFile(
            "the file is a web page (HTML/XML) saved with a spreadsheet name: open it in Excel and save it as .xlsx"
        )
    return "csv"


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (with or without BOM), else GB18030 (a superset of GBK)."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError) as exc:
            raise UnreadableFile(f"the file does not decode as {encoding}") from exc
    for candidate, label in (("utf-8-sig", "UTF-8"), ("gb18030", "GBK")):
        try:
            return data.decode(candidate), label
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None:
        raise UnreadableFile("the file is not text in any known encoding (UTF-8 or GBK expected)")
    try:
        return data.decode(best.encoding), best.encoding
    except UnicodeDecodeError as exc:
        raise UnreadableFile("the file is not text in any known encoding (UTF-8 or GBK expected)") from exc


def _csv_rows(text: str) -> list[list[str]]:
    sample = text[:20_000]
    first_lines = [line for line in sample.splitlines()[:HEADER_SCAN_ROWS] if line.strip()]
    counts = {sep: sum(line.count(sep) for line in first_lines) for sep in (",", "\t", ";", "|")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _excel_grid(data: bytes, file_format: str, mapping: ColumnMapping) -> tuple[pl.DataFrame, str]:
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
        sheets = list(reader.sheet_names)
    except Exception as exc:
        if file_format == "xls":
            return _xls_grid_xlrd(data), ""
        raise UnreadableFile(f"the workbook cannot be read ({type(exc).__name__})") from exc
    best: tuple[int, pl.DataFrame, str] | None = None
    for name in sheets:
        try:
            # skip_rows=0 keeps leading blank rows, so frame index + 1 is the Excel row.
            sheet = reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0)
            grid = sheet.to_polars()
        except Exception:
            continue
        if grid.height == 0:
            continue
        score = max((header_score(list(r), mapping) for r in grid.head(HEADER_SCAN_ROWS).iter_rows()), default=0)
        if best is None or score > best[0]:
            best = (score, grid, name)
        if score >= 3:
            break
    if best is None:
        raise UnreadableFile("the workbook has no sheet with data")
    return best[1], best[2]


def _xls_grid_xlrd(data: bytes) -> pl.DataFrame:
    """Fallback for .xls files calamine refuses; dates become ISO text like calamine's."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:
        raise UnreadableFile(f"the .xls workbook cannot be read ({type(exc).__name__})") from exc
    sheet = book.sheet_by_index(0)
    rows: list[list[str | None]] = []
    for r in range(sheet.nrows):
        row: list[str | None] = []
        for c in range(sheet.ncols):
            cell = sheet.cell(r, c)
            if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                row.append(None)
            elif cell.ctype == xlrd.XL_CELL_DATE:
                row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode).isoformat(sep=" "))
            elif cell.ctype == xlrd.XL_CELL_NUMBER:
                v = cell.value
                row.append(str(int(v)) if float(v).is_integer() else repr(v))
            else:
                row.append(str(cell.value))
        rows.append(row)
    return _grid_from_rows(rows)


def _grid_from_rows(rows: list[list]) -> pl.DataFrame:
    width = max((len(r) for r in rows), default=0)
    columns = [[None] * len(rows) for _ in range(width)]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            columns[j][i] = value if value != "" else None
    return pl.DataFrame({f"c{j}": col for j, col in enumerate(columns)}, schema={f"c{j}": pl.Utf8 for j in range(width)})


def _unique_headers(cells: list[object]) -> list[str]:
    headers: list[str] = []
    seen: dict[str, int] = {}
    for j, cell in enumerate(cells):
        text = str(cell).strip() if cell is not None else ""
        text = " ".join(text.split()) or f"(第{j + 1}列)"
        if text in seen:
            seen[text] += 1
            text = f"{text} ({seen[text]})"
        else:
            seen[text] = 1
        headers.append(text)
    return headers


def read_table(
    source: str | Path | bytes,
    filename: str | None = None,
    *,
    mapping: ColumnMapping | None = None,
    encoding: str | None = None,
) -> RawTable:
    """Read a case export. Raises :class:`UnreadableFile` when it cannot be read at all."""
    mapping = mapping or ColumnMapping.default()
    if isinstance(source, bytes):
        data = source
        filename = filename or "upload"
    else:
        path = Path(source)
        filename = filename or path.name
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise UnreadableFile("the file is larger than 100 MB")
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise UnreadableFile(f"no such file: {path}") from exc
        except IsADirectoryError as exc:
            raise UnreadableFile(f"{path} is a folder, not a file") from exc
        except PermissionError as exc:
            raise UnreadableFile(f"no permission to read {path}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile("the file is larger than 100 MB")
    if not data.strip():
        raise UnreadableFile("the file is empty")
    file_format = sniff_format(data, filename)
    used_encoding = None
    sheet_name = None
    if file_format == "csv":
        text, used_encoding = decode_text(data, encoding)
        grid = _grid_from_rows(_csv_rows(text))
    else:
        grid, sheet_name = _excel_grid(data, file_format, mapping)
    if grid.height == 0 or grid.width == 0:
        raise UnreadableFile("the file holds no rows")

    scan = list(grid.head(HEADER_SCAN_ROWS).iter_rows())
    scores = [header_score(list(r), mapping) for r in scan]
    best = max(range(len(scan)), key=lambda i: (scores[i], -i))
    if scores[best] == 0:
        raise UnreadableFile(
            "no header row found: none of the first rows names a known column such as 信访件编号 or 登记日期 "
            "(use a mapping file for other column names)"
        )
    headers = _unique_headers(list(scan[best]))
    body = grid.slice(best + 1)
    body.columns = headers
    row_numbers = list(range(best + 2, best + 2 + body.height))
    return RawTable(
        frame=body,
        headers=headers,
        row_numbers=row_numbers,
        header_row=best + 1,
        file_format=file_format,
        encoding=used_encoding,
        sheet=sheet_name,
    )
