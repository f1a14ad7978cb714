"""The leaders' reception calendar: which day the "15th of the month" session falls on.

霞浦's rule (DOMAIN.md): the county party secretary and the county head receive
petitioners at the county reception centre on the 15th of every month. When
the 15th is not a working day it moves, by the configurable
``Settings.reception_day_rule``, to the next or the previous working day.

Working days come from the ``holidays`` package, which knows China's statutory
holidays and the make-up working days (调休) that the State Council announces
each year: a Saturday that is a make-up day counts as a working day, and a
weekday inside the Spring Festival break does not. Nothing here is hard-coded.

Planning ahead (issue 11): ``holidays`` knows the make-up days only for the
years whose notice the State Council has published (国务院办公厅关于某年部分节假日
安排的通知, each November for the next year) and silently computes later years
from rules, with guessed "observed" days and no make-up days. So a planned day
in a year the package has no notice for is worked out from weekends alone and
marked *provisional* (暂定) until a release of the package knows that year:
see :func:`announced_years`, :func:`is_announced` and :func:`plan_day`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

RECEPTION_DAY_RULES = ("next_working_day", "previous_working_day")
# A schedule rule's shift may also keep the day as it is (a weekend open day).
SHIFT_RULES = (*RECEPTION_DAY_RULES, "keep")
# The notice for year Y+1 can put a New Year bridge into the last days of Y
# (the 2002 notice made Sat 29 and Sun 30 December 2001 working days, the
# 2006 notice Sat 31 December 2005): from this day of December on, a day is
# known only when the next year is announced too.
LATE_DECEMBER_FROM = 25
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


# --- planning ahead: which years are announced -----------------------------------


@lru_cache(maxsize=1)
def announced_years() -> frozenset[int]:
    """The years whose holiday notice (with its make-up working days, 调休) the holidays package holds.

    Read from the package itself, so a newer release that knows another year
    extends this without a code change: ``China.special_public_holidays``
    lists, per year, the days the State Council's notice moved; an entry with
    a "from" date (four or five items) is a day off swapped for a make-up
    working day, which only a published notice can give. Every notice since
    2001 has had at least one. Years the package computes from rules alone
    (2027 on in release 0.109) have no such entry.
    """
    moved = holidays.China().special_public_holidays
    years = set()
    for year, entries in moved.items():
        entries = entries if entries and isinstance(entries[0], tuple) else (entries,)
        if any(len(entry) >= 4 for entry in entries):
            years.add(int(year))
    return frozenset(years)


def is_announced(day: date) -> bool:
    """True when whether ``day`` is a working day comes from a published notice, not a guess.

    Its year must be announced; a day from 25 December on also needs the next
    year announced (see :data:`LATE_DECEMBER_FROM`).
    """
    years = announced_years()
    if day.year not in years:
        return False
    return not (day.month == 12 and day.day >= LATE_DECEMBER_FROM and day.year + 1 not in years)


def is_planning_working_day(day: date) -> bool:
    """A working day for planning: the notice's answer when announced, Monday to Friday otherwise."""
    return is_working_day(day) if is_announced(day) else day.weekday() < 5


@dataclass(frozen=True)
class PlannedDay:
    """A rule's nominal day moved to the day it is planned on.

    ``provisional`` (暂定) is True when the move rests on a day whose year has
    no published notice: the day was judged by weekends alone and may change
    when the notice comes out. A rule that keeps its day is never provisional:
    no calendar decides it.
    """

    nominal: date
    day: date
    provisional: bool


def plan_day(nominal: date, shift: str = "next_working_day") -> PlannedDay:
    """``nominal`` moved by ``shift`` ("next_working_day", "previous_working_day" or "keep").

    Working days are :func:`is_planning_working_day`'s. Examples: 2025-03-15
    is a Saturday, so "next_working_day" gives Monday 2025-03-17; 2025-01-26
    is a Sunday but a make-up working day (Spring Festival 2025), so it stays.
    """
    if shift not in SHIFT_RULES:
        raise ValueError(f"unknown shift rule {shift!r}; expected one of {', '.join(SHIFT_RULES)}")
    if shift == "keep":
        return PlannedDay(nominal, nominal, False)
    step = timedelta(days=1 if shift == "next_working_day" else -1)
    moved, provisional = nominal, False
    for _ in range(_MAX_SHIFT_DAYS):
        # Every day looked at decides the result: one unannounced day makes it provisional.
        provisional = provisional or not is_announced(moved)
        if is_planning_working_day(moved):
            return PlannedDay(nominal, moved, provisional)
        moved += step
    raise ValueError(f"no working day within {_MAX_SHIFT_DAYS} days of {nominal.isoformat()}")


def nominal_day(year: int, month: int, day_of_month: int) -> date:
    """Day ``day_of_month`` of the month, or the month's last day when it is shorter (31 -> 30 April)."""
    if not 1 <= day_of_month <= 31:
        raise ValueError(f"day of month must be 1..31, not {day_of_month}")
    return date(year, month, min(day_of_month, calendar.monthrange(year, month)[1]))
