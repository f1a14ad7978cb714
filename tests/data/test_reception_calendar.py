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
    is_working_day,
    monthly_reception_day,
    monthly_reception_days,
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
