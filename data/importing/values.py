"""Parsing cell texts as real exports write them, a whole column at a time (Polars).

Every parser takes a Series of cell texts (None for an empty cell) and
returns the parsed Series and a Series of problems (None where the cell is
fine), so that the caller can quarantine a row naming the column and why.

Texts are first normalised: NFKC turns full-width digits, letters and
punctuation (２０２４／３／５, ＡＢＣ) into their ASCII forms and the ideographic
space into a space; stray spaces are then collapsed or removed.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from data.models import CHANNEL_VALUES

# Dates of petitions to a county still in service: nothing before this.
MIN_YEAR = 1980
MAX_YEAR = 2100
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's 1900 date system, its leap-year bug included
SERIAL_MIN = (date(MIN_YEAR, 1, 1) - EXCEL_EPOCH).days
SERIAL_MAX = (date(MAX_YEAR, 12, 31) - EXCEL_EPOCH).days

_DATE_YMD = (
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*T?\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DATE_COMPACT = r"^(\d{4})(\d{2})(\d{2})(?:\.0+)?$"
_DATE_SERIAL = r"^(\d{5})(?:\.\d+)?$"

YES_WORDS = ("是", "Y", "YES", "1", "√", "✓", "✔", "TRUE", "T", "对", "有", "已延期", "延期")
NO_WORDS = ("否", "N", "NO", "0", "×", "✗", "✘", "X", "FALSE", "F", "无", "不是", "未延期", "-", "/")

CHANNEL_WORDS = {
    "来信": "letter", "信件": "letter", "写信": "letter", "信": "letter",
    "来访": "visit", "走访": "visit", "到访": "visit", "访": "visit",
    "网上信访": "online", "网上": "online", "网信": "online", "网络": "online", "网上投诉": "online",
    "网络信访": "online", "网上来信": "online",
    "电话": "phone", "来电": "phone", "电话信访": "phone", "热线": "phone",
    "领导接访": "leader_reception", "领导接待": "leader_reception", "领导接访日": "leader_reception",
}
SATISFACTION_WORDS = {
    "满意": "satisfied", "非常满意": "satisfied",
    "基本满意": "basically_satisfied", "比较满意": "basically_satisfied",
    "不满意": "dissatisfied",
    "未评价": None, "未参评": None, "不评价": None, "未评": None, "无": None, "-": None, "/": None,
}
OUTCOME_WORDS = {
    "已化解": "resolved", "化解": "resolved", "已解决": "resolved", "是": "resolved",
    "未化解": "unresolved", "未解决": "unresolved", "否": "unresolved",
}


def clean(s: pl.Series) -> pl.Series:
    """NFKC, stray spaces collapsed and trimmed; blank → None."""
    out = s.cast(pl.Utf8).str.normalize("NFKC").str.replace_all(r"\s+", " ").str.strip_chars()
    return out.replace("", None)


def compact(s: pl.Series) -> pl.Series:
    """NFKC and every space removed (names, codes, numbers); blank → None."""
    out = s.cast(pl.Utf8).str.normalize("NFKC").str.replace_all(r"\s+", "")
    return out.replace("", None)


def parse_dates(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Dates from date cells, text forms and Excel serial numbers.

    Problems: ``"unreadable"`` (no known form) or ``"impossible"`` (a known form
    naming no real day, e.g. 2024-02-30, or a year outside 1980–2100).
    """
    text = clean(s)
    df = pl.DataFrame({"t": text})
    ymd = df.select(pl.col("t").str.extract_groups(_DATE_YMD).alias("g")).unnest("g")
    ymd.columns = ["y1", "m1", "d1"]
    compact_ = df.select(pl.col("t").str.extract_groups(_DATE_COMPACT).alias("g")).unnest("g")
    compact_.columns = ["y2", "m2", "d2"]
    frame = pl.concat([df, ymd, compact_], how="horizontal").with_columns(
        serial=pl.col("t").str.extract(_DATE_SERIAL, 1).cast(pl.Int64),
        y=pl.coalesce("y1", "y2").cast(pl.Int32),
        m=pl.coalesce("m1", "m2").cast(pl.Int32),
        d=pl.coalesce("d1", "d2").cast(pl.Int32),
    )
    frame = frame.with_columns(
        from_text=pl.when(pl.col("y").is_between(MIN_YEAR, MAX_YEAR))
        .then(
            pl.format(
                "{}-{}-{}",
                pl.col("y").cast(pl.Utf8),
                pl.col("m").cast(pl.Utf8).str.zfill(2),
                pl.col("d").cast(pl.Utf8).str.zfill(2),
            ).str.to_date("%Y-%m-%d", strict=False)
        ),
        from_serial=pl.when(pl.col("serial").is_between(SERIAL_MIN, SERIAL_MAX)).then(
            pl.lit(EXCEL_EPOCH) + pl.duration(days=pl.col("serial"))
        ),
    ).with_columns(value=pl.coalesce("from_text", pl.col("from_serial").cast(pl.Date)))
    frame = frame.with_columns(
        problem=pl.when(pl.col("t").is_null() | pl.col("value").is_not_null())
        .then(None)
        .when(pl.col("y").is_not_null() | pl.col("serial").is_not_null())
        .then(pl.lit("impossible"))
        .otherwise(pl.lit("unreadable"))
    )
    return frame["value"].alias(s.name), frame["problem"].alias(s.name)


def _word_map(s: pl.Series, words: dict[str, object], dtype) -> tuple[pl.Series, pl.Series]:
    key = compact(s).str.to_uppercase()
    lookup = {k.upper(): v for k, v in words.items()}
    known = key.is_in(list(lookup)) | key.is_null()
    values = key.replace_strict(lookup, default=None, return_dtype=dtype)
    problem = pl.Series(s.name, [None] * len(s), dtype=pl.Utf8).set(~known, "unknown")
    return values.alias(s.name), problem


def parse_yes_no(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    """是/否, Y/N, 1/0, √/×, TRUE/FALSE; a blank cell is 否."""
    words: dict[str, object] = {w: True for w in YES_WORDS} | {w: False for w in NO_WORDS}
    words |= {"1.0": True, "0.0": False}
    values, problem = _word_map(s, words, pl.Boolean)
    return values.fill_null(False), problem


def parse_channel(s: pl.Series, extra: dict[str, str] | None = None) -> tuple[pl.Series, pl.Series]:
    """来信/来访/网上信访/电话/领导接访 and common variants; the English keys too. Blank is a problem."""
    words: dict[str, object] = dict(CHANNEL_WORDS) | {v: v for v in CHANNEL_VALUES}
    for word, target in (extra or {}).items():
        words[re.sub(r"\s+", "", word)] = words.get(target, target if target in CHANNEL_VALUES else None)
    words = {k: v for k, v in words.items() if v is not None}
    values, problem = _word_map(s, words, pl.Utf8)
    problem = problem.set(compact(s).is_null(), "missing")
    return values, problem


def parse_satisfaction(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    """满意/基本满意/不满意; 未评价 or blank → None (not rated)."""
    return _word_map(s, SATISFACTION_WORDS, pl.Utf8)


def parse_outcome(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    """已化解 → resolved, 未化解 → unresolved, blank → None."""
    return _word_map(s, OUTCOME_WORDS, pl.Utf8)


def parse_headcount(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    """A whole number of people ("5", "5人", "5.0"); blank → None (stored as 1 on a new case)."""
    text = compact(s)
    number = text.str.extract(r"^(\d{1,6})(?:\.0+)?人?$", 1).cast(pl.Int64)
    bad = (text.is_not_null() & (number.is_null() | (number < 1))).fill_null(True) & text.is_not_null()
    problem = pl.Series(s.name, [None] * len(s), dtype=pl.Utf8).set(bad, "unknown")
    return number.alias(s.name), problem


def normalise_id_number(s: pl.Series) -> pl.Series:
    return compact(s).str.replace_all(r"[-‐]", "").str.to_uppercase()


def normalise_phone(s: pl.Series) -> pl.Series:
    text = compact(s)
    # A phone typed into a number cell reads back as 13812345678.0 from some writers.
    return text.str.replace(r"^(\d{7,12})\.0+$", "$1")


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number_valid(value: str | None) -> bool:
    """GB 11643-1999: 17 digits and a check character (0–9 or X) from the weighted sum mod 11.

    A 15-digit number (issued before 1999) has no check character: it is
    accepted when it is all digits.
    """
    if not value:
        return True  # nothing to flag
    if len(value) == 15:
        return value.isdigit()
    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17].upper()


_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(?:\+?86)?(?:0\d{2,3}-?)?[2-9]\d{6,7}(?:-\d{1,5})?$")


def phone_valid(value: str | None) -> bool:
    """A mainland mobile (1[3-9] + 9 digits) or landline (area code optional); several split by / 、 , ；."""
    if not value:
        return True
    parts = [p for p in re.split(r"[/、,，;；]", value) if p]
    return bool(parts) and all(_MOBILE.match(p) or _LANDLINE.match(p) for p in parts)


def id_numbers_valid(s: pl.Series) -> pl.Series:
    """:func:`id_number_valid` for a whole column at once (None counts as valid: nothing to flag)."""
    text = s.cast(pl.Utf8)
    n18 = text.str.len_chars() == 18
    digits17 = text.str.contains(r"^\d{17}[0-9X]$")
    total = pl.Series([0] * len(s), dtype=pl.Int64)
    safe = text.fill_null("").str.pad_end(18, "0")
    for i, weight in enumerate(_ID_WEIGHTS):
        digit = safe.str.slice(i, 1).cast(pl.Int64, strict=False).fill_null(0)
        total = total + digit * weight
    expected = (total % 11).replace_strict(dict(enumerate(_ID_CHECK)), return_dtype=pl.Utf8)
    checksum_ok = n18 & digits17 & (safe.str.slice(17, 1) == expected)
    old_format = (text.str.len_chars() == 15) & text.str.contains(r"^\d{15}$")
    return (text.is_null() | (text == "") | checksum_ok | old_format).fill_null(False)


def phones_valid(s: pl.Series) -> pl.Series:
    """:func:`phone_valid` for a whole column at once."""
    text = s.cast(pl.Utf8)
    parts = text.str.replace_all(r"[/、,，;；]", "/").str.split("/")
    ok = parts.list.eval(
        pl.element().filter(pl.element() != "").str.contains(_MOBILE.pattern)
        | pl.element().filter(pl.element() != "").str.contains(_LANDLINE.pattern)
    )
    has_part = parts.list.eval(pl.element().filter(pl.element() != "")).list.len() > 0
    return (text.is_null() | (text == "") | (ok.list.all() & has_part)).fill_null(False)
