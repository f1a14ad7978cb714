"""Import one case export: every row stored, collapsed as a duplicate, or quarantined with a reason.

The rules (issue 3):

- A row is **quarantined** (kept in ``quarantined_rows`` with its original
  cells, its spreadsheet row number, the column and a reason) when it has no
  case number, a date that cannot be read or is impossible, a date in the
  future, a conclusion before receipt, an unknown township, park or channel,
  a value that is not one of the allowed words, or when its case number
  appears again in the file with different contents (then every such row is
  quarantined: the file does not say which one is right).
- A row identical to an earlier row of the file (after normalising width and
  spaces) is a **duplicate** and collapses into it.
- Every other row is **stored**: inserted when its case number is new,
  updated when the stored case differs, or left **unchanged**. A later
  monthly export thus brings new dates, outcomes and ratings, and the same
  file imported twice changes nothing. A column the file does not have is
  left alone, and an empty cell never erases a stored value.
- An ID number failing the GB 11643 checksum or an implausible phone number
  does not stop the case: it is stored and the petitioner row is flagged.
- Categories, responsible units and owner leaders are open lists: unknown
  ones are created and named in the summary.

Everything happens in one transaction: an import that fails half-way leaves
the database as it was. Personal data goes only to ``petitioners``; nothing
here logs a cell value.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, Date, DateTime, bindparam, insert, select, update

from config.clock import LOCAL_TZ
from data.importing import values as V
from data.importing.columns import (
    DATE_FIELDS,
    DEFAULT_HEADERS,
    PERSONAL_FIELDS,
    ColumnMapping,
    ResolvedColumns,
    resolve_columns,
)
from data.importing.limits import DEFAULT_LIMITS, UploadLimits
from data.importing.places import PlaceMatcher
from data.importing.readers import RawTable, UnreadableFile, read_case_file
from data.importing.reasons import FIELDS_KEY, reason_text
from data.masking import mask_address, mask_id_number, mask_name, mask_phone
from data.models import Case, Category, ImportBatch, Leader, Park, Petitioner, QuarantinedRow, Township, Unit

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
CHUNK = 5000

# Case columns a file can set, with the value used on insert when the file has no such column.
CASE_FIELDS: dict[str, object] = {
    "received_on": None,
    "accepted_on": None,
    "first_meeting_on": None,
    "feedback_on": None,
    "concluded_on": None,
    "channel": None,
    "is_first_time": False,
    "is_repeat": False,
    "township_id": None,
    "park_id": None,
    "category_id": None,
    "unit_id": None,
    "owner_leader_id": None,
    "headcount": 1,
    "extension_granted": False,
    "outcome": None,
    "satisfaction_office": None,
    "satisfaction_unit": None,
    "summary": None,
}
# The source field each case column comes from (when it differs from the column's name).
SOURCE_FIELD = {"township_id": "township", "park_id": "park", "category_id": "category", "unit_id": "unit",
                "owner_leader_id": "owner_leader"}
PETITIONER_FIELDS = {"petitioner_name": "name", "id_number": "id_number", "phone": "phone", "address": "address"}
# Database column lengths: a longer value would fail the whole transaction on PostgreSQL.
MAX_LENGTHS = {"case_number": 64, "category": 64, "unit": 64, "owner_leader": 32, "petitioner_name": 64,
               "id_number": 32, "phone": 32, "address": 256, "township": 64, "park": 64}
COUNT_KEYS = ("rows", "imported", "updated", "unchanged", "duplicates", "quarantined", "flagged")


@dataclass
class QuarantineEntry:
    row_number: int
    column: str | None  # the source header
    key: str
    params: dict
    raw: dict  # original cells, header → text

    def reason(self, lang: str = "zh") -> str:
        return reason_text(self.key, lang, **self.params)


@dataclass
class ImportSummary:
    rows: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    quarantined: int = 0
    flagged: int = 0
    batch_id: int | None = None
    filename: str = ""
    headers: list[str] = field(default_factory=list)
    columns: ResolvedColumns | None = None
    quarantine: list[QuarantineEntry] = field(default_factory=list)
    created_categories: list[str] = field(default_factory=list)
    created_units: list[str] = field(default_factory=list)
    created_leaders: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The cases inserted or updated (a petitioner's change included), for the write path's derived tables.
    changed_case_ids: set[int] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        """Whether the import stored anything new (else the data version stays as it was)."""
        return bool(self.imported or self.updated or self.created_categories or self.created_units
                    or self.created_leaders)

    def counts(self) -> dict[str, int]:
        """Exactly the keys of ``cases import --format json``."""
        return {k: int(getattr(self, k)) for k in COUNT_KEYS}

    @property
    def personal_headers(self) -> dict[str, str]:
        if self.columns is None:
            return {}
        return {h: k for k, h in self.columns.by_field.items() if k in PERSONAL_FIELDS}

    def quarantine_records(self, lang: str = "zh") -> list[dict]:
        """Quarantined rows for display, personal columns masked."""
        from data.importing.reasons import masked_raw

        personal = self.personal_headers
        return [
            {"row_number": q.row_number, "column": q.column, "reason": q.reason(lang),
             "raw": masked_raw(q.raw, personal)}
            for q in self.quarantine
        ]

    def error_workbook(self, lang: str = "zh") -> bytes:
        from data.importing.reasons import error_workbook

        rows = [{"row_number": q.row_number, "column": q.column, "reason": q.reason(lang), "raw": q.raw}
                for q in self.quarantine]
        return error_workbook(rows, self.headers, self.personal_headers, lang)


@dataclass
class Preview:
    table: RawTable
    columns: ResolvedColumns
    sample: pl.DataFrame  # first rows, personal columns masked


def load(source: str | Path | bytes, filename: str | None = None, *, mapping: ColumnMapping | None = None,
         encoding: str | None = None, limits: UploadLimits = DEFAULT_LIMITS) -> tuple[RawTable, ResolvedColumns]:
    """Read a file and match its headers; raises :class:`UnreadableFile` if no import can start.

    The file is parsed in a child process within ``limits`` (issue 15): a
    reader that crashes or runs away costs one line, not the server.
    """
    mapping = mapping or ColumnMapping.default()
    table = read_case_file(source, filename, mapping=mapping, encoding=encoding, limits=limits)
    columns = resolve_columns(table.headers, mapping)
    if columns.missing_required:
        names = "、".join(DEFAULT_HEADERS[k] for k in columns.missing_required)
        raise UnreadableFile(
            f"the header row (row {table.header_row}) has no column for {names}: "
            "rename the column or map it in a mapping file (--mapping)"
        )
    return table, columns


def preview(source, filename=None, *, mapping=None, encoding=None, rows: int = 20,
            limits: UploadLimits = DEFAULT_LIMITS) -> Preview:
    """What the import would read: the column matching and the first rows (personal data masked)."""
    table, columns = load(source, filename, mapping=mapping, encoding=encoding, limits=limits)
    sample = table.frame.head(rows).cast(pl.Utf8)
    maskers = {"petitioner_name": mask_name, "id_number": mask_id_number, "phone": mask_phone,
               "address": mask_address}
    for key, header in columns.by_field.items():
        if key in maskers:
            sample = sample.with_columns(
                pl.col(header).map_elements(maskers[key], return_dtype=pl.Utf8, skip_nulls=True)
            )
    return Preview(table, columns, sample.insert_column(0, pl.Series("行号", table.row_numbers[: sample.height])))


# ---------------------------------------------------------------------------


def _execute_chunk(conn, statement, rows: list[dict]) -> None:
    """One bulk write; a separate function so a test can inject a failure half-way.

    ``statement`` is a model class (a bulk insert) or an executable statement.
    """
    if isinstance(statement, type):
        _bulk_insert(conn, statement.__table__, rows)
    else:
        conn.execute(statement, rows)


def _sqlite_column(values: list, column_type) -> list:
    # The text SQLAlchemy's SQLite Date/DateTime types store and read back.
    if isinstance(column_type, DateTime):
        return [v.strftime("%Y-%m-%d %H:%M:%S.%f") if v is not None else None for v in values]
    if isinstance(column_type, Date):
        return [v.isoformat() if v is not None else None for v in values]
    return values


def _bulk_insert(conn, table, rows: list[dict]) -> None:
    """Insert many rows through the driver: 5–10× faster than SQLAlchemy's executemany here.

    SQLite: one ``executemany`` of plain tuples; PostgreSQL (psycopg 3): ``COPY``.
    Both run on the connection of the open transaction, so a failure still
    rolls everything back. Column and table names come from the models.
    """
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    dialect = conn.dialect.name
    if dialect == "sqlite":
        marks = ", ".join("?" * len(columns))
        sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'  # noqa: S608 (names from the models)
        data = zip(*(_sqlite_column([r[c] for r in rows], table.c[c].type) for c in columns), strict=True)
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.executemany(sql, data)
        finally:
            cursor.close()
    elif dialect == "postgresql" and conn.dialect.driver == "psycopg":
        with conn.connection.driver_connection.cursor() as cursor:
            with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for r in rows:
                    copy.write_row(tuple(r[c] for c in columns))
    else:
        conn.execute(insert(table), rows)


def _today(today: date | None) -> date:
    return today or datetime.now(LOCAL_TZ).date()


def _blank_rows(frame: pl.DataFrame) -> pl.Series:
    if frame.width == 0:
        return pl.Series([True] * frame.height)
    # Column by column: all of them as text at once is a second copy of the file (issue 15).
    filled = pl.Series([False] * frame.height)
    for c in frame.columns:
        filled = filled | (frame[c].cast(pl.Utf8).str.strip_chars().str.len_chars().fill_null(0) > 0)
    return ~filled


class _Errors:
    """First problem per row wins; each problem names a field and carries message parameters."""

    def __init__(self, n: int):
        self.key = pl.Series("key", [None] * n, dtype=pl.Utf8)
        self.field = pl.Series("field", [None] * n, dtype=pl.Utf8)
        self.value = pl.Series("value", [None] * n, dtype=pl.Utf8)
        self.other = pl.Series("other", [None] * n, dtype=pl.Utf8)

    def add(self, mask: pl.Series, key: str, field_key: str | None, value: pl.Series | None = None,
            other: pl.Series | None = None) -> None:
        m = (mask.fill_null(False) & self.key.is_null()).alias("m")
        if not m.any():
            return
        self.key = self.key.set(m, key)
        if field_key is not None:
            self.field = self.field.set(m, field_key)
        if value is not None:
            self.value = self.value.zip_with(~m, value.cast(pl.Utf8))
        if other is not None:
            self.other = self.other.zip_with(~m, other.cast(pl.Utf8))


def _name_key(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


def _get_or_create(conn, model, names: list[str], extra: Callable[[str], dict]) -> tuple[dict[str, int], list[str]]:
    """Ids by name for an open list (categories, units, leaders), creating the unknown ones."""
    wanted = sorted({n for n in names if n})
    if not wanted:
        return {}, []
    existing = {_name_key(r.name): r.id for r in conn.execute(select(model.id, model.name))}
    created = [n for n in wanted if n not in existing]
    if created:
        conn.execute(insert(model), [{"name": n, **extra(n)} for n in created])
        existing = {_name_key(r.name): r.id for r in conn.execute(select(model.id, model.name))}
    return {n: existing[n] for n in wanted}, created


def _category_extra(conn):
    used = set(conn.execute(select(Category.code)).scalars())

    def extra(name: str) -> dict:
        code = name if len(name) <= 32 and name not in used else "c-" + hashlib.sha1(name.encode()).hexdigest()[:12]
        used.add(code)
        # 纪检监察: complaints about officials are never shown to the unit concerned.
        return {"code": code, "is_accusation": "纪检" in name or "检举控告" in name}

    return extra


def import_table(
    conn: Connection,
    table: RawTable,
    columns: ResolvedColumns,
    *,
    mapping: ColumnMapping,
    filename: str,
    file_sha256: str | None = None,
    progress: Progress | None = None,
    today: date | None = None,
    username: str | None = None,
) -> ImportSummary:
    report = progress or (lambda done, total, stage: None)
    today = _today(today)
    by_field = columns.by_field
    summary = ImportSummary(filename=filename, headers=list(table.headers), columns=columns)

    blank = _blank_rows(table.frame)
    # Filtering copies every cell: at a million rows that is hundreds of MB for nothing when no row is blank.
    frame = table.frame.filter(~blank) if blank.any() else table.frame
    row_numbers = pl.Series("row", table.row_numbers)
    row_numbers = row_numbers.filter(~blank) if blank.any() else row_numbers
    n = frame.height
    summary.rows = n
    report(0, n, "check")

    def src(key: str) -> pl.Series:
        if key in by_field:
            return frame[by_field[key]].cast(pl.Utf8)  # a repetitive column may come as Categorical
        return pl.Series(key, [None] * n, dtype=pl.Utf8)

    def shown(key: str) -> pl.Series:
        """The cell as the clerk wrote it, tidied for a message."""
        return V.clean(src(key))

    err = _Errors(n)
    parsed: dict[str, pl.Series] = {}

    case_number = V.compact(src("case_number"))
    parsed["case_number"] = case_number
    err.add(case_number.is_null(), "missing_case_number", "case_number")
    for key, limit in MAX_LENGTHS.items():
        if key in by_field:
            length = V.clean(src(key)).str.len_chars()
            err.add(length > limit, "too_long", key, other=pl.Series([str(limit)] * n))

    for key in DATE_FIELDS:
        if key not in by_field and key != "received_on":
            continue
        value, problem = V.parse_dates(src(key))
        parsed[key] = value
        if key == "received_on":
            err.add(value.is_null() & problem.is_null(), "missing_value", key)
        err.add(problem == "unreadable", "date_unreadable", key, shown(key))
        err.add(problem == "impossible", "date_impossible", key, shown(key))

    channel, problem = V.parse_channel(src("channel"), mapping.channels)
    parsed["channel"] = channel
    err.add(problem == "missing", "missing_value", "channel")
    err.add(problem == "unknown", "unknown_channel", "channel", shown("channel"))

    for key in ("is_first_time", "is_repeat", "extension_granted"):
        value, problem = V.parse_yes_no(src(key))
        parsed[key] = value
        err.add(problem.is_not_null(), "bad_yes_no", key, shown(key))
    value, problem = V.parse_outcome(src("outcome"))
    parsed["outcome"] = value
    err.add(problem.is_not_null(), "bad_outcome", "outcome", shown("outcome"))
    for key in ("satisfaction_office", "satisfaction_unit"):
        value, problem = V.parse_satisfaction(src(key))
        parsed[key] = value
        err.add(problem.is_not_null(), "bad_satisfaction", key, shown(key))
    value, problem = V.parse_headcount(src("headcount"))
    parsed["headcount"] = value
    err.add(problem.is_not_null(), "bad_number", "headcount", shown("headcount"))

    received = parsed["received_on"]
    err.add(received > today, "received_in_future", "received_on", received.dt.to_string("%Y-%m-%d"))
    for key in DATE_FIELDS:
        if key in parsed and key != "received_on":
            err.add(parsed[key] > today, "date_in_future", key, parsed[key].dt.to_string("%Y-%m-%d"))
    if "concluded_on" in parsed:
        err.add(parsed["concluded_on"] < received, "concluded_before_received", "concluded_on",
                parsed["concluded_on"].dt.to_string("%Y-%m-%d"), received.dt.to_string("%Y-%m-%d"))

    # Places: match each distinct text once.
    matchers = {
        "township": PlaceMatcher([tuple(r) for r in conn.execute(select(Township.id, Township.name, Township.code))],
                                 "township"),
        "park": PlaceMatcher([tuple(r) for r in conn.execute(select(Park.id, Park.name, Park.code))], "park"),
    }
    hints: dict[tuple[str, str], dict] = {}
    for key, reason in (("township", "unknown_township"), ("park", "unknown_park")):
        text = V.clean(src(key))
        matcher = matchers[key]
        ids = {t: matcher.match(t) for t in text.drop_nulls().unique().to_list()}
        parsed[key] = text.replace_strict(ids, default=None, return_dtype=pl.Int64) if ids else \
            pl.Series(key, [None] * n, dtype=pl.Int64)
        unknown = [t for t, i in ids.items() if i is None]
        for t in unknown:
            hints[(key, t)] = {"suggestions": matcher.suggestions(t), "known": len(matcher)}
        err.add(text.is_in(unknown) if unknown else pl.Series([False] * n), reason, key, text)

    # Duplicates of a case number within the file.
    mapped_headers = list(by_field.values())
    # The row's contents, normalised, as one hash, folded in column by column: joining every
    # cell of a million rows into one string first took as much memory as the file (issue 15).
    signature = pl.Series("sig", [0] * n, dtype=pl.UInt64)
    for h in mapped_headers:
        cell = frame[h].cast(pl.Utf8).str.normalize("NFKC").str.replace_all(r"\s+", "").fill_null("")
        signature = pl.DataFrame({"a": signature, "b": cell}).select(pl.struct("a", "b").hash()).to_series()
    # A number is in conflict when it comes with two different contents, i.e. when it
    # appears twice among the distinct (number, contents) pairs; a later row of a
    # number not in conflict is a duplicate. Hash sets, not a group per number: at a
    # million numbers the groups (a join, then window expressions) were the largest
    # allocation of the whole check (issue 15). Rows are listed for conflicts only.
    keyed = pl.DataFrame({"cn": case_number, "sig": signature})
    known = case_number.is_not_null()
    pairs = keyed.filter(pl.struct("cn", "sig").is_first_distinct() & pl.col("cn").is_not_null())
    conflicting = pairs.filter(pl.col("cn").is_duplicated())["cn"].unique()
    del pairs
    conflict = known & case_number.is_in(conflicting.implode())
    duplicate = known & ~conflict & ~case_number.is_first_distinct()
    # A conflicting case number outranks every other problem of those rows.
    if conflict.any():
        keyed = keyed.with_columns(row=row_numbers)
        rows_by_number = keyed.filter(conflict).group_by("cn").agg(
            rows=pl.col("row").sort().cast(pl.Utf8).str.join("、"))
        conflict_rows = keyed.select("cn").join(rows_by_number, on="cn", how="left", maintain_order="left")["rows"]
        err.key = err.key.set(conflict, "duplicate_conflict")
        err.field = err.field.set(conflict, "case_number")
        err.value = err.value.zip_with(~conflict, case_number)
        err.other = err.other.zip_with(~conflict, conflict_rows)
        del rows_by_number, conflict_rows
    del keyed
    quarantined = err.key.is_not_null() & ~duplicate
    stored_mask = ~quarantined & ~duplicate
    summary.duplicates = int(duplicate.sum())

    # Quarantine entries: original cells and a reason.
    q_idx = quarantined.arg_true().to_list()
    if q_idx:
        raw_rows = frame[q_idx].to_dicts()
        field_of = {h: k for k, h in by_field.items()}
        for i, raw in zip(q_idx, raw_rows, strict=True):
            key = err.key[i]
            fkey = err.field[i]
            header = by_field.get(fkey) if fkey else None
            params = {"column": header or DEFAULT_HEADERS.get(fkey or "", ""), "value": err.value[i] or "",
                      "other": err.other[i] or ""}
            if key == "duplicate_conflict":
                params["rows"] = [int(x) for x in params.pop("other").split("、")]
            if key in ("unknown_township", "unknown_park"):
                params.update(hints.get((fkey, err.value[i] or ""), {}))
            cells = {h: v for h, v in raw.items() if v is not None}
            cells[FIELDS_KEY] = field_of
            summary.quarantine.append(QuarantineEntry(int(row_numbers[i]), header, key, params, cells))
    summary.quarantined = len(summary.quarantine)
    # Done with: ~200 bytes a row that the writing stage need not carry (issue 15).
    del err, signature

    # Rows to store, built slice by slice when they are written: the whole file as
    # cleaned columns next to the file itself took ~1 kB a row (issue 15).
    stored = _StoredRows(frame, by_field, stored_mask.arg_true(), {
        "row": row_numbers,
        "case_number": case_number,
        **{k: parsed[k] for k in DATE_FIELDS if k in parsed},
        **{k: parsed[k] for k in ("channel", "is_first_time", "is_repeat", "extension_granted", "outcome",
                                  "satisfaction_office", "satisfaction_unit", "headcount")},
        "township_id": parsed["township"],
        "park_id": parsed["park"],
    })
    several_leaders = int(stored.names_column("owner_leader").str.contains(LEADER_SEPARATORS).fill_null(False).sum())
    if several_leaders:
        summary.notes.append(f"{several_leaders} rows name several 包案领导: the first is stored")
    report(0, n, "write")
    _store(conn, stored, summary, by_field=by_field, filename=filename, file_sha256=file_sha256,
           username=username, report=report, total=n)
    report(n, n, "done")
    log.info("case import %s: %s", filename, summary.counts())
    return summary


LEADER_SEPARATORS = r"[、,，/;；]"


class _StoredRows:
    """The rows to store: parsed columns kept whole, text columns cleaned one slice at a time."""

    def __init__(self, frame: pl.DataFrame, by_field: dict[str, str], index: pl.Series, parsed: dict[str, pl.Series]):
        self.frame = frame
        self.by_field = by_field
        self.index = index
        self.parsed = parsed

    def _src(self, key: str, index: pl.Series) -> pl.Series:
        if key in self.by_field:
            return self.frame[self.by_field[key]].gather(index).cast(pl.Utf8)
        return pl.Series(key, [None] * len(index), dtype=pl.Utf8)

    def names_column(self, key: str) -> pl.Series:
        """A name column (category, unit, owner_leader) of every stored row, compacted."""
        return V.compact(self._src(key, self.index))

    def names(self, key: str) -> list[str]:
        column = self.names_column(key)
        if key == "owner_leader":
            column = column.str.replace(LEADER_SEPARATORS + ".*$", "")
        return column.drop_nulls().unique().to_list()

    def iter_slices(self, size: int):
        for start in range(0, len(self.index), size):
            index = self.index.slice(start, size)
            part = pl.DataFrame({
                **{k: v.gather(index) for k, v in self.parsed.items()},
                "category": V.compact(self._src("category", index)),
                "unit": V.compact(self._src("unit", index)),
                "owner_leader": V.compact(self._src("owner_leader", index)).str.replace(LEADER_SEPARATORS + ".*$", ""),
                "summary": self._src("summary", index).replace("", None),
                "petitioner_name": V.compact(self._src("petitioner_name", index)),
                "id_number": V.normalise_id_number(self._src("id_number", index)),
                "phone": V.normalise_phone(self._src("phone", index)),
                "address": V.clean(self._src("address", index)),
            })
            # Summary text is stored verbatim; only a cell of nothing but spaces counts as empty.
            yield part.with_columns(
                summary=pl.when(pl.col("summary").str.strip_chars().str.len_chars() > 0).then(pl.col("summary")),
                id_bad=~V.id_numbers_valid(part["id_number"]),
                phone_bad=~V.phones_valid(part["phone"]),
            )


def _store(conn: Connection, stored: _StoredRows, summary: ImportSummary, *, by_field, filename, file_sha256,
           username, report, total) -> None:
    present_case = {c for c in CASE_FIELDS if SOURCE_FIELD.get(c, c) in by_field}
    present_case.add("received_on")
    present_case.add("channel")
    present_person = {PETITIONER_FIELDS[k] for k in PETITIONER_FIELDS if k in by_field}
    now = datetime.now(LOCAL_TZ).replace(tzinfo=None, microsecond=0)

    names = stored.names
    batch_id = conn.execute(
        insert(ImportBatch).values(kind="cases", filename=filename[:256], file_sha256=file_sha256,
                                   imported_at=now, username=username, rows=summary.rows)
    ).inserted_primary_key[0]
    summary.batch_id = batch_id

    categories, summary.created_categories = _get_or_create(
        conn, Category, names("category"), _category_extra(conn))
    units, summary.created_units = _get_or_create(conn, Unit, names("unit"), lambda n: {})
    leaders, summary.created_leaders = _get_or_create(
        conn, Leader, names("owner_leader"), lambda n: {"title": "", "rank": 99})
    accusation = {r.id for r in conn.execute(select(Category.id).where(Category.is_accusation.is_(True)))}

    case_cols = [getattr(Case, c) for c in CASE_FIELDS]
    person_cols = [Petitioner.case_id.label("p_case_id"), Petitioner.name.label("p_name"),
                   Petitioner.id_number.label("p_id_number"), Petitioner.phone.label("p_phone"),
                   Petitioner.address.label("p_address"),
                   Petitioner.id_number_invalid.label("p_id_number_invalid"),
                   Petitioner.phone_invalid.label("p_phone_invalid")]
    update_statement = None
    person_statement = None
    done = 0
    # Chunk by chunk, so that only CHUNK rows are ever Python dicts: a million rows
    # as dicts take gigabytes (issue 15). Case numbers are unique in ``stored``
    # (repeats were collapsed or quarantined), so chunks never meet.
    for part in stored.iter_slices(CHUNK):
        rows = part.to_dicts()
        existing: dict[str, dict] = {}
        result = conn.execute(
            select(Case.id, Case.case_number, Case.accuses_official, *case_cols, *person_cols)
            .outerjoin(Petitioner, Petitioner.case_id == Case.id)
            .where(Case.case_number.in_([r["case_number"] for r in rows]))
        ).mappings()
        for r in result:
            existing[r["case_number"]] = dict(r)

        inserts: list[dict] = []
        new_people: dict[str, dict] = {}
        updates: list[dict] = []
        person_updates: list[dict] = []
        person_inserts: list[dict] = []
        for r in rows:
            values = {c: r.get(SOURCE_FIELD.get(c, c)) for c in CASE_FIELDS}
            values["category_id"] = categories.get(r["category"])
            values["unit_id"] = units.get(r["unit"])
            values["owner_leader_id"] = leaders.get(r["owner_leader"])
            values["township_id"] = r["township_id"]
            values["park_id"] = r["park_id"]
            person = {PETITIONER_FIELDS[k]: r[k] for k in PETITIONER_FIELDS if k in by_field}
            id_bad = r["id_bad"] and "id_number" in by_field
            phone_bad = r["phone_bad"] and "phone" in by_field
            if id_bad or phone_bad:
                summary.flagged += 1
            old = existing.get(r["case_number"])
            if old is None:
                row = {c: (values[c] if c in present_case else CASE_FIELDS[c]) for c in CASE_FIELDS}
                if row["headcount"] is None:
                    row["headcount"] = 1
                row.update(case_number=r["case_number"], is_demo=False, import_batch_id=batch_id,
                           accuses_official=row["category_id"] in accusation, updated_at=now)
                inserts.append(row)
                if any(person.get(k) for k in ("name", "id_number", "phone", "address")):
                    new_people[r["case_number"]] = {
                        "name": None, "id_number": None, "phone": None, "address": None,
                        **person, "id_number_invalid": id_bad, "phone_invalid": phone_bad}
                continue
            changes = {}
            for c in present_case:
                new = values[c]
                if new is None:
                    continue  # an empty cell never erases a stored value
                if new != old[c]:
                    changes[c] = new
            if values["category_id"] in accusation and not old["accuses_official"]:
                changes["accuses_official"] = True
            person_changes = {}
            for k in present_person:
                new = person.get(k)
                if new and new != old[f"p_{k}"]:
                    person_changes[k] = new
            if "id_number" in person_changes:
                person_changes["id_number_invalid"] = id_bad
            if "phone" in person_changes:
                person_changes["phone_invalid"] = phone_bad
            if changes:
                full = {c: (changes[c] if c in changes else old[c]) for c in present_case}
                full["accuses_official"] = changes.get("accuses_official", old["accuses_official"])
                updates.append({"_id": old["id"], **full})
            if person_changes:
                if old["p_case_id"] is None:
                    person_inserts.append({"case_id": old["id"], "name": None, "id_number": None, "phone": None,
                                           "address": None, "id_number_invalid": False, "phone_invalid": False,
                                           **person_changes})
                else:
                    merged = {k: person_changes.get(k, old[f"p_{k}"]) for k in
                              ("name", "id_number", "phone", "address", "id_number_invalid", "phone_invalid")}
                    person_updates.append({"_case_id": old["id"], **merged})
            if changes or person_changes:
                summary.changed_case_ids.add(old["id"])
                summary.updated += 1
            else:
                summary.unchanged += 1
        summary.imported += len(inserts)

        if inserts:
            _execute_chunk(conn, Case, inserts)
            ids = {r.case_number: r.id for r in conn.execute(
                select(Case.case_number, Case.id).where(Case.case_number.in_([r["case_number"] for r in inserts])))}
            summary.changed_case_ids.update(ids.values())
        if new_people:
            _execute_chunk(conn, Petitioner, [{"case_id": ids[number], **p} for number, p in new_people.items()])
        if updates:
            keys = [k for k in updates[0] if k != "_id"]
            update_statement = update_statement if update_statement is not None else (
                update(Case)
                .where(Case.id == bindparam("_id"))
                .values({k: bindparam(k) for k in keys} | {"updated_at": now, "import_batch_id": batch_id})
            )
            _execute_chunk(conn, update_statement, updates)
        if person_updates:
            keys = [k for k in person_updates[0] if k != "_case_id"]
            person_statement = person_statement if person_statement is not None else (
                update(Petitioner).where(Petitioner.case_id == bindparam("_case_id")).values(
                    {k: bindparam(k) for k in keys})
            )
            _execute_chunk(conn, person_statement, person_updates)
        if person_inserts:
            _execute_chunk(conn, Petitioner, person_inserts)
        done += len(rows)
        report(min(total, done), total, "write")

    if summary.quarantine:
        q_rows = [
            {"import_batch_id": batch_id, "row_number": q.row_number, "column": (q.column or "")[:64] or None,
             "reason": q.reason("zh"), "raw": json.dumps(q.raw, ensure_ascii=False)}
            for q in summary.quarantine
        ]
        for start in range(0, len(q_rows), CHUNK):
            _execute_chunk(conn, QuarantinedRow, q_rows[start:start + CHUNK])
    conn.execute(
        update(ImportBatch).where(ImportBatch.id == batch_id).values(
            imported=summary.imported, updated=summary.updated, unchanged=summary.unchanged,
            duplicates=summary.duplicates, quarantined=summary.quarantined, flagged=summary.flagged)
    )
