"""Everything the map reads on a filter change: both levels' measures and hot spots, in one call.

The map page needs, for townships and for parks, the measures it colours the
areas by (:func:`queries.areas.area_measures`) and the hot-spot test
(:func:`queries.hotspots.hot_spots`). Asked one by one they read the list of
areas in scope twice per level and the data's first month twice; here each is
read once, and the page keeps one cache entry per filter instead of four. The
figures are those functions' own. No Streamlit here.
"""

from __future__ import annotations

from sqlalchemy import Engine

from config.settings import DeadlineRules
from queries import areas, hotspots
from queries.filters import CaseFilter


def map_figures(engine: Engine, flt: CaseFilter, rules: DeadlineRules | None = None) -> dict[str, dict]:
    """``{"township": {"measures": ..., "hot_spots": ...}, "park": {...}}`` for the filter and its scope.

    The frames of :func:`queries.areas.area_measures` and
    :func:`queries.hotspots.hot_spots`, equal to those functions called one by one.
    """
    history_months = hotspots._history_month_count(engine, flt)
    figures = {}
    for level in areas.LEVELS:
        scoped = areas._scoped_areas(engine, flt, level)
        figures[level] = {
            "measures": areas.area_measures(engine, flt, level, rules, scoped=scoped),
            "hot_spots": hotspots.hot_spots(engine, flt, level, scoped=scoped, history_months=history_months),
        }
    return figures
