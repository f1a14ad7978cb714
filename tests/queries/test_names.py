"""Names typed on the command line → ids: normalised, suffix optional when only one place fits, never fuzzy."""

from __future__ import annotations

import pytest
from outcomes_county import build_outcomes_county
from sqlalchemy import insert

from data.models import Park, Township
from queries.names import AmbiguousName, UnknownName, resolve_name


@pytest.fixture
def county(sqlite_engine):
    build_outcomes_county(sqlite_engine)
    with sqlite_engine.begin() as conn:
        conn.execute(insert(Township), [{"id": 4, "name": "城关镇", "kind": "town", "code": "361101"},
                                        {"id": 5, "name": "城关乡", "kind": "township", "code": None}])
        conn.execute(insert(Park), [{"id": 2, "name": "城关工业园区", "township_id": 4}])
    return sqlite_engine


@pytest.mark.parametrize(("dimension", "text", "expected"), [
    ("township", "甲镇", 1),
    ("township", "甲", 1),  # the only 甲
    ("township", " 丙 街道 ", 3),
    ("township", "丙街道办事处", 3),  # the same kind of suffix, spelt longer
    ("township", "城关镇", 4),
    ("township", "３６１１０１", 4),  # its code, full-width
    ("park", "东湖", 1),
    ("park", "城关工业园", 2),
    ("category", "纪检监察", 2),
    ("category", "labour_social_security", 1),
    ("unit", "住建局", 2),
    ("unit", "ZRZYJ", None),  # codes match exactly after normalising width, not case
    ("unit", "zrzyj", 3),
    ("leader", "李县长", 2),
    ("leader", "李 县 长", 2),
])
def test_resolves(county, dimension, text, expected):
    if expected is None:
        with pytest.raises(UnknownName):
            resolve_name(county, dimension, text)
    else:
        assert resolve_name(county, dimension, text) == expected


def test_ambiguous_stem(county):
    with pytest.raises(AmbiguousName) as caught:
        resolve_name(county, "township", "城关")
    assert str(caught.value) == "ambiguous township '城关': it fits 城关乡, 城关镇; give the full name"


def test_a_suffix_of_another_kind_does_not_match(county):
    with pytest.raises(UnknownName):
        resolve_name(county, "township", "乙镇")  # 乙乡 is a 乡, not a 镇


def test_unknown_suggests(county):
    with pytest.raises(UnknownName) as caught:
        resolve_name(county, "leader", "王书")
    assert str(caught.value) == "unknown owner leader '王书' (did you mean 王书记?)"
    with pytest.raises(UnknownName):
        resolve_name(county, "unit", "")


def test_unknown_dimension(county):
    with pytest.raises(ValueError):
        resolve_name(county, "petitioner", "张三")
