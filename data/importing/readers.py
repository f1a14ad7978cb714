"""Read a case export (.xlsx, .xls, .csv) into a table of strings with spreadsheet row numbers.

Exports carry a title line (and sometimes a blank line or a date range) above
the header, so the header row is found, not assumed: it is the row among the
first :data:`HEADER_SCAN_ROWS` that names the most known fields.

Cells are read as text (a date cell reads as ``2024-03-05 00:00:00``, a number
as ``45356``) and parsed later in :mod:`data.importing.values`, so every cell
keeps its original text for the quarantine record. ``.xlsx`` workbooks are
read block by block by :mod:`data.importing.xlsx_stream` (bounded memory;
calamine loads a whole sheet at once), ``.xls`` (at most 65,536 rows by
format) with fastexcel and xlrd; CSV with the standard ``csv`` module, which
keeps blank lines and quoted line breaks where a spreadsheet would show them,
so row numbers stay the clerk's.

Every limit of :class:`~data.importing.limits.UploadLimits` is checked before
the part it guards is parsed (issue 15); an untrusted file is read in a child
process by :func:`data.importing.isolation.read_case_file`, not here directly.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from data.importing.columns import ColumnMapping, header_score
from data.importing.limits import (
    DEFAULT_LIMITS,
    UploadLimits,
    UploadTooLarge,
    check_zip_directory,
    megabytes,
    number,
)

HEADER_SCAN_ROWS = 30
CSV_CHUNK_ROWS = 50_000
MAX_FILE_BYTES = DEFAULT_LIMITS.max_file_bytes
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnreadableFile(ValueError):
    """The file cannot be read as a case table at all (one clear line)."""


def too_large(message: str) -> UnreadableFile:
    """An :class:`UnreadableFile` for a file over a limit (the message names limit, value and remedy)."""
    return UnreadableFile(message)


@dataclass
class RawTable:
    """Every cell as text (None when empty), below the detected header row."""

    frame: pl.DataFrame  # columns named by the (made unique) headers, all Utf8
    headers: list[str]
    row_numbers: Sequence[int]  # 1-based spreadsheet row of each frame row (a list, or a range)
    header_row: int  # 1-based
    file_format: str  # xlsx | xls | csv
    encoding: str | None = None
    sheet: str | None = None


def sniff_format(data: bytes | Path, filename: str = "", limits: UploadLimits = DEFAULT_LIMITS) -> str:
    """xlsx, xls or csv, judged by the content (the name only breaks a tie).

    ``data`` is the file's bytes, or the path of a zip archive (a workbook is then
    never read into memory whole).
    """
    head = data[:8] if isinstance(data, bytes) else b"PK\x03\x04"
    if head.startswith(b"PK\x03\x04"):
        archive = io.BytesIO(data) if isinstance(data, bytes) else data
        try:
            # The central directory is checked before any name is listed or anything unpacked.
            check_zip_directory(archive, limits)
            with zipfile.ZipFile(archive) as zf:
                names = set(zf.namelist())
        except UploadTooLarge as exc:
            raise too_large(str(exc)) from exc
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


def _csv_delimiter(text: str) -> str:
    sample = text[:20_000]
    first_lines = [line for line in sample.splitlines()[:HEADER_SCAN_ROWS] if line.strip()]
    counts = {sep: sum(line.count(sep) for line in first_lines) for sep in (",", "\t", ";", "|")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _csv_grid(text: str, limits: UploadLimits) -> pl.DataFrame:
    """The CSV as text columns, read in chunks of rows; each limit checked as the rows come."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(text))
    chunks: list[pl.DataFrame] = []
    rows: list[list[str]] = []
    count = 0
    try:
        for row in reader:
            count += 1
            if count > limits.max_rows:
                raise too_large(
                    f"文件超过 {number(limits.max_rows)} 行：请分成几个文件"
                    f" / the file has more than {number(limits.max_rows)} rows: split it into several files"
                )
            if len(row) > limits.max_columns:
                raise too_large(
                    f"第 {number(count)} 行有 {number(len(row))} 列，超出上限（最多 {number(limits.max_columns)} 列）："
                    "请删除多余的列或分成几个文件"
                    f" / row {number(count)} has {number(len(row))} columns, beyond the limit "
                    f"({number(limits.max_columns)}): delete the extra columns or split the file"
                )
            longest = max((len(v) for v in row), default=0)
            if longest > limits.max_cell_chars:
                raise _field_too_long(count, number(longest), limits)
            rows.append(row)
            if len(rows) == CSV_CHUNK_ROWS:
                chunks.append(_grid_from_rows(rows))
                rows = []
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            # The csv module's own cap (131,072 characters) is above ours: the same message.
            raise _field_too_long(count + 1, f"超过 {number(csv.field_size_limit())}", limits,
                                  f"more than {number(csv.field_size_limit())}") from exc
        raise UnreadableFile(f"the text is not a well-formed CSV file near row {number(count + 1)}") from exc
    if rows or not chunks:
        chunks.append(_grid_from_rows(rows))
    return pl.concat(chunks, how="diagonal") if len(chunks) > 1 else chunks[0]


def _field_too_long(row: int, found: str, limits: UploadLimits, found_en: str | None = None) -> UnreadableFile:
    return too_large(
        f"第 {number(row)} 行有一个单元格长 {found} 个字符，超出上限（最多 {number(limits.max_cell_chars)} 个字符）："
        "请缩短该单元格或检查文件是否为正确的导出文件"
        f" / row {number(row)} has a cell of {found_en or found} characters, beyond the limit "
        f"({number(limits.max_cell_chars)}): shorten it or check that the file is the right export"
    )


def _xlsx_grid(data: bytes | Path, mapping: ColumnMapping, limits: UploadLimits,
               ) -> tuple[pl.DataFrame, list[int], str]:
    from data.importing import xlsx_stream as X

    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as zf:
            book = X.Workbook.open(zf, limits)
            book.check_dimensions()
            best: tuple[int, str, str] | None = None
            for name, path in book.sheets:
                head, _ = X.read_sheet(book, path, head=HEADER_SCAN_ROWS)
                if head.height == 0:
                    continue
                score = max((header_score(list(r), mapping) for r in head.head(HEADER_SCAN_ROWS).iter_rows()),
                            default=0)
                if best is None or score > best[0]:
                    best = (score, name, path)
                if score >= 3:
                    break
            if best is None:
                raise UnreadableFile("the workbook has no sheet with data")
            grid, row_numbers = X.read_sheet(book, best[2])
            return grid, row_numbers, best[1]
    except X.SheetTooLarge as exc:
        raise too_large(str(exc)) from exc
    except X.SheetProblem as exc:
        raise UnreadableFile(str(exc)) from exc
    except (zipfile.BadZipFile, KeyError, EOFError, OSError) as exc:
        raise UnreadableFile(f"the workbook is damaged ({type(exc).__name__})") from exc


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
    limits: UploadLimits = DEFAULT_LIMITS,
) -> RawTable:
    """Read a case export. Raises :class:`UnreadableFile` when it cannot be read at all.

    This parses in the calling process: for a file from outside, call
    :func:`data.importing.isolation.read_case_file`, which runs this in a
    child process with memory and time limits.
    """
    mapping = mapping or ColumnMapping.default()
    if isinstance(source, bytes):
        data = source
        filename = filename or "upload"
    else:
        path = Path(source)
        filename = filename or path.name
        try:
            if path.stat().st_size > limits.max_file_bytes:
                raise _file_too_large(path.stat().st_size, limits)
            with open(path, "rb") as fh:
                head = fh.read(4)
            # A workbook is read from the file itself, block by block: its bytes are never
            # all in memory (a million-row export is ~130 MB).
            data = path if head == b"PK\x03\x04" else path.read_bytes()
        except FileNotFoundError as exc:
            raise UnreadableFile(f"no such file: {path}") from exc
        except IsADirectoryError as exc:
            raise UnreadableFile(f"{path} is a folder, not a file") from exc
        except PermissionError as exc:
            raise UnreadableFile(f"no permission to read {path}") from exc
    if isinstance(data, bytes):
        if len(data) > limits.max_file_bytes:
            raise _file_too_large(len(data), limits)
        if not data.strip():
            raise UnreadableFile("the file is empty")
    file_format = sniff_format(data, filename, limits)
    used_encoding = None
    sheet_name = None
    if file_format == "csv":
        text, used_encoding = decode_text(data, encoding)
        del data
        grid = _csv_grid(text, limits)
        del text
        row_numbers = list(range(1, grid.height + 1))
    elif file_format == "xlsx":
        grid, row_numbers, sheet_name = _xlsx_grid(data, mapping, limits)
    else:
        grid, sheet_name = _excel_grid(data, file_format, mapping)
        if grid.width > limits.max_columns:
            raise too_large(
                f"工作表有 {number(grid.width)} 列，超出上限（最多 {number(limits.max_columns)} 列）：请删除多余的列"
                f" / the sheet has {number(grid.width)} columns, beyond the limit ({number(limits.max_columns)}): "
                "delete the extra columns"
            )
        row_numbers = list(range(1, grid.height + 1))
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
    return RawTable(
        frame=body,
        headers=headers,
        row_numbers=row_numbers[best + 1:],
        header_row=row_numbers[best],
        file_format=file_format,
        encoding=used_encoding,
        sheet=sheet_name,
    )


def _file_too_large(size: int, limits: UploadLimits) -> UnreadableFile:
    return too_large(
        f"文件大小 {megabytes(size)} 超出上限（最多 {megabytes(limits.max_file_bytes)}）：请分成几个文件"
        f" / the file is {megabytes(size)}, beyond the limit ({megabytes(limits.max_file_bytes)}): "
        "split it into several files"
    )


# --- in a child process (issue 15) ------------------------------------------

REFUSALS = ("data.importing.readers:UnreadableFile",)
CATEGORICAL_FROM_ROWS = 10_000


def read_case_file(
    source: str | Path | bytes,
    filename: str | None = None,
    *,
    mapping: ColumnMapping | None = None,
    encoding: str | None = None,
    limits: UploadLimits = DEFAULT_LIMITS,
) -> RawTable:
    """:func:`read_table` run in a child process with the memory and time limits of ``limits``.

    What the upload page and ``cases import`` both use: a crash, a runaway
    allocation or a hang of the reader becomes an :class:`UnreadableFile` with
    one line naming the file, and the calling process carries on.
    """
    from data.importing.isolation import run_isolated

    mapping = mapping or ColumnMapping.default()
    if isinstance(source, bytes):
        shown = filename or "upload"
        if len(source) > limits.max_file_bytes:
            raise _file_too_large(len(source), limits)
    else:
        path = Path(source)
        shown = filename or path.name
        if not path.exists():
            raise UnreadableFile(f"no such file: {path}")
        if path.is_dir():
            raise UnreadableFile(f"{path} is a folder, not a file")
        if path.stat().st_size > limits.max_file_bytes:
            raise _file_too_large(path.stat().st_size, limits)
    kwargs = {"filename": shown, "mapping": mapping, "encoding": encoding, "limits": limits}
    with run_isolated("data.importing.readers:child_read_table", source, shown, kwargs, limits=limits,
                      refusals=REFUSALS, error=UnreadableFile) as (meta, work):
        frame = pl.read_ipc(work / "table.arrow")
    rows = frame["__row__"]
    # A contiguous block of rows (the usual export) is kept as a range: 36 MB less at a million rows.
    contiguous = rows.len() > 0 and int(rows[-1]) - int(rows[0]) + 1 == rows.len() and bool(rows.is_sorted())
    row_numbers = range(int(rows[0]), int(rows[-1]) + 1) if contiguous else rows.to_list()
    frame = frame.drop("__row__")
    del rows
    return RawTable(frame=frame, headers=list(frame.columns), row_numbers=row_numbers,
                    header_row=meta["header_row"], file_format=meta["file_format"], encoding=meta["encoding"],
                    sheet=meta["sheet"])


def child_read_table(input_path: Path, work: Path, *, filename, mapping, encoding, limits) -> dict:
    """In the child: read, then hand the table over as Arrow IPC (never pickled)."""
    table = read_table(input_path, filename, mapping=mapping, encoding=encoding, limits=limits)
    frame = table.frame.with_columns(pl.Series("__row__", table.row_numbers, dtype=pl.Int64))
    del table.frame
    if frame.height >= CATEGORICAL_FROM_ROWS:
        # A column of few distinct values (channel, township, dates, yes/no …) crosses as
        # Categorical: 4 bytes a cell instead of a 16-byte string view plus its text, which
        # is a third of a million-row table in the server process.
        for c in frame.columns:
            if c != "__row__" and frame[c].n_unique() <= frame.height // 4:
                frame = frame.with_columns(frame[c].cast(pl.Categorical))  # one at a time: one copy at most
    frame.write_ipc(work / "table.arrow", compression="zstd")  # the parent reads it compact, not mapped
    return {"header_row": table.header_row, "file_format": table.file_format, "encoding": table.encoding,
            "sheet": table.sheet}
