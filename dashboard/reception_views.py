"""What the receptions page shows, as text and tables: pure functions of the query layer's frames.

The page (pages/receptions.py) lays these out with widgets; building them here
keeps the page to widgets and calls, and lets them be tested without a
Streamlit run. No Streamlit and no query here: every input is a frame of
queries/receptions.py, already read through dashboard/data_access.py.

Names and places come from the database (and from imported files), so every
one that goes into Markdown (a calendar day, an st.table cell) is escaped;
tables for st.dataframe carry plain values, which it shows as text.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from data.receptions import SESSION_KINDS
from queries.filters import add_months
from text.formatting import format_change, format_month, format_rate
from text.i18n import DASH, metric_help, t
from text.markup import markdown_text

STATUSES = ("planned", "held", "cancelled", "moved")
PLACE_LEVELS = ("point", "township", "park")
# The records table: the sessions, then the cases of one basis (owned or taken), rates against the county's.
RECORD_SESSION_COLUMNS = ("sessions_planned", "sessions_held", "sessions_cancelled", "petitioners_received",
                          "cases_taken")
RECORD_CASE_COUNTS = ("received", "concluded", "open", "overdue_open", "backlog")
RECORD_RATES = ("resolution_rate", "satisfaction_rate_office")
RECORD_COLUMNS = (
    "leader", "title", *RECORD_SESSION_COLUMNS, "received", "concluded", "resolution_rate",
    "resolution_rate_versus", "satisfaction_rate_office", "satisfaction_rate_office_versus", "open",
    "overdue_open", "backlog",
)
# On the wall screen, in large type: what a meeting reads at a glance (the county's rates stand above it).
PROJECTION_RECORD_COLUMNS = (
    "leader", "sessions_held", "petitioners_received", "cases_taken", "received", "resolution_rate",
    "satisfaction_rate_office", "overdue_open", "backlog",
)


def _day_text(column: str) -> pl.Expr:
    # A date as 2026-03-16: a data grid would show a date column with a time of day.
    return pl.col(column).dt.strftime("%Y-%m-%d").alias(column)


def kind_label(kind: str) -> str:
    return t(f"receptions.kind.{kind}")


# --- months ---------------------------------------------------------------------------------


def month_key(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def month_start(key: str) -> date:
    year, month = key.split("-")
    return date(int(year), int(month), 1)


def month_options(today: date, first_data_day: date | None, back: int, ahead: int) -> list[str]:
    """Months from ``back`` months before today (or the first case, if earlier) to ``ahead`` months after it."""
    first = add_months(today, -back)
    if first_data_day is not None:
        first = min(first, first_data_day.replace(day=1))
    months, current, last = [], first.replace(day=1), add_months(today, ahead)
    while current <= last:
        months.append(month_key(current))
        current = add_months(current, 1)
    return months


def month_label(key: str, today: date) -> str:
    """2026年12月（本月）, 2027年1月（下月）, or the month alone."""
    label = format_month(month_start(key))
    if key == month_key(today):
        return label + t("receptions.month.this")
    if key == month_key(add_months(today, 1)):
        return label + t("receptions.month.next")
    return label


# --- the month calendar ------------------------------------------------------------------------


def session_line(row: dict) -> str:
    """One session in a calendar day, as Markdown: leader · place, with its status."""
    text = f"{markdown_text(row['leader'])} · {markdown_text(row['place'])}"
    if row["status"] == "cancelled":
        return f":gray[~~{text}~~ {t('receptions.status.cancelled')}]"
    if row["status"] == "held":
        return f":green[✓] {text}"
    if row["status"] == "moved":
        return f"{text} :orange[{t('receptions.calendar.moved')}]"
    return text


def day_markdown(day: date, month: date, sessions: list[dict], today: date) -> str:
    """A calendar cell: the day (today and provisional days marked), then its sessions, one a line."""
    if (day.year, day.month) != (month.year, month.month):
        return f":gray[{day.day}]"  # a day of the week row that belongs to the month before or after
    head = f"**{day.day}**"
    if day == today:
        head += f" :blue-badge[{t('receptions.calendar.today')}]"
    if any(s["provisional"] for s in sessions):
        head += f" :orange-badge[{t('receptions.provisional')}]"
    # Two spaces before a newline: a line break inside one paragraph.
    return "  \n".join([head, *(session_line(s) for s in sessions)])


# --- the agenda ----------------------------------------------------------------------------------


def agenda_frame(plan: pl.DataFrame) -> pl.DataFrame:
    """The plan as the agenda shows it (column names still the keys of ``receptions.agenda.col.*``).

    A provisional day carries （暂定） after its date; people and cases are a
    held session's record, so a planned one shows none.
    """
    provisional = t("receptions.provisional.mark")
    held = pl.col("status") == "held"
    return plan.select(
        (pl.col("date").dt.strftime("%Y-%m-%d")
         + pl.when(pl.col("provisional")).then(pl.lit(provisional)).otherwise(pl.lit(""))).alias("date"),
        pl.col("weekday").cast(pl.Int64)
        .replace_strict({i + 1: t(f"receptions.weekday.{i}") for i in range(7)}, return_dtype=pl.String)
        .alias("weekday"),
        "leader", "title",
        pl.col("kind").replace_strict({k: kind_label(k) for k in SESSION_KINDS}, default=pl.col("kind"),
                                      return_dtype=pl.String).alias("kind"),
        "place",
        pl.col("status").replace_strict({s: t(f"receptions.status.{s}") for s in STATUSES},
                                        default=pl.col("status"), return_dtype=pl.String).alias("status"),
        "reason",
        pl.when(held).then(pl.col("petitioners_received")).alias("petitioners_received"),
        pl.when(held).then(pl.col("cases_taken")).alias("cases_taken"),
    )


def occurrence_key(row: dict) -> str:
    """A row of the plan, identified across reruns (a rule's occurrence has no stored id yet)."""
    return f"{row['leader_id']}|{row['kind']}|{row['rule_date']}|{row['session_id']}|{row['date']}"


def occurrence_label(row: dict) -> str:
    mark = t("receptions.provisional.mark") if row["provisional"] else ""
    moved = t("receptions.calendar.moved") if row["status"] == "moved" else ""
    return f"{row['date']:%m-%d}{mark} {row['leader']} · {kind_label(row['kind'])} · {row['place']}{moved}"


# --- each leader's record --------------------------------------------------------------------------


def _metric_of(name: str, basis: str) -> str:
    """The ``metric.<name>.help`` that defines a column of the records table."""
    if name in RECORD_SESSION_COLUMNS:
        return name
    if name == "received":
        return f"leader_received_{basis}"
    return f"leader_{name.removesuffix('_versus')}"


def column_title(name: str, basis: str) -> str:
    return t(f"receptions.records.col.{name}" + (f".{basis}" if name == "received" else ""))


def records_frame(records: pl.DataFrame, basis: str,
                  columns: tuple[str, ...] = RECORD_COLUMNS) -> tuple[pl.DataFrame, dict[str, str]]:
    """Each leader's record for one basis ("owned" or "taken"), and each column's definition by its title.

    Rates are text ("97.8%", "—" for a zero denominator) beside their
    difference from the county's (or, for a township officer, the township's)
    in percentage points; counts stay numbers.
    """
    texts: dict[str, list[str]] = {}
    for rate in RECORD_RATES:
        pairs = [(row[f"{basis}_{rate}"], row[f"county_{rate}"]) for row in records.iter_rows(named=True)]
        texts[rate] = [format_rate(own) for own, _ in pairs]
        texts[f"{rate}_versus"] = [format_change(own, county, kind="rate") for own, county in pairs]
    frame = records.select(
        pl.col("name").alias("leader"), "title", *RECORD_SESSION_COLUMNS,
        *(pl.col(f"{basis}_{name}").alias(name) for name in RECORD_CASE_COUNTS),
    ).with_columns(pl.Series(name, values, dtype=pl.String) for name, values in texts.items())
    titles = {name: column_title(name, basis) for name in columns}
    helps = {
        titles[name]: t("receptions.records.versus.help") if name.endswith("_versus")
        else metric_help(_metric_of(name, basis))
        for name in columns if name not in ("leader", "title")
    }
    return frame.select(columns).rename(titles), helps


def escaped_table(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text cell escaped, for st.table (whose cells are Markdown)."""
    return frame.with_columns(
        pl.col(name).map_elements(markdown_text, return_dtype=pl.String)
        for name, dtype in frame.schema.items() if dtype == pl.String
    )


# --- where to go next ------------------------------------------------------------------------------


def suggestions_frame(suggestions: pl.DataFrame) -> pl.DataFrame:
    """The suggestions as the page lists them (column names still the keys of ``receptions.next.col.*``)."""
    levels = {level: t(f"receptions.place_level.{level}") for level in ("township", "park")}
    return suggestions.select(
        pl.col("level").replace_strict(levels, return_dtype=pl.String).alias("level"),
        "name", "received", "rank", _day_text("last_visited_on"), "last_visit_leader", "days_since_visit",
        pl.when(pl.col("due")).then(pl.lit(t("receptions.next.due.yes"))).otherwise(pl.lit("")).alias("due"),
        _day_text("next_planned_on"), "linked_leaders",
    )


def backlog_frame(backlog: pl.DataFrame) -> pl.DataFrame:
    """A leader's backlog list (queries.receptions.leader_backlog) with its dates as text."""
    return backlog.with_columns(_day_text("received_on"))


def place_label(row: dict) -> str:
    """A place to pick (a row of queries.receptions.reception_places or of the suggestions): 甲镇（乡镇）."""
    level = "centre" if row.get("point_kind") == "county_centre" else row["level"]
    return f"{row['name']}（{t(f'receptions.place_level.{level}')}）"


# --- the rules ----------------------------------------------------------------------------------------


def _hours(row: dict) -> str:
    if row["start_time"] is None:
        return DASH
    end = f"{row['end_time']:%H:%M}" if row["end_time"] is not None else ""
    return f"{row['start_time']:%H:%M}–{end}"


def _rule_where(row: dict) -> str:
    if row["kind"] == "monthly":
        return row["place"] or DASH
    if row["kind"] == "rotation":
        return " → ".join(row["points"] or []) or DASH
    return DASH


RULE_COLUMNS = ("leader", "title", "kind", "day", "where", "shift", "from", "hours")


def rules_frame(rules: pl.DataFrame) -> pl.DataFrame:
    """Each leader's rule in words (column names still the keys of ``receptions.rule.col.*``)."""
    rows = []
    for row in rules.iter_rows(named=True):
        planned = row["kind"] != "none"
        rows.append((
            row["name"], row["title"], t(f"receptions.rule.kind.{row['kind']}"),
            t("receptions.rule.day_value", day=row["day_of_month"]) if planned and row["day_of_month"] else DASH,
            _rule_where(row),
            t(f"receptions.rule.shift.{row['shift']}") if planned and row["shift"] else DASH,
            row["starts_on"].isoformat() if row["starts_on"] else DASH,
            _hours(row),
        ))
    return pl.DataFrame(rows, schema={name: pl.String for name in RULE_COLUMNS}, orient="row")
