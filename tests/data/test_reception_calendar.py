"""The 15th-of-month reception day and its weekend/holiday rule.

Expected dates worked out by hand from the State Council holiday notices (as
the holidays package records them):
- 2026 Spring Festival break: Sun 15 Feb to Mon 23 Feb off; Sat 14 Feb and
  Sat 28 Feb are make-up working days.
- 2024 Mid-Autumn break: Sun 15 Sep to Tue 17 Sep off; Sat 14 Sep is a
  make-up working day.
"""

from datetime import date

import pytest

from data.reception_calendar import (
    SHIFT_RULES,
    announced_years,
    is_announced,
    is_planning_working_day,
    is_working_day,
    monthly_reception_day,
    monthly_reception_days,
    nominal_day,
    plan_day,
    shift_to_working_day,
    spring_festival,
)


@pytest.mark.parametrize(
    ("year", "month", "rule", "expected"),
    [
        # A plain weekday stays put.
        (2025, 4, "next_working_day", date(2025, 4, 15)),  # Tuesday
        (2025, 4, "previous_working_day", date(2025, 4, 15)),
        # Saturday 15 March 2025: Monday 17th, or Friday 14th.
        (2025, 3, "next_working_day", date(2025, 3, 17)),
        (2025, 3, "previous_working_day", date(2025, 3, 14)),
        # Sunday 15 Feb 2026 opens the Spring Festival break (to Mon 23rd):
        # the first working day after it is Tuesday 24th...
        (2026, 2, "next_working_day", date(2026, 2, 24)),
        # ...and the working day before it is Saturday 14th, a make-up day (调休).
        (2026, 2, "previous_working_day", date(2026, 2, 14)),
        # Sunday 15 Sep 2024, Mid-Autumn break to Tue 17th: Wednesday 18th,
        # or the make-up Saturday 14th.
        (2024, 9, "next_working_day", date(2024, 9, 18)),
        (2024, 9, "previous_working_day", date(2024, 9, 14)),
    ],
)
def test_monthly_reception_day(year, month, rule, expected):
    assert monthly_reception_day(year, month, rule) == expected


def test_default_rule_is_next_working_day():
    assert monthly_reception_day(2025, 3) == date(2025, 3, 17)


def test_make_up_saturday_is_a_working_day_and_holiday_weekday_is_not():
    assert is_working_day(date(2026, 2, 14))  # Saturday, 调休 make-up day
    assert not is_working_day(date(2026, 2, 16))  # Monday, Spring Festival eve
    assert not is_working_day(date(2025, 3, 15))  # ordinary Saturday


def test_unknown_rule_is_rejected():
    with pytest.raises(ValueError, match="unknown reception day rule"):
        shift_to_working_day(date(2025, 3, 15), "nearest")


def test_monthly_reception_days_one_per_month_inclusive():
    days = monthly_reception_days(date(2024, 12, 20), date(2025, 3, 1))
    assert days == [date(2024, 12, 16), date(2025, 1, 15), date(2025, 2, 17), date(2025, 3, 17)]


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2023, date(2023, 1, 22)), (2024, date(2024, 2, 10)), (2025, date(2025, 1, 29)), (2026, date(2026, 2, 17))],
)
def test_spring_festival(year, expected):
    assert spring_festival(year) == expected


# --- planning ahead (issue 11) ------------------------------------------------------------
#
# Expected dates from the State Council notices (as the holidays package records them):
# - 2025 Spring Festival: Tue 28 Jan to Tue 4 Feb off; Sun 26 Jan and Sat 8 Feb are make-up working days.
# - 2025 National Day and Mid-Autumn: Wed 1 Oct to Wed 8 Oct off; Sun 28 Sep and Sat 11 Oct are make-up days.
# - 2021 Spring Festival: Thu 11 Feb to Wed 17 Feb off; Sun 7 Feb and Sat 20 Feb are make-up days.
# - 2018 Spring Festival: Thu 15 Feb to Wed 21 Feb off; Sun 11 Feb and Sat 24 Feb are make-up days.
# - 2026 Spring Festival: Sun 15 Feb to Mon 23 Feb off; Sat 14 Feb and Sat 28 Feb are make-up days.
# The 15th of October never falls in the National Day break (1–8 October at the longest), so the
# National Day cases use a rotation rule's day of month instead.


def test_announced_years_are_the_notices_the_package_holds():
    years = announced_years()
    assert {2018, 2021, 2024, 2025, 2026} <= years
    # holidays 0.109 (requirements.txt) has no notice for 2027 yet; update this line with the pin.
    assert 2027 not in years
    assert 2000 not in years  # notices are recorded from 2001 on


@pytest.mark.parametrize(
    ("nominal", "shift", "expected"),
    [
        # A 15th on a Saturday.
        (date(2025, 3, 15), "next_working_day", date(2025, 3, 17)),
        (date(2025, 3, 15), "previous_working_day", date(2025, 3, 14)),
        (date(2025, 11, 15), "next_working_day", date(2025, 11, 17)),
        # A 15th inside the Spring Festival break.
        (date(2026, 2, 15), "next_working_day", date(2026, 2, 24)),
        (date(2026, 2, 15), "previous_working_day", date(2026, 2, 14)),  # make-up Saturday
        (date(2021, 2, 15), "next_working_day", date(2021, 2, 18)),
        (date(2021, 2, 15), "previous_working_day", date(2021, 2, 10)),
        (date(2018, 2, 15), "next_working_day", date(2018, 2, 22)),
        (date(2018, 2, 15), "previous_working_day", date(2018, 2, 14)),
        # 2025 Spring Festival: a day inside the break, and both make-up days used as they are.
        (date(2025, 1, 28), "next_working_day", date(2025, 2, 5)),
        (date(2025, 1, 28), "previous_working_day", date(2025, 1, 27)),
        (date(2025, 1, 26), "next_working_day", date(2025, 1, 26)),  # Sunday, make-up working day
        (date(2025, 2, 8), "previous_working_day", date(2025, 2, 8)),  # Saturday, make-up working day
        (date(2025, 2, 9), "next_working_day", date(2025, 2, 10)),  # an ordinary Sunday
        # 2025 National Day break.
        (date(2025, 10, 1), "next_working_day", date(2025, 10, 9)),
        (date(2025, 10, 3), "previous_working_day", date(2025, 9, 30)),
        (date(2025, 10, 8), "next_working_day", date(2025, 10, 9)),
        (date(2025, 9, 28), "next_working_day", date(2025, 9, 28)),  # Sunday, make-up working day
        (date(2025, 10, 11), "next_working_day", date(2025, 10, 11)),  # Saturday, make-up working day
        # "keep" keeps a weekend or a holiday.
        (date(2025, 10, 1), "keep", date(2025, 10, 1)),
        (date(2025, 3, 15), "keep", date(2025, 3, 15)),
    ],
)
def test_plan_day_in_announced_years(nominal, shift, expected):
    planned = plan_day(nominal, shift)
    assert planned.day == expected
    assert planned.nominal == nominal
    assert planned.provisional is False


def test_unannounced_year_is_planned_on_weekends_alone_and_provisional():
    # 2027: Saturday 15 May -> Monday 17 May, provisional.
    assert plan_day(date(2027, 5, 15)) == plan_day(date(2027, 5, 15), "next_working_day")
    planned = plan_day(date(2027, 5, 15))
    assert (planned.day, planned.provisional) == (date(2027, 5, 17), True)
    assert plan_day(date(2027, 5, 15), "previous_working_day").day == date(2027, 5, 14)
    # Wednesday 15 September 2027 is Mid-Autumn Festival by law, but until the 2027 notice is out
    # only weekends count: the day stays, marked provisional (the office adjusts it by hand).
    assert plan_day(date(2027, 9, 15)) == type(planned)(date(2027, 9, 15), date(2027, 9, 15), True)
    # An ordinary weekday of an unannounced year is provisional too: the notice could still take it.
    assert plan_day(date(2027, 3, 15)).provisional is True
    assert is_planning_working_day(date(2027, 10, 1))  # a Friday: weekends alone
    assert not is_planning_working_day(date(2027, 10, 2))
    # The package's own rule-computed guess for 2027 says otherwise; we do not use it.
    assert not is_working_day(date(2027, 10, 1))
    # Keeping the day needs no calendar: never provisional.
    assert plan_day(date(2027, 5, 15), "keep").provisional is False


def test_late_december_waits_for_next_years_notice():
    assert is_announced(date(2026, 12, 24))
    assert not is_announced(date(2026, 12, 25))  # the 2027 notice could still bridge New Year into it
    assert plan_day(date(2026, 12, 27)) == type(plan_day(date(2026, 1, 5)))(
        date(2026, 12, 27), date(2026, 12, 28), True)
    assert plan_day(date(2025, 12, 27)).provisional is False  # 2026 is announced


def test_a_year_becomes_certain_once_the_package_knows_it(monkeypatch):
    from data import reception_calendar

    monkeypatch.setattr(reception_calendar, "announced_years", lambda: frozenset({2025, 2026, 2027, 2028}))
    planned = plan_day(date(2027, 9, 15))
    # Now the package's 2027 calendar decides (Mid-Autumn off), and the day is no longer provisional.
    assert planned.provisional is False
    assert planned.day == date(2027, 9, 16)


def test_unknown_shift_is_rejected():
    assert SHIFT_RULES == ("next_working_day", "previous_working_day", "keep")
    with pytest.raises(ValueError, match="unknown shift rule"):
        plan_day(date(2025, 3, 15), "nearest")


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [(2026, 2, 31, date(2026, 2, 28)), (2024, 2, 30, date(2024, 2, 29)), (2026, 4, 31, date(2026, 4, 30)),
     (2026, 3, 15, date(2026, 3, 15))],
)
def test_nominal_day_is_clamped_to_the_month(year, month, day, expected):
    assert nominal_day(year, month, day) == expected
