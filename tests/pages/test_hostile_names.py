"""Hostile names through every page and every role: data shows as text, never as markup.

On the hostile county (tests/hostile_county.py) each registered page is
opened in AppTest as each role that may open it; the map with the target
township's panel open. Every place Streamlit renders as Markdown (text
elements, notices, metric, widget, tab and expander labels, radio options,
table cells) is read from the element tree: with its backslash escapes
removed, no raw markup of a hostile value may be left. Plotly figures may
hold no raw tag, and the map component no raw tag or template-literal
escape. The office also uploads a hostile case file and a hostile boundary
file on the import page. What the browser makes of it all is checked in
tests/browser/test_hostile_browser.py.
"""

from __future__ import annotations

import json
import re

import pytest
from hostile_county import (
    BOLD,
    HOSTILE,
    HYPERLINK,
    IMAGE,
    IMG_TAG,
    LINK,
    MARKUP,
    PLUS,
    SCRIPT,
    build_hostile_county,
)
from import_builders import case, grid, write_xlsx
from streamlit.testing.v1 import AppTest

from dashboard.page_registry import PAGES
from text.markup import WORD_JOINER, markdown_html_text, markdown_text

ROLES = ("office", "leader", "township", "projection")
MARKDOWN_TYPES = {"markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success",
                  "toast", "exception"}
# Plotly reads these as tags; the map's scripts hold them only as escaped text.
RAW_TAGS = ("<img", "<a ", "<a>", "$x^2$")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return build_hostile_county(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'county.sqlite'}")


def _walk(node):
    yield node
    for child in (getattr(node, "children", None) or {}).values():
        yield from _walk(child)


def markdown_places(at: AppTest) -> list[tuple[str, str]]:
    """(where, source) of every text Streamlit renders as Markdown on this run."""
    places = []
    for node in _walk(at._tree):
        proto, kind = getattr(node, "proto", None), getattr(node, "type", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        fields = {f.name: v for f, v in proto.ListFields()}
        if kind in MARKDOWN_TYPES and "body" in fields:
            places.append((kind, fields["body"]))
        if isinstance(fields.get("label"), str):
            places.append((f"{kind} label", fields["label"]))
        if kind == "radio":
            places.extend((f"{kind} option", option) for option in fields.get("options", ()))
    for table in at.table:
        places.extend(("table cell", str(v)) for v in table.value.to_numpy().ravel())
    return places


def unescaped(source: str) -> str:
    """A Markdown source with its backslash escapes (and word joiners) removed: what is left is markup."""
    return re.sub(r"\\.", "", source).replace(WORD_JOINER, "")


def assert_no_markup(at: AppTest) -> list[tuple[str, str]]:
    places = markdown_places(at)
    for where, source in places:
        left = unescaped(source)
        assert not any(m in left for m in MARKUP), (where, source)
    return places


def plotly_strings(at: AppTest) -> list[str]:
    found: list[str] = []

    def collect(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for chart in at.get("plotly_chart"):
        collect(json.loads(chart.proto.spec))
    return found


def assert_no_raw_tags(at: AppTest) -> None:
    for text in plotly_strings(at):
        assert not any(tag in text for tag in RAW_TAGS), text
    for component in at.get("component_instance"):
        args = component.proto.json_args
        assert "<img src=x" not in args and "${alert" not in args and "`${" not in args


def open_as(open_page, county, page: str, role: str) -> AppTest:
    township_id = county.township_id if role == "township" else None
    state = {"map.selected": f"township:{county.township_id}"} if page == "map" else None
    return open_page(county.url, page, role=role, township_id=township_id, state=state, timeout=180,
                     month=county.month)


CASES = [(page.name, role) for page in PAGES for role in ROLES if page.allowed(role)]


@pytest.mark.parametrize(("page", "role"), CASES, ids=[f"{p}-{r}" for p, r in CASES])
def test_hostile_names_are_text_on_every_page_for_every_role(open_page, county, page, role):
    at = open_as(open_page, county, page, role)
    places = assert_no_markup(at)
    assert_no_raw_tags(at)
    sources = " ".join(source for _, source in places)
    if page == "map":
        # The panel's heading is the target's name, escaped: the viewer reads it as typed.
        assert markdown_text(IMAGE) + " · 乡镇（街道）" in [s.value for s in at.subheader]
        # Its linked leaders and the last reception place are there, escaped.
        assert markdown_text(LINK) in sources
        assert markdown_text(f"{IMAGE} {SCRIPT}") in sources
        # The category bars (inline SVG/HTML) hold the category's name, every ASCII punctuation a
        # character reference, as the overview's top-10 lists do.
        assert markdown_html_text(IMG_TAG) in sources
    if page == "overview" and role != "township":
        # A top-10 township in the overview's HTML list, every ASCII punctuation a character reference.
        assert markdown_html_text(IMG_TAG) in sources


@pytest.mark.parametrize("role", ["office", "leader", "township"])
def test_case_lists_hold_the_raw_values_as_plain_cells(open_page, county, role):
    """st.dataframe shows text as text: the formula-looking case numbers are there, verbatim."""
    at = open_as(open_page, county, "map", role)
    numbers = {n for df in at.dataframe for n in df.value.get("信访件编号", [])}
    assert {HYPERLINK, PLUS} <= numbers


@pytest.mark.parametrize("role", ["office", "leader"])
def test_a_revealed_petitioner_is_text_in_the_reveal_table(open_page, county, role):
    at = open_as(open_page, county, "map", role)
    at.selectbox(key="w.reveal.map.case").select(HYPERLINK).run()
    assert_no_markup(at)  # the masked record
    at.button(key="w.reveal.map.go").click().run()
    assert not at.exception
    places = assert_no_markup(at)
    cells = [source for where, source in places if where == "table cell"]
    assert markdown_text(BOLD) in cells and markdown_text(f"{IMAGE} {LINK}") in cells


def test_a_hostile_case_file_and_boundary_file_on_the_import_page(open_page, county, tmp_path):
    headers = ["信访件编号", "登记日期", "信访形式", "问题属地", "问题类别", "责任单位", "包案领导", IMAGE, IMG_TAG]
    rows = [case("H1", 问题属地=IMAGE, 问题类别="**新类别**[x](http://evil.invalid)", 责任单位=IMG_TAG,
                 包案领导="$x^2$", **{IMAGE: LINK, IMG_TAG: HYPERLINK}),
            case("H2", "2024-02-30", 问题属地="火星镇 ![c](http://evil.invalid/c.png)")]
    data = write_xlsx(tmp_path / "hostile.xlsx", grid(rows, headers)).read_bytes()
    at = open_page(county.url, "data_import", role="office", timeout=180, errors_allowed=True)
    at.file_uploader(key="w.import.cases.file").upload("hostile.xlsx", data)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    places = assert_no_markup(at)
    # The unrecognised columns are named in a caption, escaped.
    assert any(markdown_text(IMAGE) in source for _, source in places)
    at.button(key="w.import.cases.run").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    places = assert_no_markup(at)
    created = " ".join(i.value for i in at.info)
    assert markdown_text("**新类别**[x](http://evil.invalid)") in created  # a category the file created

    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": name},
         "geometry": {"type": "Polygon", "coordinates": [[[119.5 + i / 10, 26.5], [119.6 + i / 10, 26.5],
                                                          [119.6 + i / 10, 26.6], [119.5 + i / 10, 26.5]]]}}
        for i, name in enumerate(HOSTILE)
    ]}
    at.file_uploader(key="w.import.bounds.file").upload("hostile.geojson", json.dumps(geojson).encode())
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert_no_markup(at)
    assert_no_raw_tags(at)
    # The outline's labels, as text (the reader drops the spaces inside a name).
    assert "&lt;imgsrc=xonerror=alert(1)&gt;" in plotly_strings(at)
