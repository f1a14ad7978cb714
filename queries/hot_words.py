"""Hot words (热词): the words of case summaries that rose most this month against the three before.

The rule:

* The texts are the ``summary`` of the cases received in the month of
  ``flt.end`` and in each of the :data:`PREVIOUS_MONTHS` months before it,
  within the filter and its scope (a township officer's words come from their
  township's cases only; complaints about officials only for those who may
  see them).
* Each summary is cut into words by rjieba (the jieba-rs segmenter, with
  part-of-speech tags). A word is kept when it is two or more Chinese
  characters, none of them a digit or a letter, is not a stop word
  (:data:`STOP_WORDS`), and is not a name: the tags for person names
  (``nr``…) and place names (``ns``) are dropped, so are the county's
  township and park names (and the parts the segmenter cuts them into), the
  name part of any place written with its suffix (``桥头``+``村``,
  ``城北``+``街道``), and any word equal to the name, or the given name, of
  any petitioner in the data (of any month and township: a name stays a
  name outside the period and the filter).
* A word is counted **once per petitioner per month**, however many letters
  that person wrote (a petitioner is their ID number, else their phone, else
  their name, else the case); so one person writing forty letters cannot
  make a hot word, and their name is never one.
* ``count`` is this month's number of petitioners using the word;
  ``previous`` the mean over the three months before; the hot words are
  those with ``count`` ≥ :data:`MIN_COUNT` that rose (``count − previous``
  > 0), most risen first.

Where it is counted: the summaries are cut once, when cases are written
(:mod:`queries.case_words`, in the write path's transaction), into
``case_words`` (each case's candidate words, its month and its petitioner's
key) and ``word_counts`` (petitioners per word and month, for the county and
each township). A view of the county or one township sums a few rows of
``word_counts``; any other filter counts distinct petitioners over the
filtered cases' ``case_words``, in SQL; names and places are left out by the
flags of ``words``. While those tables are stale (another data version or
rule), the summaries are cut on the request as before: the same rule, and
``tests/queries/test_hot_words.py`` holds the three ways equal.

Personal data: the petitioners' names, ID numbers and phone numbers are read
here only to tell petitioners apart (kept as a one-way digest) and to know
which words are names; none of them leaves this module, and no word that
equals one is ever returned.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from datetime import date
from functools import lru_cache

import polars as pl
from sqlalchemy import Connection, Engine, case, func, not_, select

from data.models import DataVersion, Park, Petitioner, Township, case_words, word_counts, words, words_stamp
from queries import metrics
from queries.filters import DIMENSIONS, CaseFilter, add_months
from queries.scope import dimension_clauses
from queries.sql_dates import as_date
from queries.summary import number_of_month

PREVIOUS_MONTHS = 3
MIN_COUNT = 3
DEFAULT_LIMIT = 20
CASE_LIST_LIMIT = 200
# Bumped whenever the rule or what the stored words hold changes: words stamped otherwise are stale.
WORDS_FORMAT = 1

# Function words, the words every petition summary uses (反映…要求…), and the labels of contact details
# (电话, 身份证…): they never say what is new.
STOP_WORDS = frozenset("""
反映 要求 请求 希望 恳请 强烈要求 问题 情况 事情 相关 有关 进行 处理 解决 及时 尽快 依法 按照 根据
村民 居民 群众 信访 信访人 来信 来访 上访 本人 我们 他们 自己 大家 其中 目前 现在 已经 一直 没有 不是
一个 这个 那个 这些 那些 什么 怎么 如何 为什么 因为 所以 但是 而且 并且 或者 以及 还是 还有 可以 应该
能够 需要 通过 对于 关于 由于 至今 多次 仍然 仍未 未能 予以 给予 进一步 有关部门 相关部门 部门 单位
电话 联系电话 手机 手机号 身份证 身份证号 号码 地址 住址 姓名
""".split())
# Tags of rjieba (jieba's tag set) that are never a hot word: names of people and places, numerals,
# quantifiers, pronouns, prepositions, conjunctions, particles, interjections, punctuation.
DROPPED_TAGS = frozenset({
    "nr", "nr1", "nr2", "nrj", "nrf", "nrfg", "nrt", "ns", "nsf",
    "m", "mq", "q", "r", "rr", "rz", "ry", "p", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv",
    "e", "y", "o", "x", "w", "zg",
})
# Written after a place's name: the token before one of these is a place's name.
PLACE_SUFFIXES = frozenset({"村", "社区", "镇", "乡", "街道", "工业园区", "园区", "组", "屯", "居委会", "村委会"})
# Words that end like a village but are not one.
_VILLAGE_LIKE_WORDS = frozenset({"农村", "乡村", "新农村", "城乡村"})
_PLACE_NAME_ENDINGS = ("工业园区", "园区", "街道", "社区", "镇", "乡", "村")
_CHINESE_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")
_BLANKS = re.compile(r"\s+")

_WORDS_SCHEMA = {"word": pl.String, "count": pl.Int64, "previous": pl.Float64, "rise": pl.Float64}


@lru_cache(maxsize=1)
def _segmenter():
    import rjieba  # the dictionary loads once per process (~0.4 s)

    return rjieba.Jieba()


def _place_core(name: str) -> str:
    for ending in _PLACE_NAME_ENDINGS:
        if name.endswith(ending) and len(name) > len(ending):
            return name[: -len(ending)]
    return name


def place_words(names: list[str]) -> frozenset[str]:
    """The county's place names as a segmenter sees them: whole, without suffix, and cut into words."""
    jieba = _segmenter()
    out: set[str] = set()
    for name in names:
        core = _place_core(name)
        out.update({name, core})
        out.update(word for word in jieba.cut(name, True) if word not in PLACE_SUFFIXES)
        out.update(jieba.cut(core, True))
    return frozenset(w for w in out if len(w) >= 2)


def name_words(names: set[str]) -> frozenset[str]:
    """Petitioners' names as words: the full name and, for names of three or more characters, the given name."""
    out: set[str] = set()
    for name in names:
        name = re.sub(r"\s+", "", name or "")
        if len(name) >= 2:
            out.add(name)
        if len(name) >= 3:
            out.add(name[1:])
    return frozenset(out)


def candidates(text: str) -> frozenset[str]:
    """The words of one summary that may be hot words, judged on the text alone.

    Everything in the rule (module docstring) but the county's place names
    and the petitioners' names, which depend on the data and are judged apart
    (:func:`words_of` here; the flags of ``words`` when the words are stored).
    """
    tagged = _segmenter().tag(text, True)
    out = set()
    for i, (word, tag) in enumerate(tagged):
        if not _CHINESE_WORD.match(word) or tag in DROPPED_TAGS or word in STOP_WORDS or word in PLACE_SUFFIXES:
            continue
        if i + 1 < len(tagged) and tagged[i + 1][0] in PLACE_SUFFIXES:
            continue  # 桥头 of 桥头村, 城北 of 城北街道
        if word.endswith("村") and word not in _VILLAGE_LIKE_WORDS:
            continue  # a village the segmenter kept whole
        out.add(word)
    return frozenset(out)


def words_of(text: str, excluded: frozenset[str] = frozenset()) -> set[str]:
    """The distinct hot-word candidates of one summary, less the ``excluded`` words (places, names)."""
    return set(candidates(text) - excluded)


@lru_cache(maxsize=1)
def rules_key() -> str:
    """What the stored words were cut with: the segmenter's version and every list of the rule.

    Stored words stamped with another key are stale (a new rjieba may cut
    differently), and hot words are counted from the summaries until rebuilt.
    """
    from importlib.metadata import version

    rule = {
        "format": WORDS_FORMAT,
        "rjieba": version("rjieba"),
        "stop_words": sorted(STOP_WORDS),
        "dropped_tags": sorted(DROPPED_TAGS),
        "place_suffixes": sorted(PLACE_SUFFIXES),
        "village_like_words": sorted(_VILLAGE_LIKE_WORDS),
        "chinese_word": _CHINESE_WORD.pattern,
    }
    digest = hashlib.blake2b(json.dumps(rule, ensure_ascii=False, sort_keys=True).encode(), digest_size=16)
    return f"{WORDS_FORMAT}:{digest.hexdigest()}"


def petitioner_key(case_id: int, name: str | None, id_number: str | None, phone: str | None) -> int:
    """A one-way 64-bit digest that tells petitioners apart; the raw values go no further.

    The ID number, else the phone, else the name (blanks removed, upper case),
    else the case itself. Stored in ``case_words`` as a signed 64-bit integer:
    among a million petitioners two share one with a chance of about 3 in
    100 million, and a shared key could only merge two petitioners' counts.
    """
    for kind, value in (("id", id_number), ("phone", phone), ("name", name)):
        value = _BLANKS.sub("", value or "").upper()
        if value:
            return _digest(f"{kind}:{value}")
    return _digest(f"case:{case_id}")


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def place_names(conn: Connection) -> list[str]:
    """The county's township and park names."""
    return [*conn.execute(select(Township.name)).scalars(), *conn.execute(select(Park.name)).scalars()]


def petitioner_names(conn: Connection) -> set[str]:
    """Every petitioner's name in the data (read only to know which words are names)."""
    p = Petitioner.__table__.c
    return set(conn.execute(select(p.name).where(p.name.is_not(None)).distinct()).scalars())


def excluded_words(conn: Connection) -> frozenset[str]:
    """The words never shown: the county's place names and the names of every petitioner in the data."""
    return place_words(place_names(conn)) | name_words(petitioner_names(conn))


# --- reading ---------------------------------------------------------------------------------

SOURCES = ("auto", "word_counts", "case_words", "raw")


class WordsUnavailable(RuntimeError):
    """The stored words cannot answer: they are missing or stale, or the filter needs another source."""


def stored_words_current(conn: Connection) -> bool:
    """Whether ``words``, ``case_words`` and ``word_counts`` were built from the current data with this rule."""
    current_version = select(DataVersion.version).where(DataVersion.id == 1).scalar_subquery()
    row = conn.execute(
        select(words_stamp.c.data_version, words_stamp.c.rules, current_version).where(words_stamp.c.id == 1)
    ).first()
    return row is not None and row[0] == (row[2] or 0) and row[1] == rules_key()


_NOWHERE = object()  # a township officer asking for another township: no case at all


def counts_area(flt: CaseFilter):
    """The ``word_counts`` rows that answer ``flt``: a township id, None (the whole county), _NOWHERE, or False.

    They hold the county and each township, each with and without complaints
    about officials; any other dimension filter, or several townships, must
    be counted from ``case_words`` (False).
    """
    if any(getattr(flt, d.filter_field) for d in DIMENSIONS if d.name != "township"):
        return False
    townships = set(flt.township_ids)
    if flt.scope.township_id is not None:
        townships = townships & {flt.scope.township_id} if townships else {flt.scope.township_id}
        if not townships:
            return _NOWHERE
    if len(townships) > 1:
        return False
    return next(iter(townships)) if townships else None


def _month_range(flt: CaseFilter) -> tuple[date, int, date, date]:
    month = flt.end.replace(day=1)
    return month, number_of_month(month), add_months(month, -PREVIOUS_MONTHS), add_months(month, 0, last_day=True)


def _scored(rows, limit: int) -> pl.DataFrame:
    """(word, this month's petitioners, the previous months' total) rows as the frame, ranked."""
    frame = pl.DataFrame([(w, int(n), int(before)) for w, n, before in rows],
                         schema={"word": pl.String, "count": pl.Int64, "before": pl.Int64}, orient="row")
    return (
        frame.with_columns(previous=pl.col("before") / PREVIOUS_MONTHS)
        .with_columns(rise=pl.col("count") - pl.col("previous"))
        .sort(["rise", "count", "word"], descending=[True, True, False])
        .select(list(_WORDS_SCHEMA))
        .head(limit)
        .cast(_WORDS_SCHEMA)
    )


def _ranked(per_month, m: int, min_count: int):
    """Each shown word's petitioners this month and in the months before, from (word_id, month_number, n) rows."""
    w = words.c
    current = func.sum(case((per_month.c.month_number == m, per_month.c.n), else_=0))
    before = func.sum(case((per_month.c.month_number < m, per_month.c.n), else_=0))
    return (
        select(w.word, current, before)
        .select_from(per_month.join(words, w.id == per_month.c.word_id))
        .where(not_(w.is_place), not_(w.is_name))
        .group_by(w.id, w.word)
        # count > previous, i.e. count > before / PREVIOUS_MONTHS, in integers.
        .having(current >= min_count, current * PREVIOUS_MONTHS > before)
    )


def _from_word_counts(conn: Connection, flt: CaseFilter, area, limit: int, min_count: int) -> pl.DataFrame:
    _, m, _, _ = _month_range(flt)
    wc = word_counts.c
    n = wc.petitioners if flt.scope.see_accusations else wc.visible_petitioners
    per_month = (
        select(wc.word_id, wc.month_number, n.label("n"))
        .where(wc.month_number.between(m - PREVIOUS_MONTHS, m),
               wc.township_id.is_(None) if area is None else wc.township_id == area)
        .subquery("per_month")
    )
    return _scored(conn.execute(_ranked(per_month, m, min_count)).all(), limit)


def _from_case_words(conn: Connection, flt: CaseFilter, limit: int, min_count: int) -> pl.DataFrame:
    _, m, first, last_day = _month_range(flt)
    c, cw = metrics.c, case_words.c
    # From the cases the filter selects (by date, township or park index) to their words.
    per_month = (
        select(cw.word_id, cw.month_number, func.count(func.distinct(cw.petitioner_key)).label("n"))
        .select_from(metrics.cases.join(case_words, cw.case_id == c.id))
        .where(c.received_on >= first, c.received_on <= last_day, *dimension_clauses(flt))
        .group_by(cw.word_id, cw.month_number)
        .subquery("per_month")
    )
    return _scored(conn.execute(_ranked(per_month, m, min_count)).all(), limit)


def _texts(engine: Engine, flt: CaseFilter, first: date, last_day: date) -> list[tuple]:
    c = metrics.c
    p = Petitioner.__table__.c
    statement = (
        select(c.id, c.received_on, c.summary, p.name, p.id_number, p.phone)
        .select_from(metrics.cases.outerjoin(Petitioner.__table__, p.case_id == c.id))
        .where(c.received_on >= first, c.received_on <= last_day, c.summary.is_not(None),
               *dimension_clauses(flt))
    )
    with engine.connect() as conn:
        return conn.execute(statement).all()


def _from_summaries(engine: Engine, flt: CaseFilter, limit: int, min_count: int) -> pl.DataFrame:
    """The rule evaluated from the summaries themselves, cut now (the reference the stored words are held to)."""
    month, _, first, last_day = _month_range(flt)
    rows = _texts(engine, flt, first, last_day)
    with engine.connect() as conn:
        excluded = excluded_words(conn)
    # month -> word -> petitioners (keys); a petitioner's words are a set, so each counts once.
    users: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    this_month = number_of_month(month)
    seen: dict[str, set[str]] = {}  # the same letter sent again is cut once
    for case_id, received_on, summary, name, id_number, phone in rows:
        key = petitioner_key(case_id, name, id_number, phone)
        bucket = users[this_month - number_of_month(as_date(received_on))]
        found = seen.get(summary)
        if found is None:
            found = seen[summary] = words_of(summary, excluded)
        for word in found:
            bucket[word].add(key)
    scored = []
    for word, who in users[0].items():
        count = len(who)
        before = sum(len(users[k].get(word, ())) for k in range(1, PREVIOUS_MONTHS + 1))
        if count >= min_count and count * PREVIOUS_MONTHS > before:
            scored.append((word, count, before))
    return _scored(scored, limit)


def hot_words(engine: Engine, flt: CaseFilter, *, limit: int = DEFAULT_LIMIT, min_count: int = MIN_COUNT,
              source: str = "auto") -> pl.DataFrame:
    """The words that rose most in the month of ``flt.end`` against the three months before it.

    Columns: ``word``, ``count`` (petitioners using it this month),
    ``previous`` (the mean over the three months before), ``rise``
    (count − previous); at most ``limit`` rows, most risen first (ties: more
    this month, then the word). Empty when no summary qualifies.

    ``source``: "auto" reads the stored words while they are current —
    ``word_counts`` for the county or one township (tens of rows per word),
    else ``case_words`` from the filtered cases — and otherwise cuts the
    summaries now ("raw", seconds at a million cases). "word_counts" and
    "case_words" raise :class:`WordsUnavailable` instead of falling back.
    ``tests/queries/test_hot_words.py`` holds the three equal.
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    if source != "raw":
        with engine.connect() as conn:
            if stored_words_current(conn):
                area = counts_area(flt)
                if area is _NOWHERE:
                    return pl.DataFrame(schema=_WORDS_SCHEMA)
                if area is not False and source != "case_words":
                    return _from_word_counts(conn, flt, area, limit, min_count)
                if source != "word_counts":
                    return _from_case_words(conn, flt, limit, min_count)
                raise WordsUnavailable("word_counts hold the county and single townships, not this filter")
        if source != "auto":
            raise WordsUnavailable("the stored words are missing, or were built for other data or another rule")
    return _from_summaries(engine, flt, limit, min_count)


_CASES_SCHEMA = {"case_id": pl.Int64, "case_number": pl.String, "received_on": pl.Date}


def hot_word_cases(engine: Engine, flt: CaseFilter, word: str, *, limit: int = CASE_LIST_LIMIT,
                   source: str = "auto") -> pl.DataFrame:
    """The cases of the month of ``flt.end`` whose summary has ``word`` among its words (for a masked list).

    Columns ``case_id``, ``case_number``, ``received_on``, oldest first; no
    personal data. A word that is a name or a place (never a hot word)
    lists no case. ``source`` as for :func:`hot_words` ("word_counts" is
    "case_words" here).
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    month, _, _, last_day = _month_range(flt)
    c = metrics.c
    in_month = (c.received_on >= month, c.received_on <= last_day, *dimension_clauses(flt))
    order = (c.received_on, c.case_number)
    if source != "raw":
        with engine.connect() as conn:
            if stored_words_current(conn):
                w, cw = words.c, case_words.c
                statement = (
                    select(c.id, c.case_number, c.received_on)
                    .select_from(metrics.cases.join(case_words, cw.case_id == c.id).join(words, w.id == cw.word_id))
                    .where(w.word == word, not_(w.is_place), not_(w.is_name), *in_month)
                    .order_by(*order)
                    .limit(limit)
                )
                return _case_frame(conn.execute(statement).all())
        if source != "auto":
            raise WordsUnavailable("the stored words are missing, or were built for other data or another rule")
    pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    statement = select(c.id, c.case_number, c.received_on, c.summary).where(
        c.summary.like(pattern, escape="\\"), *in_month).order_by(*order)
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
        if not rows:
            return pl.DataFrame(schema=_CASES_SCHEMA)
        excluded = excluded_words(conn)
    return _case_frame([(r[0], r[1], r[2]) for r in rows if word in words_of(r[3], excluded)][:limit])


def _case_frame(rows) -> pl.DataFrame:
    return pl.DataFrame([(r[0], r[1], as_date(r[2])) for r in rows], schema=_CASES_SCHEMA, orient="row")
