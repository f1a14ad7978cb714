"""The demo county with hostile names: every place a name from a file is shown must show it as text.

A small demo county (services.demo), then, straight in the tables as a file
import could have left them:

- the township with the most overdue cases (the *target*, whose map panel
  the tests open) is named ``![b](http://evil.invalid/x.png)``, seven other
  townships the other values of :data:`HOSTILE`;
- the three parks, the first eight categories and units, the leaders linked
  to the target (and their titles), the places of its reception sessions,
  some reception points, its cases' summaries, the case numbers of its
  two oldest open cases and their petitioners get hostile values too.

``SCRIPT`` (a backtick and ``${…}``) is for Folium, which writes a tooltip
into a JavaScript template literal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert, select, update

from config.settings import DeadlineRules
from data.db import make_engine
from data.models import (
    Case,
    Category,
    Leader,
    LeaderLink,
    Park,
    Petitioner,
    ReceptionPoint,
    ReceptionSession,
    Township,
    Unit,
)
from queries import metrics, reference
from queries.filters import CaseFilter, add_months
from services.demo import build_demo
from services.writes import Actor, write

IMAGE = "![b](http://evil.invalid/x.png)"
LINK = "[link](http://evil.invalid)"
IMG_TAG = "<img src=x onerror=alert(1)>"
HYPERLINK = '=HYPERLINK("http://evil.invalid","y")'
PLUS = "+1+2"
ICON = ":material/warning:"
LATEX = "$x^2$"
BOLD = "**bold**"
HOSTILE = (IMAGE, LINK, IMG_TAG, HYPERLINK, PLUS, ICON, LATEX, BOLD)
SCRIPT = "`${alert(1)}`"
# What must never reach a Markdown element unescaped (a raw hostile value holds one of these).
MARKUP = ("![", "](http", "[link]", "<img", "**bold", ":material/", "$x^2", "${")
# Leaders' names are at most 32 characters.
LEADER_NAMES = tuple(v for v in HOSTILE if len(v) <= 32)


@dataclass(frozen=True)
class HostileCounty:
    url: str
    month: str  # "YYYY-MM": the last complete month, the page's default
    township_id: int  # the target, named IMAGE
    township_names: dict[int, str]
    park_names: dict[int, str]
    case_numbers: tuple[str, str]  # the target's two oldest open cases, renamed HYPERLINK and PLUS


def build_hostile_county(url: str, *, cases: int = 1500, seed: int = 11, today: date | None = None) -> HostileCounty:
    engine = make_engine(url)
    try:
        build_demo(engine, cases=cases, seed=seed, **({"today": today} if today else {}))
        last = reference.data_period(engine)[1]
        month = add_months(last.replace(day=1), -1)
        figures = metrics.area_figures(engine, CaseFilter.for_month(month.year, month.month), "township")
        ranked = figures.sort(["overdue_open", "id"], descending=[True, False])["id"].to_list()
        target = ranked[0]
        township_names = dict(zip(ranked[:len(HOSTILE)], HOSTILE, strict=True))
        # Through the write path, as an import would: the summary keeps case numbers and words of summaries.
        with write(engine, actor=Actor("fixture"), action="import", target="hostile county",
                   rules=DeadlineRules()) as change:
            conn = change.conn
            for township_id, name in township_names.items():
                conn.execute(update(Township).where(Township.id == township_id).values(name=name))
            park_ids = conn.execute(select(Park.id).order_by(Park.id)).scalars().all()
            park_names = dict(zip(park_ids, (LINK, IMG_TAG, ICON), strict=False))
            for park_id, name in park_names.items():
                conn.execute(update(Park).where(Park.id == park_id).values(name=name))
            for model in (Category, Unit):
                ids = conn.execute(select(model.id).order_by(model.id)).scalars().all()
                for row_id, name in zip(ids, HOSTILE, strict=False):
                    conn.execute(update(model).where(model.id == row_id).values(name=name))
            linked = conn.execute(
                select(LeaderLink.leader_id).where(LeaderLink.township_id == target).distinct()
            ).scalars().all()
            others = conn.execute(select(Leader.id).where(Leader.id.not_in(linked)).order_by(Leader.id)).scalars().all()
            for leader_id, name in zip([*linked, *others], LEADER_NAMES, strict=False):
                conn.execute(update(Leader).where(Leader.id == leader_id).values(name=name, title=LINK))
            conn.execute(update(ReceptionSession).where(ReceptionSession.township_id == target)
                         .values(place=f"{IMAGE} {SCRIPT}"))
            points = conn.execute(select(ReceptionPoint.id).order_by(ReceptionPoint.id)).scalars().all()
            for point_id, name in zip(points, (SCRIPT, IMG_TAG, f"{IMAGE}点"), strict=False):
                conn.execute(update(ReceptionPoint).where(ReceptionPoint.id == point_id).values(name=name))
            conn.execute(update(Case).where(Case.township_id == target).values(summary=f"{BOLD} {IMAGE} {LATEX}"))
            oldest = conn.execute(
                select(Case.id).where(Case.township_id == target, Case.concluded_on.is_(None))
                .order_by(Case.received_on, Case.id).limit(2)
            ).scalars().all()
            for case_id, number in zip(oldest, (HYPERLINK, PLUS), strict=True):
                conn.execute(update(Case).where(Case.id == case_id).values(case_number=number))
            # Their petitioner, as a file could have written it (shown in the reveal panel's table).
            conn.execute(delete(Petitioner).where(Petitioner.case_id.in_(oldest)))
            conn.execute(insert(Petitioner), [
                {"case_id": case_id, "name": BOLD, "id_number": IMAGE, "phone": PLUS, "address": f"{IMAGE} {LINK}"}
                for case_id in oldest
            ])
    finally:
        engine.dispose()
    return HostileCounty(url=url, month=f"{month.year:04d}-{month.month:02d}", township_id=target,
                         township_names=township_names, park_names=park_names, case_numbers=(HYPERLINK, PLUS))

