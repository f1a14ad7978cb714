"""Hot words on a county where one petitioner writes many letters and one word is planted to rise.

March 2026 against December 2025 – February 2026, township 1 甲镇 (青山村):

| who | letters | summary | months |
| --- | ---: | --- | --- |
| 王建国 (one ID number) | 12 | 甲镇青山村村民王建国反映宅基地纠纷，电话13812345678 | March |
| six different petitioners | 6 | …噪声… (each with other, different words) | March |
| one petitioner a month | 1 each | 反映噪声 | December, January, February |
| five petitioners a month | 5 each | 反映征地补偿 | every month |
| four petitioners in 乙乡 | 4 | 反映养殖场异味 | March |

Expected: 噪声 first, count 6, previous (1 + 1 + 1) / 3 = 1, rise 5. 王建国 (a
name), 建国 (the given name), 宅基地 (one petitioner: count 1 < 3), the phone
number, 甲镇 and 青山 (places) never appear; 补偿 and 征地 (5 against 5) did
not rise. 养殖场 (4, rise 4) is second county-wide and absent for a 甲镇 officer.

Every test runs twice: on the summaries cut on the request ("raw": nothing
stored, as when the stored words are stale) and on the words stored at write
time ("stored": ``word_counts`` and ``case_words``). Below them, the three
ways are held equal on this county and on a seeded random one
(tests/words_county.py), for every month, filter and scope.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from factories import case_row, insert_cases
from polars.testing import assert_frame_equal
from random_county import FIRST_DAY
from sqlalchemy import insert, select
from words_county import build_words_county

from data.db import bump_data_version
from data.models import Case, Petitioner, Township
from queries import case_words, hot_words
from queries.filters import CaseFilter, Scope, add_months

MARCH = CaseFilter.for_month(2026, 3)
NOISE_TEXTS = ("反映工厂噪声影响休息", "反映广场舞噪声", "反映装修噪声持续", "反映车辆噪声扰人",
               "反映夜市噪声", "反映施工噪声太大")


def _county(engine):
    with engine.begin() as conn:
        conn.execute(insert(Township), [{"id": 1, "name": "甲镇", "kind": "town"},
                                        {"id": 2, "name": "乙乡", "kind": "township"}])
    cases, people = [], []

    def add(number, day, text, person, township=1):
        cases.append(case_row(number, received_on=day, summary=text, township_id=township))
        people.append(person)

    for i in range(12):
        add(f"W-{i}", date(2026, 3, 1 + i), "甲镇青山村村民王建国反映宅基地纠纷，电话13812345678",
            ("王建国", "990101198001011234", "13812345678"))
    for i, text in enumerate(NOISE_TEXTS):
        add(f"N-{i}", date(2026, 3, 2 + i), text, (f"居民{i}", f"ID-N-{i}", None))
    for k, month in enumerate((date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1))):
        add(f"P-{k}", month.replace(day=10), "反映噪声", (f"旧{k}", f"ID-P-{k}", None))
    for month in (date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)):
        for i in range(5):
            add(f"L-{month:%Y%m}-{i}", month.replace(day=20), "反映征地补偿", (f"村民{i}", f"ID-L-{i}", None))
    # Another township's planted word: a 甲镇 officer never sees it.
    for i in range(4):
        add(f"Y-{i}", date(2026, 3, 3), "反映养殖场异味", (f"乙{i}", f"ID-Y-{i}", None), township=2)
    insert_cases(engine, cases)
    with engine.connect() as conn:
        ids = dict(conn.exec_driver_sql("SELECT case_number, id FROM cases").all())
    with engine.begin() as conn:
        conn.execute(insert(Petitioner), [
            {"case_id": ids[c["case_number"]], "name": name, "id_number": id_number, "phone": phone}
            for c, (name, id_number, phone) in zip(cases, people, strict=True)
        ])
    return engine


def store_words(engine) -> dict:
    """Cut and count the words as the write path does after a write behind its back (a full rebuild)."""
    with engine.begin() as conn:
        bump_data_version(conn)
        return case_words.refresh(conn)


@pytest.fixture(params=["raw", "stored"])
def county(request, engine):
    _county(engine)
    if request.param == "stored":
        store_words(engine)
    with engine.connect() as conn:
        assert hot_words.stored_words_current(conn) is (request.param == "stored")
    return engine


def test_the_planted_word_is_first(county):
    words = hot_words.hot_words(county, MARCH)
    first = words.row(0, named=True)
    assert (first["word"], first["count"], first["previous"], first["rise"]) == ("噪声", 6, 1.0, 5.0)


def test_a_prolific_petitioner_makes_no_hot_word_and_their_name_is_never_one(county):
    words = set(hot_words.hot_words(county, MARCH, min_count=1)["word"].to_list())
    # Even with min_count 1, where 宅基地 (one petitioner, twelve letters) is listed once:
    assert "宅基地" in words
    assert hot_words.hot_words(county, MARCH, min_count=1).filter(
        pl.col("word") == "宅基地")["count"].item() == 1
    for never in ("王建国", "建国", "13812345678", "甲镇", "青山", "青山村", "村民", "反映", "电话"):
        assert never not in words
    assert not any(ch.isdigit() for word in words for ch in word)


def test_words_that_did_not_rise_are_not_hot(county):
    words = set(hot_words.hot_words(county, MARCH)["word"].to_list())
    assert "补偿" not in words and "征地" not in words  # 5 petitioners against a mean of 5


def test_the_cases_behind_a_word(county):
    cases = hot_words.hot_word_cases(county, MARCH, "噪声")
    assert sorted(cases["case_number"].to_list()) == [f"N-{i}" for i in range(6)]
    assert set(cases.columns) == {"case_id", "case_number", "received_on"}  # nothing personal
    assert hot_words.hot_word_cases(county, MARCH, "王建国").height == 0


def test_a_township_officer_sees_their_townships_words(county):
    county_words = set(hot_words.hot_words(county, MARCH)["word"].to_list())
    assert "养殖场" in county_words
    own = hot_words.hot_words(county, CaseFilter.for_month(2026, 3, scope=Scope(township_id=1,
                                                                                see_accusations=False)))
    assert "养殖场" not in set(own["word"].to_list())
    assert own.row(0, named=True)["word"] == "噪声"


def test_words_of_drops_names_numbers_and_places():
    words = hot_words.words_of("金岭工业园区企业职工张建国反映欠薪，电话13812345678，身份证350981199001011234，城北街道和平社区",
                               hot_words.place_words(["金岭工业园区", "城北街道"]))
    assert "欠薪" in words and "职工" in words
    assert not words & {"张建国", "金岭", "城北", "和平", "街道", "社区", "13812345678", "350981199001011234"}


def test_a_name_anywhere_in_the_data_is_never_a_word(county):
    # Four March petitioners in 甲镇 write of 平安建设; a petitioner named 平安 wrote from 乙乡 in 2024,
    # outside the four months and the township: a name is a name everywhere, so 平安 is never a hot word.
    rows = [case_row(f"G-{i}", received_on=date(2026, 3, 20), summary="反映平安建设不到位", township_id=1)
            for i in range(4)] + [case_row("G-old", received_on=date(2024, 5, 1), summary="反映道路破损", township_id=2)]
    insert_cases(county, rows)
    with county.begin() as conn:
        ids = dict(conn.execute(select(Case.case_number, Case.id).where(Case.case_number.like("G-%"))).all())
        conn.execute(insert(Petitioner), [{"case_id": ids[f"G-{i}"], "name": f"行人{i}", "id_number": f"ID-G-{i}"}
                                          for i in range(4)] + [{"case_id": ids["G-old"], "name": "平安", "id_number": None}])
    with county.connect() as conn:
        stored = hot_words.stored_words_current(conn)
    if stored:
        store_words(county)
    assert "平安" in hot_words.candidates("反映平安建设不到位")  # the segmenter alone would let it through
    words = set(hot_words.hot_words(county, MARCH, min_count=1)["word"].to_list())
    assert "建设" in words and "平安" not in words
    assert hot_words.hot_word_cases(county, MARCH, "平安").height == 0
    assert hot_words.hot_word_cases(county, MARCH, "建设").height == 4


# --- the three ways agree -------------------------------------------------------------------------------

FILTERS = {
    "everything": {},
    "township 1": {"township_ids": (1,)},
    "townships 2 and 3": {"township_ids": (2, 3)},
    "park 1": {"park_ids": (1,)},
    "accusation category": {"category_ids": (3,)},
    "visits": {"channels": ("visit",)},
    "unit 2": {"unit_ids": (2,)},
    "owner leader 1": {"leader_ids": (1,)},
    "combined": {"township_ids": (1, 2), "category_ids": (1, 3), "channels": ("visit", "letter", "phone")},
    "township officer": {"scope": Scope(township_id=2, see_accusations=False)},
    "township officer filtering on their township": {"township_ids": (2,), "scope": Scope(township_id=2)},
    "accusations hidden": {"scope": Scope(see_accusations=False)},
    "officer asking for another township": {"township_ids": (1,), "scope": Scope(township_id=2)},
}
# From the month before the random county's first case to the month after its last.
MONTHS = [add_months(FIRST_DAY, k) for k in range(-1, 32)]


def assert_three_ways_agree(engine, flt: CaseFilter, *, min_count: int = 1) -> pl.DataFrame:
    """The same words from the summaries cut now, from case_words, and (where they answer) word_counts."""
    raw = hot_words.hot_words(engine, flt, min_count=min_count, limit=10_000, source="raw")
    assert_frame_equal(hot_words.hot_words(engine, flt, min_count=min_count, limit=10_000, source="case_words"), raw)
    assert_frame_equal(hot_words.hot_words(engine, flt, min_count=min_count, limit=10_000), raw)
    if hot_words.counts_area(flt) is not False:
        assert_frame_equal(
            hot_words.hot_words(engine, flt, min_count=min_count, limit=10_000, source="word_counts"), raw)
    return raw


def assert_same_cases(engine, flt: CaseFilter, word: str) -> pl.DataFrame:
    raw = hot_words.hot_word_cases(engine, flt, word, source="raw")
    assert_frame_equal(hot_words.hot_word_cases(engine, flt, word, source="case_words"), raw)
    return raw


@pytest.fixture
def stored_county(engine):
    _county(engine)
    store_words(engine)
    return engine


@pytest.mark.parametrize("scope", [Scope(), Scope(township_id=1, see_accusations=False), Scope(township_id=2)])
def test_the_three_ways_agree_on_the_hand_county(stored_county, scope):
    for month in (date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)):
        flt = CaseFilter.for_month(month.year, month.month, scope=scope)
        for word in assert_three_ways_agree(stored_county, flt)["word"].to_list() + ["王建国", "青山"]:
            assert_same_cases(stored_county, flt, word)
    # The hand-worked figure, by each source.
    first = hot_words.hot_words(stored_county, MARCH, source="word_counts").row(0, named=True)
    assert (first["word"], first["count"], first["previous"], first["rise"]) == ("噪声", 6, 1.0, 5.0)


@pytest.fixture
def random_words_county(engine):
    build_words_county(engine)
    built = store_words(engine)
    assert built["full"] and built["months"] == 30
    return engine


@pytest.mark.parametrize("name", list(FILTERS))
def test_the_three_ways_agree_on_a_random_county(random_words_county, name):
    listed = 0
    for month in MONTHS:
        flt = CaseFilter.for_month(month.year, month.month, **FILTERS[name])
        words = assert_three_ways_agree(random_words_county, flt)
        listed += words.height
        for word in words["word"].head(3).to_list():
            assert_same_cases(random_words_county, flt, word)
    assert listed > 0 or name == "officer asking for another township"


def test_the_random_county_exercises_the_rule(random_words_county):
    """Names, given names, places and numbers are cut from its summaries and never come out; words do rise."""
    for month in MONTHS:
        flt = CaseFilter.for_month(month.year, month.month)
        words = set(hot_words.hot_words(random_words_county, flt, min_count=1, limit=10_000)["word"].to_list())
        assert not words & {"王建国", "建国", "高峰", "平安", "建设", "青山", "桥头", "城北", "和平", "镇1", "园区"}
    risen = sum(hot_words.hot_words(random_words_county, CaseFilter.for_month(m.year, m.month)).height
                for m in MONTHS)
    assert risen > 20
    with random_words_county.connect() as conn:
        flags = dict(conn.exec_driver_sql("SELECT word, is_name FROM words WHERE word IN ('平安', '建设')").all())
    assert flags == {"平安": True, "建设": True}  # cut from summaries, flagged as names (平安, 李建设)
