"""The demo county: counts, invariants every metric relies on, structure, determinism.

Small N keeps these fast; ``today`` is fixed so the expectations do not move
with the calendar.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from data import models
from data.db import data_version, is_demo, make_engine, migrate
from data.reception_calendar import monthly_reception_day, spring_festival
from services.demo import RealDataPresent, build_demo, default_case_count, id_number_checksum

TODAY = date(2026, 3, 10)
FIRST_DAY = date(2023, 4, 1)  # 36 months up to March 2026
N = 2_000


def _rows(conn, sql: str, **params):
    return conn.execute(text(sql), params).all()


def _as_date(value) -> date | None:
    """SQLite hands back ISO text through a raw query, PostgreSQL a date."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


@pytest.fixture
def built(engine):
    summary = build_demo(engine, cases=N, seed=3, today=TODAY)
    return engine, summary


def test_default_case_count_is_4000_a_year_over_36_months():
    # 2023-04-01 .. 2026-03-10 is 1,075 days (2024 is a leap year):
    # 4000 x 1075 / 365.25 = 11,772.8.
    assert default_case_count(TODAY) == 11_773


def test_counts_and_demo_flag(built):
    engine, summary = built
    assert (summary.first_day, summary.last_day, summary.cases) == (FIRST_DAY, TODAY, N)
    expected = {
        "townships": 15,
        "parks": 3,
        "units": 20,
        "categories": 13,
        "leaders": 12,
        "reception_points": 16,  # the county centre + one per township
        "leader_links": 18,  # every township and park has its 挂点 leader
        "cases": N,
        "petitioners": N,
    }
    with engine.connect() as conn:
        for table, count in expected.items():
            assert conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() == count, table  # noqa: S608
        # Every month but the first has a dispatch list of 3-5 items.
        per_month = Counter(_as_date(r[0]) for r in _rows(conn, "SELECT month FROM dispatch_items"))
        assert len(per_month) == 35 and all(3 <= k <= 5 for k in per_month.values())
        assert _rows(conn, "SELECT COUNT(*) FROM cases WHERE NOT is_demo")[0][0] == 0
    assert is_demo(engine)
    assert data_version(engine) == 1


def test_case_invariants(built):
    engine, _ = built
    with engine.connect() as conn:
        rows = conn.execute(select(models.Case.__table__)).all()
        accusation_ids = {cid for (cid,) in _rows(conn, "SELECT id FROM categories WHERE is_accusation")}
    numbers = [c.case_number for c in rows]
    assert len(set(numbers)) == N
    assert all(re.fullmatch(r"SF20(23|24|25|26)-\d{6}", n) for n in numbers)
    for c in rows:
        assert FIRST_DAY <= c.received_on <= TODAY
        for later in (c.accepted_on, c.first_meeting_on, c.feedback_on, c.concluded_on):
            assert later is None or c.received_on <= later <= TODAY
        if c.first_meeting_on and c.feedback_on:
            assert c.first_meeting_on <= c.feedback_on
        if c.concluded_on is None:
            assert c.outcome is None and c.satisfaction_office is None and c.satisfaction_unit is None
        else:
            assert c.outcome in models.OUTCOME_VALUES
            for when in (c.accepted_on, c.first_meeting_on, c.feedback_on):
                assert when is None or when <= c.concluded_on
        assert (c.resolution_level is not None) == (c.outcome == "resolved")
        assert c.is_first_time != c.is_repeat
        assert c.channel in models.CHANNEL_VALUES
        assert c.headcount < 5 or c.channel == "visit"
        assert c.accuses_official == (c.category_id in accusation_ids)
        assert (c.reception_session_id is not None) == (c.channel == "leader_reception")
        assert c.first_meeting_on is None or c.is_first_time
        assert c.township_id is not None and c.unit_id is not None and c.category_id is not None


def test_realistic_shares(built):
    engine, _ = built
    with engine.connect() as conn:
        rows = _rows(
            conn,
            "SELECT channel, headcount, is_repeat, escalation, concluded_on, outcome, satisfaction_office,"
            " received_on, owner_leader_id FROM cases",
        )
    channels = Counter(r[0] for r in rows)
    assert set(channels) == set(models.CHANNEL_VALUES)
    group_share = sum(1 for r in rows if r[0] == "visit" and r[1] >= 5) / N
    assert 0.01 < group_share < 0.08  # "a few percent"
    assert 0.1 < sum(1 for r in rows if r[2]) / N < 0.4  # repeat petitions
    assert 0 < sum(1 for r in rows if r[3]) / N < 0.05  # escalations are rare
    concluded = [r for r in rows if r[4] is not None]
    resolved = sum(1 for r in concluded if r[5] == "resolved") / len(concluded)
    assert 0.8 < resolved < 0.99
    unrated = sum(1 for r in concluded if r[6] is None) / len(concluded)
    assert 0.08 < unrated < 0.22
    # Recent cases are more often still open than old ones, yet old ones leave a backlog.
    recent = [r for r in rows if _as_date(r[7]) > TODAY - timedelta(days=30)]
    old = [r for r in rows if _as_date(r[7]) < TODAY - timedelta(days=365)]
    open_recent = sum(1 for r in recent if r[4] is None) / len(recent)
    open_old = sum(1 for r in old if r[4] is None) / len(old)
    assert open_recent > 0.5 > 0.05 > open_old > 0
    # Long-open cases have an owner leader (包案).
    long_open = [r for r in rows if r[4] is None and _as_date(r[7]) < TODAY - timedelta(days=90)]
    assert long_open and all(r[8] is not None for r in long_open)


def test_personal_data_only_in_petitioners(built):
    engine, _ = built
    personal = {"name", "id_number", "phone", "address"}
    assert not personal & {c.name for c in models.Case.__table__.columns}
    with engine.connect() as conn:
        people = _rows(conn, "SELECT case_id, name, id_number, phone, address FROM petitioners")
        summaries = {cid: s for cid, s in _rows(conn, "SELECT id, summary FROM cases")}
    assert {p[0] for p in people} == set(summaries)
    for case_id, name, id_number, phone, address in people:
        assert name not in summaries[case_id]
        # ID numbers: region 990101 (no such place), valid birth date, GB 11643 check character.
        assert re.fullmatch(r"990101\d{11}[\dX]", id_number)
        datetime.strptime(id_number[6:14], "%Y%m%d")
        assert id_number[17] == id_number_checksum(id_number[:17])
        assert re.fullmatch(r"1[35789]\d{9}", phone)
        assert address.startswith("示范县")
    assert not any(re.search(r"\d{6,}", s) for s in summaries.values())


@pytest.mark.parametrize(
    ("first17", "check"),
    # The standard's own examples (GB 11643-1999, appendix).
    [("11010519491231002", "X"), ("44052418800101001", "4")],
)
def test_id_number_checksum(first17, check):
    assert id_number_checksum(first17) == check


def test_reception_sessions(built):
    engine, _ = built
    with engine.connect() as conn:
        sessions = _rows(
            conn,
            "SELECT s.id, s.held_on, s.kind, l.rank, s.petitioners_received, s.cases_taken, s.township_id"
            " FROM reception_sessions s JOIN leaders l ON l.id = s.leader_id ORDER BY s.id",
        )
        linked = _rows(
            conn,
            "SELECT c.reception_session_id, c.received_on, c.owner_leader_id, s.leader_id, s.held_on"
            " FROM cases c JOIN reception_sessions s ON s.id = c.reception_session_id",
        )
    kinds = Counter(s[2] for s in sessions)
    assert set(kinds) == set(models.SESSION_KIND_VALUES)
    monthly = [s for s in sessions if s[2] == "monthly_15th"]
    # Both top leaders, every month from April 2023 to two months ahead (May 2026): 38 months.
    assert Counter(s[3] for s in monthly) == {1: 38, 2: 38}
    for s in monthly:
        held = _as_date(s[1])
        assert held == monthly_reception_day(held.year, held.month, "next_working_day")
        if held > TODAY:
            assert s[4] == 0 and s[5] == 0  # scheduled, not yet held
    # 15 March 2026 is a Sunday: the session moves to Monday the 16th.
    assert sum(1 for s in monthly if _as_date(s[1]) == date(2026, 3, 16)) == 2
    assert all(s[3] >= 3 for s in sessions if s[2] == "township_point")
    assert all(_as_date(s[1]) <= TODAY for s in sessions if s[2] != "monthly_15th")
    assert all(s[4] >= s[5] for s in sessions)
    # cases_taken counts exactly the cases linked to the session, each owned by its leader on its day.
    taken = Counter(r[0] for r in linked)
    assert all(taken.get(s[0], 0) == s[5] for s in sessions)
    assert all(r[2] == r[3] and _as_date(r[1]) == _as_date(r[4]) for r in linked)
    assert linked


def test_outreach_goes_to_last_months_hot_spots(sqlite_engine):
    build_demo(sqlite_engine, cases=6_000, seed=4, today=TODAY)
    with sqlite_engine.connect() as conn:
        outreach = _rows(
            conn,
            "SELECT held_on, township_id FROM reception_sessions WHERE kind = 'outreach' AND park_id IS NULL",
        )
        # Hot spots are judged on ordinary intake (cases not themselves taken at a session).
        counts = Counter(
            (r[0][:7], r[1])
            for r in _rows(conn, "SELECT received_on, township_id FROM cases WHERE channel <> 'leader_reception'")
        )
    assert len(outreach) == 2 * 35
    for held_on, township_id in outreach:
        held = date.fromisoformat(held_on)
        previous = (held.replace(day=1) - timedelta(days=1)).isoformat()[:7]
        month_counts = sorted((n for (m, _), n in counts.items() if m == previous), reverse=True)
        assert counts[(previous, township_id)] >= month_counts[1]


def test_previous_working_day_rule(sqlite_engine):
    build_demo(sqlite_engine, cases=100, seed=1, today=TODAY, reception_day_rule="previous_working_day")
    with sqlite_engine.connect() as conn:
        days = {date.fromisoformat(r[0]) for r in _rows(
            conn, "SELECT held_on FROM reception_sessions WHERE kind = 'monthly_15th'")}
    assert date(2026, 3, 13) in days  # Sunday 15 March 2026 -> Friday 13th
    assert all(d.day <= 15 for d in days)


def test_seasonality_wage_arrears_before_spring_festival_in_parks(sqlite_engine):
    build_demo(sqlite_engine, cases=20_000, seed=2, today=TODAY)
    with sqlite_engine.connect() as conn:
        rows = _rows(
            conn,
            "SELECT c.received_on, k.code, c.park_id IS NOT NULL FROM cases c JOIN categories k ON k.id = c.category_id",
        )
    windows = []
    for year in (2024, 2025, 2026):
        festival = spring_festival(year)
        windows.append((festival - timedelta(days=42), festival - timedelta(days=1)))

    def in_window(day: date) -> bool:
        return any(lo <= day <= hi for lo, hi in windows)

    inside = [r for r in rows if in_window(date.fromisoformat(r[0]))]
    outside = [r for r in rows if not in_window(date.fromisoformat(r[0]))]
    share = lambda rs: sum(1 for r in rs if r[1] == "labour_social_security") / len(rs)  # noqa: E731
    assert share(inside) > 1.6 * share(rows)
    # Wage arrears cluster in the industrial parks, more so before the festival.
    labour_in = [r for r in inside if r[1] == "labour_social_security"]
    labour_out = [r for r in outside if r[1] == "labour_social_security"]
    park_share = lambda rs: sum(1 for r in rs if r[2]) / len(rs)  # noqa: E731
    assert park_share(labour_in) > 1.5 * park_share(labour_out)
    assert park_share(labour_out) > 2 * park_share([r for r in rows if r[1] != "labour_social_security"])

    # Land acquisition follows the construction seasons (Mar-May, Sep-Nov).
    land = Counter(date.fromisoformat(r[0]).month for r in rows if r[1] == "land_acquisition")
    season = sum(land[m] for m in (3, 4, 5, 9, 10, 11)) / 6
    off_season = sum(land[m] for m in (12, 1, 2, 6, 7, 8)) / 6
    assert season > 1.4 * off_season


def _fingerprint(engine) -> str:
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in ("townships", "parks", "units", "categories", "leaders", "leader_links", "reception_points",
                      "reception_sessions", "dispatch_items", "cases", "petitioners"):
            key = "case_id" if table == "petitioners" else "id"
            for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY {key}")):  # noqa: S608
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_same_seed_same_county_other_seed_other_county(tmp_path):
    prints = []
    for name, seed in (("a", 11), ("b", 11), ("c", 12)):
        engine = make_engine(f"sqlite:///{tmp_path / name}.sqlite")
        try:
            build_demo(engine, cases=1_500, seed=seed, today=TODAY)
            prints.append(_fingerprint(engine))
        finally:
            engine.dispose()
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


def test_rebuild_replaces_everything_and_keeps_township_users(engine):
    build_demo(engine, cases=500, seed=1, today=TODAY)
    with engine.begin() as conn:
        township_id = conn.execute(text("SELECT id FROM townships WHERE name = '云溪乡'")).scalar_one()
        conn.execute(
            models.User.__table__.insert().values(
                username="yunxi", password_hash="x", role="township", township_id=township_id,
                created_at=datetime(2026, 1, 1),
            )
        )
    build_demo(engine, cases=700, seed=9, today=TODAY)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM cases")).scalar() == 700
        assert conn.execute(text("SELECT COUNT(*) FROM petitioners")).scalar() == 700
        bound = conn.execute(
            text("SELECT t.name FROM users u JOIN townships t ON t.id = u.township_id WHERE u.username = 'yunxi'")
        ).scalar_one()
    assert bound == "云溪乡"
    assert data_version(engine) == 2
    # New rows after a rebuild get fresh ids (PostgreSQL's sequences were moved past the demo's).
    with engine.begin() as conn:
        conn.execute(models.Unit.__table__.insert().values(code="X99", name="测试单位"))
        assert conn.execute(text("SELECT id FROM units WHERE code = 'X99'")).scalar_one() == 21


def test_migrates_an_empty_database_first(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    try:
        summary = build_demo(engine, cases=10, seed=1, today=TODAY)
        assert summary.cases == 10
        migrate(engine)  # still at head: nothing to do
    finally:
        engine.dispose()


def test_schema_and_key_checks_intact_after_bulk_load(engine):
    # The load drops the big tables' secondary indexes (and PostgreSQL foreign
    # keys) and rebuilds them; the schema must come back exactly.
    def schema():
        inspector = inspect(engine)
        return {
            table: (
                sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table)),
                sorted((tuple(f["constrained_columns"]), f["referred_table"]) for f in inspector.get_foreign_keys(table)),
            )
            for table in ("cases", "petitioners")
        }

    before = schema()
    build_demo(engine, cases=300, seed=1, today=TODAY)
    assert schema() == before
    assert len(before["cases"][1]) == 7
    # Foreign keys are enforced again (SQLite's pragma is back on).
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("INSERT INTO petitioners (case_id, name) VALUES (999999, 'x')"))


def test_refuses_to_wipe_real_cases_unless_told(sqlite_engine):
    with sqlite_engine.begin() as conn:
        conn.execute(
            models.Case.__table__.insert(),
            [
                {"case_number": f"REAL-{i}", "received_on": date(2026, 1, 5), "channel": "letter", "is_demo": False}
                for i in range(3)
            ],
        )
    with pytest.raises(RealDataPresent) as refused:
        build_demo(sqlite_engine, cases=50, seed=1, today=TODAY)
    assert refused.value.count == 3
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM cases")).scalar() == 3  # untouched
    build_demo(sqlite_engine, cases=50, seed=1, today=TODAY, replace_real_data=True)
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM cases WHERE is_demo")).scalar() == 50
        assert conn.execute(text("SELECT COUNT(*) FROM cases")).scalar() == 50
    # A demo database is rebuilt without asking.
    build_demo(sqlite_engine, cases=60, seed=1, today=TODAY)


def test_reception_rules_and_statuses(built):
    """Issue 11: 霞浦's rules seeded; the demo's sessions after today are planned, the rest held."""
    from queries.receptions import plan_sessions, reception_rules

    engine, _ = built
    rules = reception_rules(engine)
    assert rules["kind"].to_list() == ["monthly"] * 2 + ["rotation"] * 10
    assert set(rules["shift"]) == {"next_working_day"}
    assert rules["place"].to_list()[:2] == ["县群众来访接待中心"] * 2
    assert all(len(points) == 15 for points in rules["points"].to_list()[2:])
    with engine.connect() as conn:
        statuses = _rows(conn, "SELECT held_on, status FROM reception_sessions")
    assert all((status == "planned") == (_as_date(held_on) > TODAY) for held_on, status in statuses)
    # April 2026: the secretary and the county head on Wednesday the 15th at the county centre (the
    # demo's stored planned sessions stand for their rule's 15th), and every other leader once at a
    # township point, from the rotation that starts next month.
    april = plan_sessions(engine, date(2026, 4, 1), date(2026, 4, 30))
    monthly = april.filter(april["kind"] == "monthly")
    assert monthly.select("date", "rank", "place", "status").rows() == [
        (date(2026, 4, 15), 1, "县群众来访接待中心", "planned"), (date(2026, 4, 15), 2, "县群众来访接待中心", "planned")]
    rotation = april.filter(april["kind"] == "township_point")
    assert sorted(rotation["rank"].to_list()) == list(range(3, 13))
    assert all(place.endswith("群众接访点") for place in rotation["place"])
