"""The translation table: complete in both languages, and covering every key the code uses."""

import re
import string
from pathlib import Path

import pytest

from dashboard.page_registry import LOGIN_PAGE, PAGES
from data.models import CHANNEL_VALUES
from text import i18n
from text.i18n import LANGUAGES, TRANSLATIONS, category_name, channel_name, t, translate

ROOT = Path(__file__).resolve().parents[2]
# t("key"), translate("key", ...), metric_label("name") and metric_help("name") in source files.
KEY_CALL = re.compile(r"""\b(?:t|translate)\(\s*["']([a-z0-9_.]+)["']""")
METRIC_CALL = re.compile(r"""\bmetric_(?:label|help)\(\s*["']([a-z0-9_]+)["']""")
# Metric columns of queries.metrics.headline (COMMON.md contract): each needs a label and a definition.
HEADLINE_METRICS = (
    "received", "first_time", "group_visits", "repeat_share", "concluded", "resolution_rate",
    "first_time_resolution_rate", "first_letter_resolution_rate", "first_visit_resolution_rate",
    "on_time_rate", "on_time_rate_3_7_21", "overdue_open", "backlog", "satisfaction_rate_office",
    "satisfaction_rate_unit", "rating_rate",
)


# Keys whose languages legitimately use different fields (the caller passes all of them).
LANGUAGE_SPECIFIC_FIELDS = {"period.month"}


def _source_files():
    for folder in ("dashboard", "pages"):
        # i18n.py itself only shows examples (t("key")) in its docstrings.
        yield from (p for p in (ROOT / folder).rglob("*.py") if p.name != "i18n.py")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TRANSLATIONS))
def test_every_key_has_both_languages_with_the_same_placeholders(key):
    texts = TRANSLATIONS[key]
    assert set(texts) == set(LANGUAGES), key
    assert all(texts[lang].strip() for lang in LANGUAGES), key
    if key not in LANGUAGE_SPECIFIC_FIELDS:
        assert _fields(texts["zh"]) == _fields(texts["en"]), key


def test_every_key_the_code_uses_exists():
    used: set[str] = set()
    for path in _source_files():
        text = path.read_text(encoding="utf-8")
        used |= set(KEY_CALL.findall(text))
        used |= {f"metric.{m}.label" for m in METRIC_CALL.findall(text)}
        used |= {f"metric.{m}.help" for m in METRIC_CALL.findall(text)}
    # The scan must have found the pages' keys, or the regular expression is broken.
    assert {"app.title", "overview.heading"} <= used
    # Page titles are composed by the registry (page.<name>), not written out.
    used |= {page.title_key for page in (*PAGES, LOGIN_PAGE)}
    missing = sorted(used - set(TRANSLATIONS))
    assert missing == []


@pytest.mark.parametrize("name", HEADLINE_METRICS)
def test_every_metric_has_label_and_definition(name):
    for part in ("label", "help"):
        assert f"metric.{name}.{part}" in TRANSLATIONS


def test_every_channel_is_named():
    for channel in CHANNEL_VALUES:
        assert f"channel.{channel}" in TRANSLATIONS
    assert translate("channel.online", "zh") == "网上信访"
    assert translate("channel.leader_reception", "en") == "Leader reception"


def test_chinese_is_the_default_outside_a_session():
    assert t("page.overview") == "总览"
    assert channel_name("letter") == "来信"


def test_formatting_placeholders():
    assert translate("period.month", "zh", year=2026, month=5, month_name="May") == "2026年5月"


def test_category_names(monkeypatch):
    assert category_name("labour_social_security", "劳动社保") == "劳动社保"
    monkeypatch.setattr(i18n, "current_language", lambda: "en")
    assert category_name("labour_social_security", "劳动社保") == "Labour and social security"
    # A category the table does not know keeps its database name.
    assert category_name("x_unknown", "其他") == "其他"
    # An imported category with a code of its own is still recognised by its Chinese name.
    assert category_name("imported_7", "生态环境") == "Environment"


def test_demo_category_codes_all_have_english_names():
    from services.demo import CATEGORIES

    for spec in CATEGORIES:
        assert f"category.{spec.code}" in TRANSLATIONS, spec.code


def test_missing_key_raises():
    with pytest.raises(KeyError):
        t("no.such.key")


def test_keys_built_from_names_exist():
    """Keys the code composes at run time (f"filters.{param}" and the like)."""
    from dashboard.filters_ui import DIMENSIONS

    # The overview's tiles: ("received", "count", False), ... in pages/overview.py.
    tiles = re.findall(r"""\(\s*"(\w+)",\s*"(?:count|rate)",""", (ROOT / "pages" / "overview.py").read_text("utf-8"))
    assert len(tiles) == 6

    for param, _, _ in DIMENSIONS:
        assert f"filters.{param}" in TRANSLATIONS
    for lang in LANGUAGES:
        assert f"ui.language.{lang}" in TRANSLATIONS
    for mode in ("month", "range"):
        assert f"filters.period_mode.{mode}" in TRANSLATIONS
    for name in tiles:
        assert f"metric.{name}.label" in TRANSLATIONS and f"metric.{name}.help" in TRANSLATIONS


def test_keys_of_the_outcomes_page_built_from_names_exist():
    """pages/outcomes.py and queries/league_export.py compose keys from the values they show."""
    from data.models import OUTCOME_VALUES, RESOLUTION_LEVEL_VALUES, SATISFACTION_VALUES
    from queries.league_export import RATE_COLUMNS
    from queries.outcomes import GROUPINGS, LEAGUE_RATES, RULE_SETS, STEPS

    keys = [f"outcomes.step.{s}" for s in STEPS]
    keys += [f"outcomes.rule_set.{r}" for r in RULE_SETS]
    keys += [f"outcomes.rules.{r}" for r in RULE_SETS] + [f"outcomes.rules.{r}.caption" for r in RULE_SETS]
    keys += [f"outcomes.level.{v}" for v in (*RESOLUTION_LEVEL_VALUES, "none")]
    keys += [f"outcomes.outcome.{v}" for v in OUTCOME_VALUES]
    keys += [f"outcomes.satisfaction.{v}" for v in SATISFACTION_VALUES]
    keys += [f"outcomes.status.{v}" for v in ("on_time", "late", "missing", "overdue", "pending")]
    keys += [f"outcomes.list.{w}" for w in ("overdue", "due_soon")]
    keys += [f"outcomes.list.{w}.none" for w in ("overdue", "due_soon")]
    keys += [f"outcomes.col.{c}" for c in ("days_over", "days_left")]
    keys += [f"league.name.{by}" for by in GROUPINGS] + [f"league.{rate}" for rate in LEAGUE_RATES]
    keys += [f"league.{rate}" for rate, _, _ in RATE_COLUMNS]
    keys += [f"league.{k}" for k in ("sheet", "rank", "received", "numerator", "denominator", "overdue_open",
                                     "not_ranked", "note")]
    # Every figure carries its definition: the new measures' labels and one-sentence help.
    for name in ("step_taken", "step_days_median", "step_days_p90", "stuck", "overdue_now", "due_soon",
                 "backlog_previous", "backlog_cleared", "backlog_joined"):
        keys += [f"metric.{name}.label", f"metric.{name}.help"]
    keys += ["metric.overdue_now_3_7_21.help", "metric.due_soon_3_7_21.help", "metric.backlog_age_band.help",
             "metric.resolution_level.help", "metric.league_rank.help"]
    assert [k for k in keys if k not in TRANSLATIONS] == []
