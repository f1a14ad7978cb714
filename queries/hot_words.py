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
  ``城北``+``街道``), and any word equal to the name, or the given name, of a
  petitioner of the period.
* A word is counted **once per petitioner per month**, however many letters
  that person wrote (a petitioner is their ID number, else their phone, else
  their name, else the case); so one person writing forty letters cannot
  make a hot word, and their name is never one.
* ``count`` is this month's number of petitioners using the word;
  ``previous`` the mean over the three months before; the hot words are
  those with ``count`` ≥ :data:`MIN_COUNT` that rose (``count − previous``
  > 0), most risen first.

Personal data: the petitioners' names, ID numbers and phone numbers are read
here only to tell petitioners apart (kept as a one-way digest) and to know
which words are names; none of them leaves this module, and no word that
equals one is ever returned.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from datetime import date
from functools import lru_cache

import polars as pl
from sqlalchemy import Engine, select

from data.models import Park, Petitioner, Township
from queries import metrics
from queries.filters import CaseFilter, add_months
from queries.scope import dimension_clauses
from queries.sql_dates import as_date

PREVIOUS_MONTHS = 3
MIN_COUNT = 3
DEFAULT_LIMIT = 20
CASE_LIST_LIMIT = 200

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


def words_of(text: str, excluded: frozenset[str] = frozenset()) -> set[str]:
    """The distinct hot-word candidates of one summary (the rule: module docstring)."""
    tagged = _segmenter().tag(text, True)
    out = set()
    for i, (word, tag) in enumerate(tagged):
        if (not _CHINESE_WORD.match(word) or tag in DROPPED_TAGS or word in STOP_WORDS or word in PLACE_SUFFIXES
                or word in excluded):
            continue
        if i + 1 < len(tagged) and tagged[i + 1][0] in PLACE_SUFFIXES:
            continue  # 桥头 of 桥头村, 城北 of 城北街道
        if word.endswith("村") and word not in _VILLAGE_LIKE_WORDS:
            continue  # a village the segmenter kept whole
        out.add(word)
    return out


def _petitioner_key(case_id: int, name: str | None, id_number: str | None, phone: str | None) -> bytes:
    """A one-way digest that tells petitioners apart; the raw values go no further."""
    for kind, value in (("id", id_number), ("phone", phone), ("name", name)):
        value = re.sub(r"\s+", "", value or "").upper()
        if value:
            return hashlib.blake2b(f"{kind}:{value}".encode(), digest_size=16).digest()
    return hashlib.blake2b(f"case:{case_id}".encode(), digest_size=16).digest()


def _month_number(d: date) -> int:
    return d.year * 12 + d.month - 1


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


def _place_names(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [*conn.execute(select(Township.name)).scalars(), *conn.execute(select(Park.name)).scalars()]


def hot_words(engine: Engine, flt: CaseFilter, *, limit: int = DEFAULT_LIMIT, min_count: int = MIN_COUNT) -> pl.DataFrame:
    """The words that rose most in the month of ``flt.end`` against the three months before it.

    Columns: ``word``, ``count`` (petitioners using it this month),
    ``previous`` (the mean over the three months before), ``rise``
    (count − previous); at most ``limit`` rows, most risen first (ties: more
    this month, then the word). Empty when no summary qualifies.
    """
    month = flt.end.replace(day=1)
    first = add_months(month, -PREVIOUS_MONTHS)
    rows = _texts(engine, flt, first, add_months(month, 0, last_day=True))
    names = name_words({r[3] for r in rows if r[3]})
    excluded = place_words(_place_names(engine)) | names
    # month -> word -> petitioners (digests); a petitioner's words are a set, so each counts once.
    users: dict[int, dict[str, set[bytes]]] = defaultdict(lambda: defaultdict(set))
    this_month = _month_number(month)
    seen: dict[str, set[str]] = {}  # the same letter sent again is cut once
    for case_id, received_on, summary, name, id_number, phone in rows:
        received = as_date(received_on)
        key = _petitioner_key(case_id, name, id_number, phone)
        bucket = users[this_month - _month_number(received)]
        words = seen.get(summary)
        if words is None:
            words = seen[summary] = words_of(summary, excluded)
        for word in words:
            bucket[word].add(key)
    current = {w: len(who) for w, who in users[0].items()}
    scored = []
    for word, count in current.items():
        previous = sum(len(users[k].get(word, ())) for k in range(1, PREVIOUS_MONTHS + 1)) / PREVIOUS_MONTHS
        if count >= min_count and count > previous:
            scored.append((word, count, previous, count - previous))
    scored.sort(key=lambda r: (-r[3], -r[1], r[0]))
    return pl.DataFrame(scored[:limit], schema=_WORDS_SCHEMA, orient="row")


def hot_word_cases(engine: Engine, flt: CaseFilter, word: str, *, limit: int = CASE_LIST_LIMIT) -> pl.DataFrame:
    """The cases of the month of ``flt.end`` whose summary has ``word`` among its words (for a masked list).

    Columns ``case_id``, ``case_number``, ``received_on``, oldest first; no
    personal data. A word that is a name or a place (never a hot word)
    lists no case.
    """
    schema = {"case_id": pl.Int64, "case_number": pl.String, "received_on": pl.Date}
    month = flt.end.replace(day=1)
    c = metrics.c
    pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    statement = (
        select(c.id, c.case_number, c.received_on, c.summary)
        .where(c.received_on >= month, c.received_on <= add_months(month, 0, last_day=True),
               c.summary.like(pattern, escape="\\"), *dimension_clauses(flt))
        .order_by(c.received_on, c.case_number)
    )
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
    if not rows:
        return pl.DataFrame(schema=schema)
    # The same names as hot_words excludes: the petitioners of the four months.
    p = Petitioner.__table__.c
    period = (c.received_on >= add_months(month, -PREVIOUS_MONTHS), c.received_on <= add_months(month, 0, last_day=True))
    with engine.connect() as conn:
        names = name_words(set(conn.execute(
            select(p.name).select_from(metrics.cases.join(Petitioner.__table__, p.case_id == c.id))
            .where(*period, p.name.is_not(None), *dimension_clauses(flt))
        ).scalars()))
    excluded = place_words(_place_names(engine)) | names
    found = [(r[0], r[1], r[2]) for r in rows if word in words_of(r[3], excluded)][:limit]
    return pl.DataFrame(found, schema=schema, orient="row")
