"""The words of case summaries, cut when cases are written, so that hot words (热词) are a sum in SQL.

Why: cutting the four months' summaries that hot words need (about 110,000
at a million cases) took a second or more on every filter change. Here they
are cut once, by the write path (services/writes.py), in the transaction that
changed the cases, right after the monthly summary:

* ``case_words``: each case's candidate words (:func:`queries.hot_words.candidates`:
  the rule judged on the text alone), with its month and its petitioner's key;
* ``word_counts``: per month and word, the distinct petitioners using it in
  the whole county and in each township, with and without complaints about
  officials;
* ``words``: every word once, flagged when it is a place name of the county or
  a name of any petitioner in the data — those are never shown. The flags are
  re-judged on every write (a boundary import can add a township), so a name
  that arrives with a new petitioner hides the word in every month at once;
* ``words_stamp``: the data version and word rule they were built for.

What a write rebuilds: the months it touched. The writer says which cases it
inserted or updated (``Change.only_cases``); every month one of them is in,
or was in before (a corrected date moves a case), is counted again from all
its cases, and only the named cases' ``case_words`` are written again. A
writer that names none (the demo builder), a stamp that is not the previous
data version's (something wrote behind the write path's back) or another word
rule rebuild everything. A month is counted in Python as it is cut (sets of
petitioner keys), because counting distinct petitioners in SQL from
``case_words`` took 0.4 s a month at a million cases against a few
milliseconds here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from itertools import chain

import numpy as np
import polars as pl
from sqlalchemy import (
    Connection,
    Integer,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    type_coerce,
    update,
)

from data.models import DataVersion, Petitioner, case_words, word_counts, words, words_stamp
from queries import definitions, hot_words
from queries.filters import Scope, add_months
from queries.scope import scope_clauses
from queries.sql_dates import as_date
from queries.summary import month_number, month_of_number, number_of_month

c = definitions.c
p = Petitioner.__table__.c
_CHUNK = 500  # ids per IN (...): under every SQLite build's limit on bound values
_COUNT_COLUMNS = ("month_number", "township_id", "word_id", "petitioners", "visible_petitioners")
# The scope of those who may not see complaints about officials, as a flag per case: the same clauses.
_VISIBLE = case((and_(*scope_clauses(Scope(see_accusations=False))), True), else_=False)


def refresh(
    conn: Connection,
    case_ids: Collection[int] | None = None,
    report: Callable[[str, float], None] | None = None,
) -> dict:
    """Bring the stored words up to the current data, inside the caller's transaction, after the version bump.

    ``case_ids``: the cases the write inserted or updated (none deleted), or
    None for "any": everything is rebuilt. Returns the stamp as a dict
    (``full``, ``months``, ``seconds``, ...).
    """
    started = time.perf_counter()
    version = conn.execute(select(DataVersion.version).where(DataVersion.id == 1)).scalar_one_or_none() or 0
    rules = hot_words.rules_key()
    stamp = conn.execute(select(words_stamp).where(words_stamp.c.id == 1)).mappings().first()
    full = (case_ids is None or stamp is None or stamp["rules"] != rules
            or stamp["data_version"] != version - 1)
    conn.execute(delete(words_stamp))
    vocabulary = _Vocabulary(conn, reset=full)
    cut: dict[str, tuple[int, ...]] = {}  # the same text is cut once per write (the same letter sent again)
    if full:
        for table in (case_words, word_counts):
            conn.execute(delete(table))
        months = _all_months(conn)
        for done, month in enumerate(months):
            if report is not None:
                report("cutting words", done / max(len(months), 1))
            first = month_of_number(month)
            frame = _cut(conn, (c.received_on >= first, c.received_on <= add_months(first, 0, last_day=True)),
                         vocabulary, cut)
            _store_case_words(conn, frame)
            _store_counts(conn, month, frame)
    else:
        ids = sorted(set(case_ids))
        touched: set[int] = set()
        for done, chunk in enumerate(_chunks(ids)):
            if report is not None:
                report("cutting words", done / max(len(ids) / _CHUNK, 1) / 2)
            touched |= _replace_cases(conn, chunk, vocabulary, cut)
        months = sorted(touched)
        if months:
            conn.execute(delete(word_counts).where(word_counts.c.month_number.in_(months)))
        for done, month in enumerate(months):
            if report is not None:
                report("cutting words", 0.5 + done / max(len(months), 1) / 2)
            _store_counts(conn, month, _stored_month(conn, month))
    vocabulary.store()
    judge_words(conn)
    out = {
        "id": 1,
        "data_version": version,
        "rules": rules,
        "cases": conn.execute(select(func.count()).select_from(definitions.cases)).scalar_one(),
        "built_at": datetime.now(UTC).replace(tzinfo=None),
        "seconds": time.perf_counter() - started,
    }
    conn.execute(insert(words_stamp).values(**out))
    if report is not None:
        report("cutting words", 1.0)
    if conn.dialect.name == "postgresql":
        for table in (case_words, word_counts, words):
            conn.exec_driver_sql(f"ANALYZE {table.name}")
    return {**out, "full": full, "months": len(months)}


def carry_forward(conn: Connection) -> None:
    """After a write that changed no case, in its transaction, after the bump.

    The words count only cases, so words that were current stay current —
    but a boundary import may have added or renamed a township or park, so
    the place flags are judged again (milliseconds). Stale words stay stale.
    """
    current_version = select(DataVersion.version).where(DataVersion.id == 1).scalar_subquery()
    moved = conn.execute(
        update(words_stamp)
        .where(words_stamp.c.id == 1, words_stamp.c.data_version == current_version - 1)
        .values(data_version=current_version)
    ).rowcount
    if moved:
        judge_words(conn, names=False)


def judge_words(conn: Connection, *, names: bool = True) -> None:
    """Flag the words that are the county's place names and (``names``) any petitioner's name."""
    places = hot_words.place_words(hot_words.place_names(conn))
    people = hot_words.name_words(hot_words.petitioner_names(conn)) if names else None
    changes = []
    for word_id, word, is_place, is_name in conn.execute(
        select(words.c.id, words.c.word, words.c.is_place, words.c.is_name)
    ).all():
        place = word in places
        name = (word in people) if people is not None else is_name
        if place != bool(is_place) or name != bool(is_name):
            changes.append({"_id": word_id, "is_place": place, "is_name": name})
    if changes:
        statement = update(words).where(words.c.id == bindparam("_id")).values(
            is_place=bindparam("is_place"), is_name=bindparam("is_name"))
        conn.execute(statement, changes)


# --- building ----------------------------------------------------------------------------------


class _Vocabulary:
    """``words`` as a dict; new words get the next ids and are inserted by :meth:`store`."""

    def __init__(self, conn: Connection, *, reset: bool):
        self.conn = conn
        if reset:
            conn.execute(delete(words))
        self.ids = dict(conn.execute(select(words.c.word, words.c.id)).all())
        self.next_id = max(self.ids.values(), default=0) + 1
        self.new: list[dict] = []

    def id_of(self, word: str) -> int:
        found = self.ids.get(word)
        if found is None:
            found = self.ids[word] = self.next_id
            self.next_id += 1
            # Judged by judge_words before the transaction ends.
            self.new.append({"id": found, "word": word, "is_place": False, "is_name": False})
        return found

    def store(self) -> None:
        if self.new:
            self.conn.execute(insert(words), self.new)
            self.new = []


def _all_months(conn: Connection) -> list[int]:
    # Asked separately: SQLite answers min() and max() from the index only then.
    first = conn.execute(select(func.min(c.received_on))).scalar()
    last = conn.execute(select(func.max(c.received_on))).scalar()
    if first is None:
        return []
    return list(range(number_of_month(as_date(first)), number_of_month(as_date(last)) + 1))


def _chunks(ids: list[int]):
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _replace_cases(conn: Connection, ids: list[int], vocabulary: _Vocabulary, cut: dict) -> set[int]:
    """Cut the cases again; store those whose part in the counts changed. Returns the months to count again.

    A case re-sent with only its status changed (most of a re-imported
    export) has the same rows as before and costs no count; a changed
    summary, petitioner, township, visibility or month touches the month the
    case is in and the one it was in.
    """
    cw = case_words.c
    old = {tuple(r) for r in conn.execute(select(*(cw[name] for name in _FRAME_SCHEMA)).where(cw.case_id.in_(ids)))}
    new = _cut(conn, (c.id.in_(ids),), vocabulary, cut)
    differ = {row[0] for row in old.symmetric_difference(new.rows())}
    if not differ:
        return set()
    conn.execute(delete(case_words).where(cw.case_id.in_(sorted(differ))))
    new = new.filter(pl.col("case_id").is_in(list(differ)))
    _store_case_words(conn, new)
    return {row[2] for row in old if row[0] in differ} | set(new["month_number"].to_list())


# The columns of case_words, in order.
_FRAME_SCHEMA = {"case_id": pl.Int64, "word_id": pl.Int64, "month_number": pl.Int64,
                 "petitioner_key": pl.Int64, "township_id": pl.Int64, "visible": pl.Boolean}
_CASE_WORD_COLUMNS = tuple(_FRAME_SCHEMA)


def _cut(conn: Connection, where: tuple, vocabulary: _Vocabulary, cut: dict[str, tuple[int, ...]]) -> pl.DataFrame:
    """Cut the summaries of the cases ``where`` selects: one row per (case, candidate word), as ``_stored_month``."""
    statement = (
        select(c.id, month_number(c.received_on), c.summary, c.township_id, _VISIBLE, p.name, p.id_number, p.phone)
        .select_from(definitions.cases.outerjoin(Petitioner.__table__, p.case_id == c.id))
        .where(*where, c.summary.is_not(None))
    )
    per_case: dict[str, list] = {name: [] for name in _FRAME_SCHEMA if name != "word_id"}
    word_ids: list[tuple[int, ...]] = []
    for case_id, month, summary, township_id, seen, name, id_number, phone in conn.execute(statement).all():
        ids = cut.get(summary)
        if ids is None:
            ids = cut[summary] = tuple(sorted({vocabulary.id_of(w) for w in hot_words.candidates(summary)}))
        if not ids:
            continue
        word_ids.append(ids)
        per_case["case_id"].append(case_id)
        per_case["month_number"].append(month)
        per_case["petitioner_key"].append(hot_words.petitioner_key(case_id, name, id_number, phone))
        per_case["township_id"].append(township_id)
        per_case["visible"].append(bool(seen))
    # Each case's row repeated once per word (a list column built from tuples is ten times slower).
    lengths = np.fromiter(map(len, word_ids), dtype=np.int64, count=len(word_ids))
    frame = pl.DataFrame(per_case, schema={k: v for k, v in _FRAME_SCHEMA.items() if k != "word_id"})
    return frame[np.repeat(np.arange(len(word_ids)), lengths)].with_columns(
        word_id=pl.Series(list(chain.from_iterable(word_ids)), dtype=pl.Int64)).select(list(_FRAME_SCHEMA))


def _stored_month(conn: Connection, month: int) -> pl.DataFrame:
    """The month's ``case_words``, as ``_cut`` returns them (reached from the month's cases, by their index)."""
    first = month_of_number(month)
    cw = case_words.c
    # The flag read as a plain integer: SQLAlchemy's per-row Boolean conversion cost half the time here.
    statement = (
        select(*(cw[name] for name in _FRAME_SCHEMA if name != "visible"), type_coerce(cw.visible, Integer))
        .select_from(definitions.cases.join(case_words, cw.case_id == c.id))
        .where(c.received_on >= first, c.received_on <= add_months(first, 0, last_day=True))
    )
    schema = {**_FRAME_SCHEMA, "visible": pl.Int64}
    frame = pl.DataFrame(conn.execute(statement).all(), schema=schema, orient="row")
    return frame.with_columns(pl.col("visible").cast(pl.Boolean))


def _store_case_words(conn: Connection, frame: pl.DataFrame) -> None:
    _bulk_insert(conn, case_words, _CASE_WORD_COLUMNS, frame.sort("case_id", "word_id"))


def _store_counts(conn: Connection, month: int, frame: pl.DataFrame) -> None:
    """Distinct petitioners per word in the month: county-wide and per township, all cases and visible ones."""
    counted = [
        pl.col("petitioner_key").n_unique().alias("petitioners"),
        pl.col("petitioner_key").filter(pl.col("visible")).n_unique().alias("visible_petitioners"),
    ]
    county = frame.group_by("word_id").agg(counted).with_columns(township_id=pl.lit(None, pl.Int64))
    townships = frame.filter(pl.col("township_id").is_not_null()).group_by("township_id", "word_id").agg(counted)
    rows = (
        pl.concat([county.select(townships.columns), townships])
        .with_columns(month_number=pl.lit(month, pl.Int64))
        .sort("township_id", "word_id", nulls_last=False)
        .select(_COUNT_COLUMNS)
    )
    _bulk_insert(conn, word_counts, _COUNT_COLUMNS, rows)


def _bulk_insert(conn: Connection, table, columns: tuple[str, ...], frame: pl.DataFrame) -> None:
    """Insert through the driver: SQLAlchemy's executemany of dicts is several times slower here.

    SQLite: one ``executemany`` of tuples; PostgreSQL (psycopg 3): ``COPY``. On
    the connection of the open transaction, so a failure rolls it all back.
    Table and column names come from the models.
    """
    if frame.is_empty():
        return
    # Column by column into Python values (frame.rows() is several times slower), then zipped into rows.
    rows = zip(*(frame[name].to_list() for name in columns), strict=True)
    names = ", ".join(columns)
    if conn.dialect.name == "sqlite":
        marks = ", ".join("?" * len(columns))
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)  # noqa: S608
        finally:
            cursor.close()
    elif conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        with conn.connection.driver_connection.cursor() as cursor:
            with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])  # other drivers
