"""The database schema: one SQLAlchemy 2 declarative model per table.

Vocabulary follows ``shared/domain/DOMAIN.md``. The petitioner's personal data
lives only in :class:`Petitioner`, so that no aggregate query ever touches it.

Enumerated values are stored as short English strings (listed in the
``*_VALUES`` tuples below) rather than database enums, so that SQLite and
PostgreSQL hold the same text and a new value needs no type migration.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

CHANNEL_VALUES = ("letter", "visit", "online", "phone", "leader_reception")
# 初访 counts in-person channels; every other first-time case is a 初信.
IN_PERSON_CHANNELS = ("visit", "leader_reception")
OUTCOME_VALUES = ("resolved", "unresolved")
RESOLUTION_LEVEL_VALUES = ("village", "township", "county")
ESCALATION_VALUES = ("city", "province", "national")
SATISFACTION_VALUES = ("satisfied", "basically_satisfied", "dissatisfied")
SATISFIED_VALUES = ("satisfied", "basically_satisfied")
TOWNSHIP_KIND_VALUES = ("town", "township", "subdistrict")  # 镇 / 乡 / 街道
SESSION_KIND_VALUES = (
    "monthly_15th",  # 县委书记、县长每月15日接访
    "township_point",  # 县处级领导到乡镇接访点接访
    "outreach",  # 下访: ad-hoc visit to a hot spot
    "appointment",  # 约访
    "follow_up",  # 回访
)
# A session on the schedule (issue 11): planned, held, cancelled, or moved to
# another day by hand (moved and cancelled ones keep their reason).
SESSION_STATUS_VALUES = ("planned", "held", "cancelled", "moved")
# A leader's schedule rule: a day each month at one place, a day each month at
# the next of a list of township reception points, or none (ad-hoc visits only).
RECEPTION_RULE_KIND_VALUES = ("monthly", "rotation", "none")
# A dispatch item is open until done (closed_on: the day the unit finished it) or
# withdrawn (entered by mistake, or overtaken). Late and overdue are read from the
# dates (queries/review.py), never stored: they depend on the day one looks.
DISPATCH_STATUS_VALUES = ("open", "done", "withdrawn")
ROLE_VALUES = ("leader", "office", "township", "projection")


class Base(DeclarativeBase):
    pass


class Township(Base):
    """A township (镇/乡) or sub-district (街道)."""

    __tablename__ = "townships"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="town")
    population: Mapped[int | None] = mapped_column(Integer)
    # GeoJSON geometry in WGS84: the original as imported, and a simplified
    # copy for display (the map never ships the full-resolution survey ring).
    boundary: Mapped[str | None] = mapped_column(Text)
    boundary_display: Mapped[str | None] = mapped_column(Text)
    centroid_lon: Mapped[float | None] = mapped_column(Float)
    centroid_lat: Mapped[float | None] = mapped_column(Float)


class Park(Base):
    """An industrial park (工业园区), lying in one township."""

    __tablename__ = "parks"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    township_id: Mapped[int | None] = mapped_column(ForeignKey("townships.id"))
    boundary: Mapped[str | None] = mapped_column(Text)
    boundary_display: Mapped[str | None] = mapped_column(Text)
    centroid_lon: Mapped[float | None] = mapped_column(Float)
    centroid_lat: Mapped[float | None] = mapped_column(Float)


class Unit(Base):
    """A responsible unit (责任单位): usually a county department (县直单位)."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)


class Category(Base):
    """A top-level issue category (问题类别)."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    # 纪检监察: complaints about officials, never shown to the unit concerned.
    is_accusation: Mapped[bool] = mapped_column(Boolean, default=False)


class Leader(Base):
    """A county-level leader (县处级领导)."""

    __tablename__ = "leaders"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(64))
    # Protocol order: 1 = county party secretary, 2 = county head, then others.
    rank: Mapped[int] = mapped_column(Integer, default=99)
    links: Mapped[list[LeaderLink]] = relationship(back_populates="leader")


class LeaderLink(Base):
    """挂点: a leader is linked to a township or a park they look after."""

    __tablename__ = "leader_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("leaders.id"))
    township_id: Mapped[int | None] = mapped_column(ForeignKey("townships.id"))
    park_id: Mapped[int | None] = mapped_column(ForeignKey("parks.id"))
    leader: Mapped[Leader] = relationship(back_populates="links")


class ReceptionPoint(Base):
    """Where leaders receive petitioners: the county centre or a township point."""

    __tablename__ = "reception_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # county_centre | township_point
    township_id: Mapped[int | None] = mapped_column(ForeignKey("townships.id"))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)


class ReceptionSession(Base):
    """One leader's reception or visit on one day (接访 / 下访 / 约访 / 回访)."""

    __tablename__ = "reception_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("leaders.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    place: Mapped[str] = mapped_column(String(128))
    reception_point_id: Mapped[int | None] = mapped_column(ForeignKey("reception_points.id"))
    township_id: Mapped[int | None] = mapped_column(ForeignKey("townships.id"))
    park_id: Mapped[int | None] = mapped_column(ForeignKey("parks.id"))
    petitioners_received: Mapped[int] = mapped_column(Integer, default=0)
    cases_taken: Mapped[int] = mapped_column(Integer, default=0)
    # Migration 0005 (issue 11): the schedule. Rows written before it are held
    # sessions (or, dated after the migration, planned ones).
    status: Mapped[str] = mapped_column(String(16), default="held", server_default="held")
    reason: Mapped[str | None] = mapped_column(Text)  # why it was moved or cancelled
    # Marked tentative (暂定) by hand. The plan also marks every day whose
    # year's holiday notice is not out, from the calendar, without storing it.
    provisional: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # The rule's nominal day this session stands for (before any shift); None
    # for a session no rule planned. Ties a hand adjustment to its occurrence.
    rule_date: Mapped[date | None] = mapped_column(Date)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)


class ReceptionRule(Base):
    """A leader's standing schedule (issue 11): edited by the office, one rule per leader.

    ``monthly``: on ``day_of_month`` of every month at ``reception_point_id``;
    ``rotation``: on ``day_of_month`` of every month at the next point of the
    rule's list (:class:`ReceptionRulePoint`, in ``position`` order), month
    ``k`` after the month of ``starts_on`` at point ``k mod n``; ``none``: no
    standing sessions. A day that is not a working day moves by ``shift``
    (next_working_day, previous_working_day or keep); a day past the month's
    end is its last day. Sessions are planned from ``starts_on`` (if any) to
    ``ends_on`` (if any), by the nominal day.
    """

    __tablename__ = "reception_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("leaders.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    day_of_month: Mapped[int | None] = mapped_column(Integer)
    reception_point_id: Mapped[int | None] = mapped_column(ForeignKey("reception_points.id"))
    shift: Mapped[str] = mapped_column(String(24), default="next_working_day")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)


class ReceptionRulePoint(Base):
    """One stop of a rotation rule: the reception point visited at ``position`` (0, 1, …)."""

    __tablename__ = "reception_rule_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("reception_rules.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    reception_point_id: Mapped[int] = mapped_column(ForeignKey("reception_points.id"))

    __table_args__ = (UniqueConstraint("rule_id", "position"),)


# What each leader's record reads of a case (queries/receptions.py), held by its indexes.
LEADER_RECORD_COLUMNS = (
    "concluded_on", "received_on", "accepted_on", "extension_granted", "outcome", "satisfaction_office",
    "satisfaction_unit", "township_id", "park_id", "category_id", "channel", "unit_id", "accuses_official",
)


class Case(Base):
    """One petition matter (信访件). No personal data here: see Petitioner."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(String(64), unique=True)
    received_on: Mapped[date] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    first_meeting_on: Mapped[date | None] = mapped_column(Date)
    feedback_on: Mapped[date | None] = mapped_column(Date)
    concluded_on: Mapped[date | None] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(16))
    is_first_time: Mapped[bool] = mapped_column(Boolean, default=False)
    is_repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    township_id: Mapped[int | None] = mapped_column(ForeignKey("townships.id"))
    park_id: Mapped[int | None] = mapped_column(ForeignKey("parks.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    owner_leader_id: Mapped[int | None] = mapped_column(ForeignKey("leaders.id"))
    reception_session_id: Mapped[int | None] = mapped_column(ForeignKey("reception_sessions.id"))
    headcount: Mapped[int] = mapped_column(Integer, default=1)
    extension_granted: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str | None] = mapped_column(String(16))
    resolution_level: Mapped[str | None] = mapped_column(String(16))
    escalation: Mapped[str | None] = mapped_column(String(16))
    satisfaction_office: Mapped[str | None] = mapped_column(String(24))
    satisfaction_unit: Mapped[str | None] = mapped_column(String(24))
    # Marked by hand or by category: the case accuses an official or a unit.
    accuses_official: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str | None] = mapped_column(Text)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_cases_received_on", "received_on"),
        # "Open at D" is two ranges of this index (never concluded; concluded after D), and it holds what
        # the outcomes page asks of an open case: its steps, deadlines and township (migration 0009; it
        # replaced an index on concluded_on alone).
        Index("ix_cases_open_steps", "concluded_on", "received_on", "township_id", "is_first_time", "accepted_on",
              "first_meeting_on", "feedback_on", "extension_granted"),
        # The pipeline's steps taken in a period, with the previous step's date and the township.
        Index("ix_cases_accepted_on", "accepted_on", "received_on", "township_id"),
        Index("ix_cases_first_meeting_on", "first_meeting_on", "is_first_time", "accepted_on", "township_id"),
        Index("ix_cases_feedback_on", "feedback_on", "is_first_time", "first_meeting_on", "township_id"),
        Index("ix_cases_township_received", "township_id", "received_on"),
        Index("ix_cases_park_received", "park_id", "received_on"),
        # Each leader's record (migration 0007): partial, covering what the record reads.
        *(
            Index(name, key, *LEADER_RECORD_COLUMNS, sqlite_where=text(f"{key} IS NOT NULL"),
                  postgresql_where=text(f"{key} IS NOT NULL"))
            for name, key in (("ix_cases_owner_leader", "owner_leader_id"),
                              ("ix_cases_reception_session", "reception_session_id"))
        ),
    )


class Petitioner(Base):
    """The petitioner's personal data: read only to reveal one case, and logged."""

    __tablename__ = "petitioners"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(64))
    id_number: Mapped[str | None] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(256))
    # Flags for the clerk: a bad checksum does not reject the case.
    id_number_invalid: Mapped[bool] = mapped_column(Boolean, default=False)
    phone_invalid: Mapped[bool] = mapped_column(Boolean, default=False)


class DispatchItem(Base):
    """联席办交办: an issue handed to a department at the monthly review.

    ``month`` is the first day of the month the list was handed out in: the
    meeting at the start of December reviews November and hands out the
    December list (the demo builds it so). An item stays on every later list,
    carried forward (结转), until it is done or withdrawn (queries/review.py).
    """

    __tablename__ = "dispatch_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, index=True)  # first day of the month it was handed out
    issue: Mapped[str] = mapped_column(Text)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # DISPATCH_STATUS_VALUES
    closed_on: Mapped[date | None] = mapped_column(Date)
    # Migration 0007 (issue 13): the office's note to the unit, the township the
    # issue is in (None: county-wide), who entered it and when, the last edit.
    note: Mapped[str | None] = mapped_column(Text)
    township_id: Mapped[int | None] = mapped_column(ForeignKey("townships.id"))
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)


class ImportBatch(Base):
    """One imported file: its counts, so an import can be traced and audited."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # cases | township | park
    filename: Mapped[str] = mapped_column(String(256))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    username: Mapped[str | None] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    flagged: Mapped[int] = mapped_column(Integer, default=0)


class QuarantinedRow(Base):
    """An input row that was not stored, with the original values and why."""

    __tablename__ = "quarantined_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)  # as the clerk sees it in the spreadsheet
    column: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(256))
    # JSON object of the row's original cell texts (personal data included:
    # this table is for the office; every download of it is masked).
    raw: Mapped[str] = mapped_column(Text)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    township_id: Mapped[int | None] = mapped_column(ForeignKey("townships.id"))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class LoginAttempt(Base):
    """Every log-in attempt, for lock-out and throttling that survive a reload."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    client_addr: Mapped[str | None] = mapped_column(String(64), index=True)
    attempted_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)


class AuthSession(Base):
    """A server-side log-in session; log-out deletes it."""

    __tablename__ = "auth_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    """Append-only audit log: the application only ever inserts here."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    object: Mapped[str | None] = mapped_column(String(256))
    outcome: Mapped[str] = mapped_column(String(16))
    client_addr: Mapped[str | None] = mapped_column(String(64))


class DataVersion(Base):
    """A single counter bumped by every write: the key that invalidates caches."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("id"),)


# --- Monthly summary --------------------------------------------------------------
#
# Pre-counted figures, rebuilt from ``cases`` by queries.summary.refresh_summary
# in the transaction that changed the cases. Derived data only: dropping and
# rebuilding them loses nothing. Months are numbered year * 12 + month - 1 (a
# small integer that compares and subtracts in both databases). Each table
# carries the filter dimensions of cases under the same names, so the metrics
# engine applies the same filter and scope clauses to it. No foreign keys:
# the rows are replaced wholesale, and a deleted township must not block that.

SUMMARY_DIMENSIONS = (
    "township_id", "park_id", "category_id", "channel", "unit_id", "accuses_official", "owner_leader_id",
)
# The counts of queries.metrics (event, cohort and state counts); a test holds these equal.
SUMMARY_EVENT_COUNTS = (
    "received", "first_time", "group_visits", "repeat", "concluded", "rated_office", "satisfied_office",
    "rated_unit", "satisfied_unit", "due_in_period", "on_time", "due_21_in_period", "met_3_7_21",
)
SUMMARY_COHORT_COUNTS = (
    "resolution_base", "resolved", "first_time_resolution_base", "first_time_resolved",
    "first_letter_resolution_base", "first_letter_resolved", "first_visit_resolution_base", "first_visit_resolved",
)
SUMMARY_STATE_COUNTS = ("overdue_open", "backlog")


def _summary_dimensions() -> list[Column]:
    return [
        Column("township_id", Integer),
        Column("park_id", Integer),
        Column("category_id", Integer),
        Column("channel", String(16), nullable=False),
        Column("unit_id", Integer),
        Column("accuses_official", Boolean, nullable=False),
        # 包案领导 (migration 0006): about 14% more event rows, 3% more cohort rows at 100,000 demo cases.
        Column("owner_leader_id", Integer),
    ]


def _summary_counts(names: tuple[str, ...]) -> list[Column]:
    return [Column(name, Integer, nullable=False) for name in names]


# Event counts by the month their date falls in (received, concluded, due, 21-day due).
summary_events = Table(
    "summary_events",
    Base.metadata,
    Column("month_number", Integer, nullable=False),
    *_summary_dimensions(),
    *_summary_counts(SUMMARY_EVENT_COUNTS),
    Index("ix_summary_events_month", "month_number"),
    # The rising issues' park series (migration 0010): only the rows with a park.
    Index("ix_summary_events_park", "park_id", "month_number"),
)

# Resolution counts by (month received, month concluded): "received in months
# M1..M2 and concluded by the end of M2" is a sum over this table.
summary_cohorts = Table(
    "summary_cohorts",
    Base.metadata,
    Column("received_month", Integer, nullable=False),
    Column("concluded_month", Integer, nullable=False),
    *_summary_dimensions(),
    *_summary_counts(SUMMARY_COHORT_COUNTS),
    Index("ix_summary_cohorts_months", "received_month", "concluded_month"),
)

# Cases open at each month's last day that are overdue or backlog (non-zero rows only).
summary_states = Table(
    "summary_states",
    Base.metadata,
    Column("month_number", Integer, nullable=False),
    *_summary_dimensions(),
    *_summary_counts(SUMMARY_STATE_COUNTS),
    Index("ix_summary_states_month", "month_number"),
)

# The same three tables rolled up to the dimensions a plain view needs: the
# township and category filters and the scope (township, accusations). Most
# reruns (no park, channel or unit picked) sum these: several times fewer rows.
SUMMARY_COARSE_DIMENSIONS = ("township_id", "category_id", "accuses_official")


def _coarse_dimensions() -> list[Column]:
    return [Column("township_id", Integer), Column("category_id", Integer),
            Column("accuses_official", Boolean, nullable=False)]


summary_events_coarse = Table(
    "summary_events_coarse",
    Base.metadata,
    Column("month_number", Integer, nullable=False),
    *_coarse_dimensions(),
    *_summary_counts(SUMMARY_EVENT_COUNTS),
    Index("ix_summary_events_coarse_month", "month_number"),
)

summary_cohorts_coarse = Table(
    "summary_cohorts_coarse",
    Base.metadata,
    Column("received_month", Integer, nullable=False),
    Column("concluded_month", Integer, nullable=False),
    *_coarse_dimensions(),
    *_summary_counts(SUMMARY_COHORT_COUNTS),
    Index("ix_summary_cohorts_coarse_months", "received_month", "concluded_month"),
)

summary_states_coarse = Table(
    "summary_states_coarse",
    Base.metadata,
    Column("month_number", Integer, nullable=False),
    *_coarse_dimensions(),
    *_summary_counts(SUMMARY_STATE_COUNTS),
    Index("ix_summary_states_coarse_month", "month_number"),
)

# The cases open at each month's end, one row per (month, case), with where each
# stands then: the step it is stuck at and its next deadline under each rule
# set (queries.definitions). The outcomes page's stuck cases, deadline lists
# and backlog flows and age bands, and the map's case lists, read a month's
# rows instead of every case concluded after that day. Kept for the last
# queries.summary.OPEN_CASE_MONTHS months up to the month of
# ``summary_stamp.data_through``, after which nothing changes. The row's dimension columns carry the case's, so the filter
# and scope clauses apply to it as to ``cases``; the key clusters a month's rows.
summary_open_cases = Table(
    "summary_open_cases",
    Base.metadata,
    Column("month_number", Integer, primary_key=True, autoincrement=False),
    Column("case_id", Integer, primary_key=True, autoincrement=False),
    # The case's number and receipt date as well: the lists show and sort by them without reading cases.
    Column("case_number", String(64), nullable=False),
    Column("received_on", Date, nullable=False),
    *_summary_dimensions(),
    # accepted, first_meeting, feedback or concluded: the first step not reached by the month's end.
    Column("stuck_step", String(16), nullable=False),
    Column("statutory_due_on", Date, nullable=False),
    # 3-7-21 (first-time cases only, else NULL): the next step and its deadline at the month's end.
    Column("step_3_7_21", String(16)),
    Column("due_3_7_21_on", Date),
    # One township's or park's open cases at a month's end, oldest first (the map's click, a township
    # filter or officer) without reading the whole month: a month is 300,000 rows at 10,000,000 cases.
    Index("ix_summary_open_cases_township", "month_number", "township_id", "received_on"),
    Index("ix_summary_open_cases_park", "month_number", "park_id", "received_on"),
    # The outcomes page's deadline lists, most urgent first: the first rows of a month by each rule set's
    # deadline, read in order and stopped at the list's length, and the counts as ranges of these
    # (a month's 28,000 rows at 1,000,000 cases were read four times per list).
    Index("ix_summary_open_cases_statutory_due", "month_number", "statutory_due_on", "case_id"),
    Index("ix_summary_open_cases_due_3_7_21", "month_number", "due_3_7_21_on", "case_id"),
    sqlite_with_rowid=False,
)

# The pipeline's steps taken (办理流程), by the month the step's date falls in and the days from
# the case's previous step (NULL: no previous date, and for receipt), for the same months as
# summary_open_cases: a whole-month period's count, median and 90th percentile are read off these
# counts. Keyed by the dimensions the scope needs and the township, category and owner-leader
# filters; a park, channel or unit filter is counted from ``cases`` (all seven dimensions would be
# 46,000 rows a month at 1,000,000 cases, these are 20,000).
SUMMARY_STEP_DIMENSIONS = ("township_id", "category_id", "accuses_official", "owner_leader_id")
summary_steps = Table(
    "summary_steps",
    Base.metadata,
    Column("month_number", Integer, nullable=False),
    Column("step", String(16), nullable=False),
    Column("days", Integer),
    Column("township_id", Integer),
    Column("category_id", Integer),
    Column("accuses_official", Boolean, nullable=False),
    Column("owner_leader_id", Integer),
    Column("taken", Integer, nullable=False),
    Index("ix_summary_steps_month", "month_number"),
)

# The month ends summary_states was built for.
summary_months = Table(
    "summary_months",
    Base.metadata,
    Column("month_number", Integer, primary_key=True, autoincrement=False),
    Column("month_end", Date, nullable=False),
    # summary_open_cases is built by joining each case to its months as a range of this (migration 0010).
    Index("ix_summary_months_end", "month_end", unique=True),
)

# One row: what the summary was built from. The engine uses the summary only
# when data_version and the deadline rules still match.
summary_stamp = Table(
    "summary_stamp",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("data_version", Integer, nullable=False),
    Column("rules", Text, nullable=False),  # the DeadlineRules as sorted JSON
    Column("cases", Integer, nullable=False),
    # Month states stop changing after this month (see queries.summary); None: no cases.
    Column("last_state_month", Integer),
    # The last date of any step of any case (receipt, acceptance, meeting, feedback,
    # conclusion): the cases open on any later day are those of summary_open_cases at
    # this date's month. None: no cases.
    Column("data_through", Date),
    Column("built_at", DateTime, nullable=False),
    Column("seconds", Float, nullable=False),
)


# --- Rising issues, precomputed -------------------------------------------------------
#
# The rising issues (queries/rising.py) of the latest months for the views a
# page opens on (the county, with and without complaints about officials, and
# each township as its officer sees it), computed by queries.rising.store_views
# in the write path right after the summary and stamped like it: read only
# while the data version, the rule's format and the geography they were
# computed with still hold, else computed live. Derived data, replaced
# wholesale: no foreign keys. Names are not stored (joined when read).


def _rising_view_key() -> list[Column]:
    return [
        Column("month_number", Integer, nullable=False),
        Column("scope_township_id", Integer),  # None: the county
        Column("see_accusations", Boolean, nullable=False),
    ]


rising_stamp = Table(
    "rising_stamp",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("data_version", Integer, nullable=False),
    Column("rule_format", Integer, nullable=False),  # queries.rising.RISING_FORMAT
    Column("geography", Text, nullable=False),  # digest of the townships, parks and categories used
    Column("built_at", DateTime, nullable=False),
    Column("seconds", Float, nullable=False),
)

rising_views = Table(
    "rising_views",
    Base.metadata,
    *_rising_view_key(),
    Column("method", String(16), nullable=False),
    Column("history_months", Integer, nullable=False),
)

rising_view_issues = Table(
    "rising_view_issues",
    Base.metadata,
    *_rising_view_key(),
    Column("series_id", String(64), nullable=False),
    Column("level", String(16), nullable=False),
    Column("category_id", Integer),
    Column("township_id", Integer),
    Column("park_id", Integer),
    Column("received", Integer, nullable=False),
    *(Column(name, Float, nullable=False) for name in ("expected", "lower", "upper", "p_value", "strength", "excess")),
    Column("rising_months", Integer),
    Column("is_rising", Boolean, nullable=False),
    Column("model", String(16), nullable=False),
    Index("ix_rising_view_issues_view", "month_number", "scope_township_id"),
)

rising_view_evidence = Table(
    "rising_view_evidence",
    Base.metadata,
    *_rising_view_key(),
    Column("series_id", String(64), nullable=False),
    Column("evidence_month", Integer, nullable=False),
    Column("received", Integer, nullable=False),
    *(Column(name, Float, nullable=False) for name in ("expected", "lower", "upper")),
    Column("is_target", Boolean, nullable=False),
    Index("ix_rising_view_evidence_view", "month_number", "scope_township_id"),
)

# --- Words of case summaries (热词) ------------------------------------------------
#
# The summaries cut into words once, when cases are written (queries.case_words,
# called by the write path), so that hot words are a sum over a few thousand
# rows instead of segmenting a hundred thousand summaries on every click.
# Derived data only, like the monthly summary: no foreign keys, rebuilt (in
# full, or the months a write touched) in the transaction that changed cases.

# Every word ever cut, once. The flags say which words are never shown: the
# county's place names (re-judged on every write, boundaries included) and
# the names of any petitioner in the data (re-judged on every case write).
words = Table(
    "words",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("word", Text, nullable=False, unique=True),
    Column("is_place", Boolean, nullable=False),
    Column("is_name", Boolean, nullable=False),
)

# The hot-word candidates of each case's summary (queries.hot_words.candidates),
# one row per distinct word, with all that counting them needs: the month of
# receipt, the petitioner as a one-way 64-bit digest (never the ID number,
# phone or name itself), the township, and whether those who may not see
# complaints about officials see the case. So a write can tell whether a
# case's part in the counts changed. One B-tree keyed by case (WITHOUT ROWID
# on SQLite): a query reaches it from the cases it selected.
case_words = Table(
    "case_words",
    Base.metadata,
    Column("case_id", Integer, nullable=False, autoincrement=False),
    Column("word_id", Integer, nullable=False, autoincrement=False),
    Column("month_number", Integer, nullable=False),
    Column("petitioner_key", BigInteger, nullable=False),
    Column("township_id", Integer),
    Column("visible", Boolean, nullable=False),
    PrimaryKeyConstraint("case_id", "word_id", name="pk_case_words"),
    sqlite_with_rowid=False,
)

# Petitioners using each word in each month, for the whole county (township_id
# NULL) and for each township: a count of distinct petitioners does not add up
# across townships (one person may write from two), so each is counted apart.
# ``petitioners`` counts every case, ``visible_petitioners`` leaves out
# complaints about officials (the scope of those who may not see them).
word_counts = Table(
    "word_counts",
    Base.metadata,
    Column("month_number", Integer, nullable=False),
    Column("township_id", Integer),
    Column("word_id", Integer, nullable=False),
    Column("petitioners", Integer, nullable=False),
    Column("visible_petitioners", Integer, nullable=False),
    Index("ix_word_counts_month", "month_number", "township_id", "word_id"),
)

# One row: the data version and word rules the three tables above were built
# for. Hot words read them only while both match; otherwise from the summaries.
words_stamp = Table(
    "words_stamp",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("data_version", Integer, nullable=False),
    Column("rules", Text, nullable=False),
    Column("cases", Integer, nullable=False),
    Column("built_at", DateTime, nullable=False),
    Column("seconds", Float, nullable=False),
)
