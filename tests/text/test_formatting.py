"""Numbers as the screen shows them (METRICS.md: one decimal, "—" for an empty denominator)."""

from datetime import date

import pytest

from text.formatting import (
    change_direction,
    format_change,
    format_count,
    format_month,
    format_period,
    format_rate,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.978, "97.8%"),
        (0.9785, "97.9%"),  # half-up on the value as stored, not 97.849999…
        (0.96849, "96.8%"),
        (1.0, "100.0%"),
        (0.0, "0.0%"),
        (2 / 3, "66.7%"),
        (None, "—"),
    ],
)
def test_format_rate(value, expected):
    assert format_rate(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(0, "0"), (7, "7"), (4012, "4,012"), (None, "—")])
def test_format_count(value, expected):
    assert format_count(value) == expected


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [(120, 108, "+12"), (95, 100, "-5"), (3, 3, "0"), (2500, 1000, "+1,500"), (None, 4, "—"), (4, None, "—")],
)
def test_count_change(current, previous, expected):
    assert format_change(current, previous, kind="count", lang="zh") == expected


@pytest.mark.parametrize(
    ("current", "previous", "zh", "en"),
    [
        (0.978, 0.966, "+1.2 个百分点", "+1.2 pp"),
        (0.90, 0.925, "-2.5 个百分点", "-2.5 pp"),
        # Difference of the displayed figures: 97.8% - 96.9% = 0.9, though the raw gap is 0.98 pp.
        (0.9784, 0.9686, "+0.9 个百分点", "+0.9 pp"),
        (0.5, 0.5, "0.0 个百分点", "0.0 pp"),
        (None, 0.5, "—", "—"),
        (0.5, None, "—", "—"),
    ],
)
def test_rate_change(current, previous, zh, en):
    assert format_change(current, previous, kind="rate", lang="zh") == zh
    assert format_change(current, previous, kind="rate", lang="en") == en


def test_change_direction():
    assert change_direction(5, 3) == 1
    assert change_direction(3, 5) == -1
    assert change_direction(3, 3) == 0
    assert change_direction(0.50001, 0.5, kind="rate") == 0  # equal once shown to one decimal
    assert change_direction(None, 3) is None


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError):
        format_change(1, 2, kind="ratio", lang="zh")


def test_months_and_periods():
    assert format_month(date(2026, 5, 1), "zh") == "2026年5月"
    assert format_month(date(2026, 5, 1), "en") == "May 2026"
    assert format_period(date(2026, 5, 1), date(2026, 5, 31), "zh") == "2026年5月"
    assert format_period(date(2026, 1, 1), date(2026, 6, 30), "zh") == "2026年1月至2026年6月"
    assert format_period(date(2026, 1, 1), date(2026, 6, 30), "en") == "January 2026 – June 2026"


def test_default_language_outside_streamlit_is_chinese():
    assert format_change(0.6, 0.5, kind="rate") == "+10.0 个百分点"


def test_month_ticks():
    from text.formatting import format_month_tick

    assert format_month_tick(date(2026, 5, 1), lang="zh") == "5月"
    assert format_month_tick(date(2026, 5, 1), first=True, lang="zh") == "5月<br>2026年"
    assert format_month_tick(date(2027, 1, 1), lang="zh") == "1月<br>2027年"
    assert format_month_tick(date(2026, 5, 1), lang="en") == "May"
    assert format_month_tick(date(2027, 1, 1), lang="en") == "Jan<br>2027"


def test_plain_markdown_escapes_links_directives_and_html():
    from text.formatting import plain_markdown

    assert plain_markdown("征地补偿") == "征地补偿"
    assert plain_markdown("[x](http://e.com)") == r"\[x\]\(http\:\/\/e\.com\)".replace(r"\/", "/")
    assert plain_markdown(":red[危]") == r"\:red\[危\]"
    assert plain_markdown("<img src=x>") == r"\<img src=x\>"
