"""The map page in headless Chromium at 1920×1080: offline, drawn, clickable.

Every request the page makes is recorded: none may leave the machine. The
Leaflet map must be drawn inside streamlit-folium's iframe from the vendored
copy under /app/static/vendor/, and a click on a township must fill the panel
with that township's figures from the metrics engine. Screenshots go to
var/screenshots/map.png and map-projection.png for a person to look at.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import chromium_page, external_urls, requested_urls, running_app

from data.db import make_engine
from queries import areas, hotspots, metrics, reference
from queries.filters import CaseFilter, add_months
from services.demo import build_demo
from text.formatting import format_count

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "var" / "screenshots"
DEMO_CASES = 12_000  # the default size: enough for the rule to find hot spots before Spring Festival
FRAME = 'iframe[title="streamlit_folium.st_folium"]'

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[str, str]:
    """The demo database and the month to show: the latest with a hot spot (so the screenshot has one)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('map-browser') / 'demo.sqlite'}"
    engine = make_engine(url)
    try:
        build_demo(engine, cases=DEMO_CASES, seed=7)
        last = reference.data_period(engine)[1]
        month = add_months(last, -1)
        for back in range(1, 14):
            candidate = add_months(last, -back)
            flt = CaseFilter.for_month(candidate.year, candidate.month)
            if any(not hotspots.flagged(engine, flt, level).is_empty() for level in ("township", "park")):
                month = candidate
                break
    finally:
        engine.dispose()
    return url, f"{month.year:04d}-{month.month:02d}"


def wait_for_map(page) -> tuple[object, float]:
    """The map's frame once its polygons are drawn, and the seconds that took."""
    started = time.perf_counter()
    frame = page.wait_for_selector(FRAME, timeout=120_000).content_frame()
    frame.wait_for_selector("path.leaflet-interactive", timeout=120_000)
    return frame, time.perf_counter() - started


def point_inside(frame, township_id: int) -> dict | None:
    """A pixel of the township's polygon (frame coordinates) that nothing covers."""
    return frame.evaluate(
        """(id) => {
            for (const key in window.map._layers) {
                const layer = window.map._layers[key];
                const props = layer.feature && layer.feature.properties;
                if (!props || props.level !== "township" || props.area_id !== id || !layer._path) continue;
                const box = layer._path.getBoundingClientRect();
                for (let fy = 0.5; fy < 1; fy += 0.05) {
                    for (const s of [1, -1]) {
                        for (let fx = 0.5; fx < 1; fx += 0.05) {
                            for (const t of [1, -1]) {
                                const x = box.left + box.width * (0.5 + t * (fx - 0.5));
                                const y = box.top + box.height * (0.5 + s * (fy - 0.5));
                                if (document.elementFromPoint(x, y) === layer._path) return {x: x, y: y};
                            }
                        }
                    }
                }
            }
            return null;
        }""",
        township_id,
    )


def click_township(page, frame, township_id: int) -> None:
    point = point_inside(frame, township_id)
    assert point is not None, f"township {township_id} has no free pixel on the map"
    origin = page.query_selector(FRAME).bounding_box()
    page.mouse.click(origin["x"] + point["x"], origin["y"] + point["y"])


def expected_panel(db_url: str, month: str, township_id: int) -> tuple[str, str]:
    year, mon = (int(part) for part in month.split("-"))
    flt = CaseFilter.for_month(year, mon)
    engine = make_engine(db_url)
    try:
        name = areas.boundaries(engine, "township").filter(areas.pl.col("id") == township_id)["name"][0]
        figures = metrics.area_figures(engine, flt, "township")
    finally:
        engine.dispose()
    received = figures.filter(figures["id"] == township_id)["received"][0]
    return name, format_count(received)


def panel_received(page) -> str:
    return page.evaluate(
        """() => {
            for (const metric of document.querySelectorAll('[data-testid="stMetric"]')) {
                const label = metric.querySelector('[data-testid="stMetricLabel"]');
                if (label && label.innerText.trim().startsWith("信访总量")) {
                    return metric.querySelector('[data-testid="stMetricValue"]').innerText.trim();
                }
            }
            return null;
        }"""
    )


@pytest.mark.parametrize("projection", [False, True], ids=["normal", "projection"])
def test_map_is_drawn_offline_and_a_click_fills_the_panel(demo, projection):
    db_url, month = demo
    township_id = 5
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    query = f"month={month}" + ("&projection=1" if projection else "")
    with running_app(db_url, env={"DASHBOARD_DEMO_LOGIN": "1"}) as base, chromium_page(1920, 1080) as page:
        started = time.perf_counter()
        page.goto(f"{base}/map?{query}")
        frame, _ = wait_for_map(page)
        drawn = time.perf_counter() - started
        print(f"\nmap drawn {drawn:.2f} s after navigation ({'projection' if projection else 'normal'})")

        # 15 townships and 3 parks as Leaflet SVG paths, plus the reception points; a legend with classes.
        assert frame.locator("path.leaflet-interactive").count() >= 18
        assert frame.locator(".map-legend .swatch").count() >= 3
        assert frame.locator(".area-label").count() >= 18

        # Marks this instance of the map: a re-mounted map (a new iframe or a new Leaflet map) loses it.
        frame.evaluate("() => { window.map.__probe = 42; }")
        click_township(page, frame, township_id)
        name, received = expected_panel(db_url, month, township_id)
        page.wait_for_function(
            "(name) => [...document.querySelectorAll('h3')].some(h => h.innerText.includes(name))",
            arg=name, timeout=60_000,
        )
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stMetricLabel\"]')]"
            ".some(l => l.innerText.trim().startsWith('信访总量'))",
            timeout=60_000,
        )
        assert panel_received(page) == received
        # The panel's 13-month sparkline and its category bars, drawn as inline SVG and HTML.
        page.wait_for_function("() => document.querySelectorAll('svg[data-chart=\"sparkline\"] circle').length === 13"
                               " && document.querySelectorAll('[data-chart=\"ranked\"] [title]').length >= 2",
                               timeout=30_000)
        # The selection outline was swapped into the running map (it was not re-mounted).
        page.wait_for_function(
            "() => document.querySelector('iframe[title=\"streamlit_folium.st_folium\"]').contentWindow"
            ".feature_group && document.querySelector('iframe[title=\"streamlit_folium.st_folium\"]')"
            ".contentWindow.feature_group.length > 0",
            timeout=30_000,
        )
        assert page.locator('[data-testid="stException"]').count() == 0
        # The click reran the page, but the map in the browser is the same one (not rebuilt, zoom kept).
        assert page.query_selector(FRAME).content_frame().evaluate("() => window.map.__probe") == 42
        page.mouse.move(5, 5)  # no hover tooltip over the labels in the screenshot
        page.wait_for_timeout(800)  # the charts' last layout pass
        page.screenshot(path=str(SCREENSHOTS / ("map-projection.png" if projection else "map.png")))

        urls = requested_urls(page)
        assert external_urls(urls) == []
        paths = {urlsplit(u).path for u in urls}
        assert "/app/static/vendor/leaflet/leaflet.js" in paths
        assert "/app/static/vendor/leaflet/leaflet.css" in paths
        # Only Leaflet: the map loads no jQuery (geo/maps.py, build_map).
        assert not any("jquery" in path for path in paths)
        # The frontend went to the server's health check at the app's root at once, without first
        # asking below the page's path (front_door.backend_base_script).
        assert "/_stcore/health" in paths and not any(path.startswith("/map/_stcore/") for path in paths)
        # Streamlit's frontend scripts came gzip-compressed (dashboard/static_assets.py).
        encodings = page.evaluate(
            "() => performance.getEntriesByType('resource').filter(e => e.name.includes('/static/js/index.'))"
            ".map(e => [e.encodedBodySize, e.decodedBodySize])"
        )
        assert encodings and all(0 < encoded < decoded / 2 for encoded, decoded in encodings)
