"""The one filter object every query takes."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, timedelta


@dataclass(frozen=True)
class Scope:
    """What the signed-in person may see, applied in the query layer.

    ``township_id`` restricts every case query to one township (role
    ``township``); ``see_accusations`` is False for everyone but the office and
    county leaders, so complaints about officials never reach the unit or
    township concerned.
    """

    township_id: int | None = None
    see_accusations: bool = True


FULL_SCOPE = Scope()


@dataclass(frozen=True)
class Dimension:
    """A field the sidebar filters on and the figures break down by."""

    name: str  # as in the URL and the breakdowns: "township"
    filter_field: str  # the CaseFilter field holding the chosen values
    column: str  # the column of ``cases`` (and of the summary tables)
    in_sidebar: bool = True  # offered as a global filter in the sidebar and the URL


# The one list of filter dimensions: the query clauses, the monthly summary's
# keys and the sidebar all read it.
DIMENSIONS = (
    Dimension("township", "township_ids", "township_id"),
    Dimension("park", "park_ids", "park_id"),
    Dimension("category", "category_ids", "category_id"),
    Dimension("channel", "channels", "channel"),
    Dimension("unit", "unit_ids", "unit_id"),
    # 包案领导: a filter of the command line and the outcomes page, not of the sidebar.
    Dimension("leader", "leader_ids", "owner_leader_id", in_sidebar=False),
)
DIMENSION_BY_NAME = {dimension.name: dimension for dimension in DIMENSIONS}


@dataclass(frozen=True)
class CaseFilter:
    """A period and the dimension filters chosen in the sidebar.

    Frozen and made of tuples so that it hashes: caches are keyed by it.
    An empty tuple means "no restriction" on that dimension.
    """

    start: date
    end: date
    township_ids: tuple[int, ...] = ()
    park_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()
    channels: tuple[str, ...] = ()
    unit_ids: tuple[int, ...] = ()
    scope: Scope = field(default=FULL_SCOPE)
    # 包案领导: cases owned by these county leaders. Last, so positional uses of the fields above still work.
    leader_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def for_month(cls, year: int, month: int, **kwargs) -> CaseFilter:
        return cls(start=date(year, month, 1), end=month_end(year, month), **kwargs)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def with_period(self, start: date, end: date) -> CaseFilter:
        return replace(self, start=start, end=end)

    def previous_period(self) -> CaseFilter:
        """环比: the period of the same length just before this one.

        Whole calendar months shift by months (February after January is
        still "the previous month"), any other range by its number of days.
        """
        months = whole_months(self.start, self.end)
        if months:
            return self.with_period(add_months(self.start, -months), add_months(self.start, -1, last_day=True))
        return self.with_period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def year_earlier(self) -> CaseFilter:
        """同比: the same period a year earlier."""
        months = whole_months(self.start, self.end)
        if months:
            return self.with_period(add_months(self.start, -12), add_months(self.end, -12, last_day=True))
        return self.with_period(_minus_year(self.start), _minus_year(self.end))


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: date, months: int, *, last_day: bool = False) -> date:
    """The first (or last) day of the month ``months`` away from ``d``'s month."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return month_end(year, month + 1) if last_day else date(year, month + 1, 1)


def whole_months(start: date, end: date) -> int:
    """How many calendar months [start, end] spans, or 0 if it is not whole months."""
    if start.day != 1 or end != month_end(end.year, end.month):
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _minus_year(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)
