from data.importing.places import PlaceMatcher

TOWNS = [(1, "城关镇", "350981100"), (2, "松山街道", None), (3, "松港街道", None), (4, "溪南乡", None),
         (5, "东湖镇", None), (6, "东湖街道", None)]


def test_exact_after_width_and_spaces():
    m = PlaceMatcher(TOWNS)
    assert m.match("城关镇") == 1
    assert m.match(" 城 关　镇 ") == 1
    assert m.match("350981100") == 1


def test_without_suffix_when_unambiguous():
    m = PlaceMatcher(TOWNS)
    assert m.match("城关") == 1
    assert m.match("溪南") == 4
    assert m.match("松山街道办事处") == 2
    assert m.match("东湖") is None  # 东湖镇 or 东湖街道: ambiguous


def test_other_suffix_is_another_place():
    m = PlaceMatcher(TOWNS)
    assert m.match("城关乡") is None  # never read as 城关镇
    assert m.match("城关镇镇") is None


def test_suggestions_only_for_the_message():
    m = PlaceMatcher(TOWNS)
    assert m.match("松山镇") is None
    assert "松山街道" in m.suggestions("松山镇")


def test_parks_any_park_suffix():
    m = PlaceMatcher([(1, "松城工业园区", None)], "park")
    assert m.match("松城工业园") == 1
    assert m.match("松城园区") == 1
    assert m.match("松城") == 1
    assert m.match("东城工业园") is None


def test_candidates_tell_ambiguous_from_unknown():
    m = PlaceMatcher(TOWNS)
    assert m.candidates("东湖") == {5, 6}  # ambiguous: both named
    assert m.candidates("西湖") == set()  # unknown
    assert m.candidates("城关") == {1}
    assert m.candidates("") == set()
