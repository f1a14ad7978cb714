"""The leaders' reception calendar: which day the "15th of the month" session falls on.

霞浦's rule (DOMAIN.md): the county party secretary and the county head receive
petitioners at the county reception centre on the 15th of every month. When
the 15th is not a working day it moves, by the configurable
``Settings.reception_day_rule``, to the next or the previous working day.

Working days come from the ``holidays`` package, which knows China's statutory
holidays and the make-up working days (调休) that the State Council announces
each year: a Saturday that is a make-up day counts as a working day, and a
weekday inside the Spring Festival break does not. Nothing here is hard-coded.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

RECEPTION_DAY_RULES = ("next_working_day", "previous_working_day")
RECEPTION_DAY_OF_MONTH = 15
# A move longer than this means the calendar is broken (the longest Chinese
# break, Spring Festival or National Day, is 8-9 days).
_MAX_SHIFT_DAYS = 31


@lru_cache(maxsize=64)
def _china(year: int) -> holidays.HolidayBase:
    # en_US names so that spring_festival() can look the holiday up by name
    # whatever the process locale.
    return holidays.China(years=year, language="en_US")


def is_working_day(day: date) -> bool:
    """True on a Chinese working day: a weekday that is no holiday, or a make-up working day (调休)."""
    return _china(day.year).is_working_day(day)


def shift_to_working_day(day: date, rule: str = "next_working_day") -> date:
    """``day`` itself if it is a working day, else the next or previous one according to ``rule``."""
    if rule not in RECEPTION_DAY_RULES:
        raise ValueError(f"unknown reception day rule {rule!r}; expected one of {', '.join(RECEPTION_DAY_RULES)}")
    step = timedelta(days=1 if rule == "next_working_day" else -1)
    moved = day
    for _ in range(_MAX_SHIFT_DAYS):
        if is_working_day(moved):
            return moved
        moved += step
    raise ValueError(f"no working day within {_MAX_SHIFT_DAYS} days of {day.isoformat()}")


def monthly_reception_day(year: int, month: int, rule: str = "next_working_day") -> date:
    """The day of the county leaders' monthly reception in ``year``-``month``.

    The 15th, moved to a working day by ``rule`` ("next_working_day" or
    "previous_working_day") when it is a weekend or a public holiday.
    Example: 2025-03-15 is a Saturday, so "next_working_day" gives Monday
    2025-03-17.
    """
    return shift_to_working_day(date(year, month, RECEPTION_DAY_OF_MONTH), rule)


def monthly_reception_days(start: date, end: date, rule: str = "next_working_day") -> list[date]:
    """Every monthly reception day for the months from ``start``'s through ``end``'s (inclusive)."""
    days = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        days.append(monthly_reception_day(year, month, rule))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def spring_festival(year: int) -> date:
    """The first day of the lunar new year (春节) in ``year``, from the holidays package."""
    days = _china(year).get_named("Chinese New Year (Spring Festival)", lookup="exact")
    if not days:
        raise ValueError(f"the holidays package knows no Spring Festival in {year}")
    return min(days)
