"""How numbers, rates, changes and periods are written on screen (no Streamlit here).

METRICS.md: rates are shown as percentages with one decimal; a rate whose
denominator is zero (None) is shown as "—", never as 0% or 100%. Changes
(环比 / 同比) are a difference of counts, or of percentage points for rates.

Every function takes an optional ``lang``; without it the session's language
(:func:`text.i18n.current_language`) is used.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from text.i18n import DASH, current_language, translate

# Deltas start with an ASCII "-" (not "−"): st.metric reads the sign from it.
_MINUS = "-"


def _percent(x: float) -> Decimal:
    """``x`` (a fraction) as a percentage rounded half-up to one decimal.

    Decimal(repr(x)) keeps the number the database computed (0.9785 stays
    0.9785, not 0.97849999…), so 97.85% shows as 97.9% as a person expects.
    """
    return (Decimal(repr(float(x))) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def format_rate(x: float | None) -> str:
    """0.978 -> "97.8%"; None -> "—"."""
    if x is None:
        return DASH
    return f"{_percent(x)}%"


def format_count(n: int | None) -> str:
    """4012 -> "4,012"; None -> "—"."""
    if n is None:
        return DASH
    return f"{int(n):,}"


def count_change(current: int | None, previous: int | None) -> int | None:
    if current is None or previous is None:
        return None
    return int(current) - int(previous)


def rate_change(current: float | None, previous: float | None) -> Decimal | None:
    """Difference in percentage points of the two rates *as displayed*.

    Taking the difference of the rounded figures keeps the screen consistent:
    97.8% beside 96.9% reads "+0.9", which a reader can check by eye.
    """
    if current is None or previous is None:
        return None
    return _percent(current) - _percent(previous)


def _signed(value) -> str:
    if value > 0:
        return f"+{value:,}"
    if value < 0:
        return f"{_MINUS}{-value:,}"
    return f"{value:,}"


def format_change(current, previous, *, kind: str = "count", lang: str | None = None) -> str:
    """环比 / 同比 text: "+12" for counts, "+1.2 个百分点" / "+1.2 pp" for rates, "—" if either is None."""
    lang = lang or current_language()
    if kind == "rate":
        diff = rate_change(current, previous)
        if diff is None:
            return DASH
        return f"{_signed(diff)} {translate('change.pp', lang)}"
    if kind != "count":
        raise ValueError(f"unknown kind of change: {kind!r}")
    diff = count_change(current, previous)
    return DASH if diff is None else _signed(diff)


def change_direction(current, previous, *, kind: str = "count") -> int | None:
    """-1, 0 or +1 for the change as displayed, None when it cannot be computed."""
    diff = rate_change(current, previous) if kind == "rate" else count_change(current, previous)
    if diff is None:
        return None
    return (diff > 0) - (diff < 0)


def format_month(d: date, lang: str | None = None) -> str:
    """date(2026, 5, 1) -> "2026年5月" / "May 2026"."""
    lang = lang or current_language()
    return translate("period.month", lang, year=d.year, month=d.month, month_name=calendar.month_name[d.month])


def format_month_short(d: date, lang: str | None = None) -> str:
    """Compact label: "2026-05" in both languages (sorts, no ambiguity)."""
    return f"{d.year:04d}-{d.month:02d}"


def format_month_tick(d: date, *, first: bool = False, lang: str | None = None) -> str:
    """A chart's month tick: "5月" / "May", with the year under the first tick and under January.

    Short enough for 13 ticks side by side on half a projected screen.
    """
    lang = lang or current_language()
    label = f"{d.month}月" if lang == "zh" else calendar.month_abbr[d.month]
    if first or d.month == 1:
        label += f"<br>{d.year}" + ("年" if lang == "zh" else "")
    return label


def format_period(start: date, end: date, lang: str | None = None) -> str:
    """One month, or "2026年1月至2026年6月" / "January 2026 – June 2026"."""
    lang = lang or current_language()
    if (start.year, start.month) == (end.year, end.month):
        return format_month(start, lang)
    return translate("period.range", lang, start=format_month(start, lang), end=format_month(end, lang))


# Markdown's punctuation, Streamlit's directives (:red[…], :material/…:) and its LaTeX ($).
_MARKDOWN_SPECIALS = frozenset("\\`*_{}[]()#+-.!|<>:~$&")


def plain_markdown(value: object) -> str:
    """A value from data, safe inside Markdown: every special character backslash-escaped.

    A name such as ``[点我](http://x)`` or ``:red[…]`` then shows as written,
    never as a link, an image, a colour or HTML.
    """
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in str(value))
