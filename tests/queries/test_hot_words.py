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
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from factories import case_row, insert_cases
from sqlalchemy import insert

from data.models import Petitioner, Township
from queries import hot_words
from queries.filters import CaseFilter, Scope

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


@pytest.fixture
def county(engine):
    return _county(engine)


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
