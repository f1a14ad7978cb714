"""The words stored at write time: a write rebuilds only what it touched, and that equals a full rebuild.

The counting itself is held to the summaries cut on the request by
tests/queries/test_hot_words.py; here, that the stored words follow every kind
of change a write makes — a new case, a changed summary, a case moved to
another month, a petitioner renamed to a word or given another ID number, a
township added by a boundary import — through the write path, the case
import included, without cutting everything again.
"""

from __future__ import annotations

from datetime import date

import pytest
from factories import case_row
from import_builders import HEADER, add_places, case, grid, write_xlsx
from polars.testing import assert_frame_equal
from sqlalchemy import insert, select, update
from words_county import build_words_county

from config.settings import DeadlineRules
from data.db import bump_data_version
from data.models import Case, Petitioner, Township, case_words, word_counts, words, words_stamp
from queries import case_words as stored_words
from queries import hot_words
from queries.filters import CaseFilter, Scope
from services import writes
from services.imports import import_cases
from services.writes import OTHER, Actor, write

ACTOR = Actor("wang.office")


def _refresh(engine, case_ids=None) -> dict:
    with engine.begin() as conn:
        bump_data_version(conn)
        return stored_words.refresh(conn, case_ids)


def snapshot(engine) -> tuple[list, list, dict]:
    """Everything stored, by word rather than by word id (ids differ between an update and a rebuild)."""
    cw, wc, w = case_words.c, word_counts.c, words.c
    with engine.connect() as conn:
        rows = sorted(conn.execute(
            select(cw.case_id, w.word, cw.month_number, cw.petitioner_key).join(words, w.id == cw.word_id)).all())
        counts = sorted(conn.execute(
            select(wc.month_number, wc.township_id, w.word, wc.petitioners, wc.visible_petitioners)
            .join(words, w.id == wc.word_id)).all(), key=lambda r: (r[0], r[1] is not None, r[1] or 0, r[2]))
        used = {word for _, word, _, _ in rows}
        flags = {word: (bool(place), bool(name)) for word, place, name in
                 conn.execute(select(w.word, w.is_place, w.is_name)).all() if word in used}
    return rows, counts, flags


@pytest.fixture
def county(engine):
    build_words_county(engine)
    built = _refresh(engine)
    assert built["full"]
    return engine


def _ids(engine, *numbers: str) -> list[int]:
    with engine.connect() as conn:
        found = dict(conn.execute(select(Case.case_number, Case.id).where(Case.case_number.in_(numbers))).all())
    return [found[n] for n in numbers]


def test_an_update_of_some_cases_equals_a_full_rebuild(county):
    changed, moved, renamed, rekeyed = _ids(county, "R11-000003", "R11-000010", "R11-000020", "R11-000030")
    with county.begin() as conn:
        conn.execute(update(Case).where(Case.id == changed).values(summary="反映垃圾清运不及时，要求尽快处理。"))
        conn.execute(update(Case).where(Case.id == moved).values(received_on=date(2024, 7, 15)))
        # A petitioner renamed 钱收费: 收费 (of 学校收费), a given name now, is hidden in every month.
        conn.execute(update(Petitioner).where(Petitioner.case_id == renamed).values(name="钱收费"))
        conn.execute(update(Petitioner).where(Petitioner.case_id == rekeyed).values(id_number="ID-3"))
        new = conn.execute(insert(Case).values(case_row("NEW-1", received_on=date(2025, 2, 3), township_id=1,
                                                        summary="反映垃圾清运不及时。"))).inserted_primary_key[0]
        conn.execute(insert(Petitioner).values(case_id=new, name="新人", id_number=None, phone="13700009999"))
    updated = _refresh(county, [changed, moved, renamed, rekeyed, new])
    assert not updated["full"]
    assert 2 <= updated["months"] <= 6  # the months those five cases are in, or were in
    after_update = snapshot(county)
    assert _refresh(county)["full"]
    assert snapshot(county) == after_update
    rows, _, flags = after_update
    assert flags["收费"] == (False, True) and flags["垃圾清运"] == (False, False)
    assert {word for case_id, word, _, _ in rows if case_id == changed} == {"垃圾清运"}


def test_cases_sent_again_with_only_their_status_changed_count_nothing_again(county):
    with county.connect() as conn:
        ids = list(conn.execute(select(Case.id).order_by(Case.id).limit(200)).scalars())
    before = snapshot(county)
    with county.begin() as conn:
        conn.execute(update(Case).where(Case.id.in_(ids)).values(concluded_on=date(2026, 4, 30), outcome="resolved"))
    updated = _refresh(county, ids)
    assert (updated["full"], updated["months"]) == (False, 0)
    assert snapshot(county) == before
    # A township changed is a change of the counts: its month is counted again, and equals a rebuild.
    with county.begin() as conn:
        conn.execute(update(Case).where(Case.id == ids[0]).values(township_id=4))
    assert _refresh(county, ids)["months"] == 1
    after = snapshot(county)
    assert after != before
    _refresh(county)
    assert snapshot(county) == after


def test_what_a_writer_leaves_unsaid_is_rebuilt_in_full(county):
    assert _refresh(county, [])["full"] is False
    with county.begin() as conn:  # a change behind the write path's back
        bump_data_version(conn)
        conn.execute(update(Case).values(summary="反映垃圾清运不及时。"))
    assert _refresh(county, [])["full"]  # the stamp is not the previous version's: everything again
    with county.connect() as conn:
        assert set(conn.execute(select(words.c.word).join(case_words, case_words.c.word_id == words.c.id))
                   .scalars()) == {"垃圾清运"}


def test_another_rule_rebuilds_in_full(county, monkeypatch):
    monkeypatch.setattr(hot_words, "STOP_WORDS", hot_words.STOP_WORDS | {"噪声"})
    hot_words.rules_key.cache_clear()
    try:
        with county.connect() as conn:
            assert not hot_words.stored_words_current(conn)  # stale: hot words are cut from the summaries
        assert _refresh(county, [])["full"]
        with county.connect() as conn:
            assert "噪声" not in set(conn.execute(select(words.c.word)).scalars())
    finally:
        hot_words.rules_key.cache_clear()


def test_the_write_path_updates_only_what_the_writer_names(county, monkeypatch):
    seen = []
    original = stored_words.refresh
    monkeypatch.setattr(writes.case_words, "refresh", lambda *a, **k: seen.append(original(*a, **k)) or seen[-1])
    (target,) = _ids(county, "R11-000005")
    with write(county, actor=ACTOR, action="import", target="x", rules=DeadlineRules()) as change:
        change.conn.execute(update(Case).where(Case.id == target).values(summary="反映垃圾清运不及时。"))
        change.only_cases([target])
    assert seen[-1]["full"] is False
    with write(county, actor=ACTOR, action="demo", target="y", rules=DeadlineRules()) as change:
        pass  # names no case: anything may have changed
    assert seen[-1]["full"] is True
    with county.connect() as conn:
        assert hot_words.stored_words_current(conn)
    flt = CaseFilter.for_month(2024, 6)
    assert_frame_equal(hot_words.hot_words(county, flt, min_count=1, limit=1000),
                       hot_words.hot_words(county, flt, min_count=1, limit=1000, source="raw"))


def test_a_boundary_import_hides_a_new_place_name_and_keeps_the_words_current(engine):
    with write(engine, actor=ACTOR, action="import", target="cases", rules=DeadlineRules()) as change:
        for i in range(4):
            case_id = change.conn.execute(insert(Case).values(case_row(
                f"B-{i}", received_on=date(2026, 3, 2 + i), summary="反映桥头施工噪声扰民"))).inserted_primary_key[0]
            change.conn.execute(insert(Petitioner).values(case_id=case_id, name=f"居民{i}", id_number=f"B{i}"))
    march = CaseFilter.for_month(2026, 3)
    assert "桥头" in hot_words.hot_words(engine, march)["word"].to_list()
    with write(engine, actor=ACTOR, action="import", target="township:t.geojson", rules=DeadlineRules(),
               kind=OTHER) as change:
        change.conn.execute(insert(Township).values(name="桥头镇", kind="town"))
    with engine.connect() as conn:
        assert hot_words.stored_words_current(conn)
    shown = hot_words.hot_words(engine, march)["word"].to_list()
    assert "桥头" not in shown and "施工" in shown
    assert_frame_equal(hot_words.hot_words(engine, march, source="raw"), hot_words.hot_words(engine, march))


def test_a_case_import_names_its_cases_and_the_words_follow_it(engine, tmp_path, monkeypatch):
    seen = []
    original = stored_words.refresh
    monkeypatch.setattr(writes.case_words, "refresh", lambda *a, **k: seen.append(original(*a, **k)) or seen[-1])
    add_places(engine)
    first = [case(f"I{i}", "2024-03-05", 信访人=f"居民{i}", 身份证号码=f"ID{i}", 内容摘要="反映工地夜间施工噪声")
             for i in range(5)]
    first += [case("J1", "2024-02-05", 信访人="赵六", 内容摘要="反映工地扬尘")]
    import_cases(engine, write_xlsx(tmp_path / "a.xlsx", grid(first, HEADER)), today=date(2024, 4, 1))
    assert seen[-1]["full"]  # the first build: nothing stored yet
    march = CaseFilter.for_month(2024, 3)
    # Five petitioners each, none before but 工地 (J1 in February: a mean of 1/3); ties by code point.
    assert hot_words.hot_words(engine, march)["word"].to_list() == ["噪声", "夜间", "施工", "工地"]
    # Again: one summary rewritten, one petitioner renamed 夜间 (a name now: hidden), one new case.
    second = [case("I0", "2024-03-05", 内容摘要="反映工地扬尘"), case("I1", "2024-03-05", 信访人="夜间"),
              case("K1", "2024-03-09", 信访人="孙七", 内容摘要="反映工地夜间施工噪声")]
    summary = import_cases(engine, write_xlsx(tmp_path / "b.xlsx", grid(second, HEADER)), today=date(2024, 4, 1))
    assert (summary.imported, summary.updated) == (1, 2)
    assert len(summary.changed_case_ids) == 3
    assert seen[-1]["full"] is False and seen[-1]["months"] == 1
    with engine.connect() as conn:
        assert hot_words.stored_words_current(conn)
    stored = hot_words.hot_words(engine, march, min_count=1)
    assert_frame_equal(stored, hot_words.hot_words(engine, march, min_count=1, source="raw"))
    assert "夜间" not in stored["word"].to_list()
    counts = dict(zip(stored["word"].to_list(), stored["count"].to_list(), strict=True))
    assert counts["施工"] == 5 and counts["扬尘"] == 1  # I1-I4 and K1; I0 now writes of 扬尘
    officer = CaseFilter.for_month(2024, 3, scope=Scope(township_id=1, see_accusations=False))
    assert_frame_equal(hot_words.hot_words(engine, officer, min_count=1),
                       hot_words.hot_words(engine, officer, min_count=1, source="raw"))


def test_a_stamp_is_written_for_the_current_version(county):
    with county.connect() as conn:
        stamp = conn.execute(select(words_stamp)).mappings().one()
        assert stamp["rules"] == hot_words.rules_key()
        assert stamp["cases"] == 700
