"""A seeded random county whose cases are built to hit the edges the summary must get right.

Unlike the hand county, nobody worked its figures out by hand: it exists so
that two ways of computing the same figures (the raw statement and the monthly
summary) can be compared on many cases. Dates cluster on month boundaries
(the 1st, the last day, 29 February) and some rows are deliberately odd —
accepted or concluded before they were received, concluded years later,
never concluded — because that is where a month-keyed summary could drift.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from factories import case_row, insert_cases
from sqlalchemy import insert

from data.models import CHANNEL_VALUES, Category, Leader, Park, Township, Unit

FIRST_DAY = date(2023, 11, 1)
LAST_DAY = date(2026, 4, 30)  # 30 months, a leap February (2024) inside
TOWNSHIPS = 4
PARKS = 2
CATEGORIES = 3  # category 3 is 纪检监察, an accusation category
UNITS = 3
LEADERS = 3  # owner leaders (包案领导), drawn from their own generator (below)


def _some_day(rng: random.Random) -> date:
    span = (LAST_DAY - FIRST_DAY).days
    day = FIRST_DAY + timedelta(days=rng.randrange(span + 1))
    pick = rng.random()
    if pick < 0.15:  # the 1st of its month
        return day.replace(day=1)
    if pick < 0.30:  # the last day of its month
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if pick < 0.32:
        return date(2024, 2, 29)
    return day


def _maybe(rng: random.Random, share: float, value):
    return value if rng.random() < share else None


def random_cases(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    # A second generator for the owner leader, so that adding it left every other column as it was.
    leader_rng = random.Random(seed + 1_000_003)
    rows = []
    for i in range(n):
        received = _some_day(rng)
        shape = rng.random()
        if shape < 0.25:
            concluded = None  # still open
        elif shape < 0.27:
            concluded = received - timedelta(days=rng.randrange(1, 40))  # bad data: before receipt
        elif shape < 0.32:
            concluded = received + timedelta(days=rng.randrange(150, 700))  # a long tail
        else:
            concluded = received + timedelta(days=rng.randrange(0, 120))
        accepted_pick = rng.random()
        if accepted_pick < 0.3:
            accepted = None  # due date from receipt + 15
        elif accepted_pick < 0.33:
            accepted = received - timedelta(days=rng.randrange(1, 10))
        else:
            accepted = received + timedelta(days=rng.randrange(0, 20))
        channel = rng.choice(CHANNEL_VALUES)
        first_time = rng.random() < 0.5
        rows.append(
            case_row(
                f"R{seed}-{i:06d}",
                received_on=received,
                accepted_on=accepted,
                first_meeting_on=_maybe(rng, 0.7, received + timedelta(days=rng.randrange(0, 6))),
                feedback_on=_maybe(rng, 0.7, received + timedelta(days=rng.randrange(0, 10))),
                concluded_on=concluded,
                channel=channel,
                is_first_time=first_time,
                is_repeat=(not first_time) and rng.random() < 0.4,
                headcount=rng.choice((1, 1, 1, 2, 4, 5, 6, 12)),
                extension_granted=rng.random() < 0.2,
                township_id=_maybe(rng, 0.95, rng.randint(1, TOWNSHIPS)),
                park_id=_maybe(rng, 0.3, rng.randint(1, PARKS)),
                category_id=_maybe(rng, 0.9, rng.randint(1, CATEGORIES)),
                unit_id=_maybe(rng, 0.8, rng.randint(1, UNITS)),
                outcome=rng.choice(("resolved", "resolved", "unresolved", None)) if concluded else None,
                satisfaction_office=_maybe(rng, 0.6, rng.choice(("satisfied", "basically_satisfied", "dissatisfied"))),
                satisfaction_unit=_maybe(rng, 0.5, rng.choice(("satisfied", "basically_satisfied", "dissatisfied"))),
                accuses_official=rng.random() < 0.05,
                owner_leader_id=_maybe(leader_rng, 0.4, leader_rng.randint(1, LEADERS)),
            )
        )
    return rows


def build_random_county(engine, n: int = 600, seed: int = 7):
    """Fill an empty migrated database with ``n`` random cases; returns the engine."""
    with engine.begin() as conn:
        conn.execute(insert(Township), [{"id": i, "name": f"镇{i}", "kind": "town"} for i in range(1, TOWNSHIPS + 1)])
        conn.execute(insert(Park), [{"id": i, "name": f"园区{i}", "township_id": i} for i in range(1, PARKS + 1)])
        conn.execute(
            insert(Category),
            [{"id": i, "code": f"cat{i}", "name": f"类别{i}", "is_accusation": i == CATEGORIES}
             for i in range(1, CATEGORIES + 1)],
        )
        conn.execute(insert(Unit), [{"id": i, "name": f"单位{i}"} for i in range(1, UNITS + 1)])
        conn.execute(insert(Leader), [{"id": i, "name": f"领导{i}", "title": "县领导", "rank": i}
                                      for i in range(1, LEADERS + 1)])
    insert_cases(engine, random_cases(n, seed))
    return engine
