"""text/markup.py against Streamlit 1.67's real renderer, in headless Chromium.

Every hostile value, escaped, in every kind of Markdown place: the browser
draws no link, image, KaTeX, Material icon, emphasis, code, heading, list,
quote or table from it, requests nothing outside, runs no script, and the
reader sees the value as typed. Selectbox and multiselect options are plain
text in Streamlit (checked here too), so they take the value unescaped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import chromium_page, external_urls, requested_urls, running_app

APP = Path(__file__).resolve().parent / "apps" / "markup_places.py"
WORD_JOINER = "\u2060"
VALUES = [
    "![b](http://evil.invalid/x.png)", "[link](http://evil.invalid)", "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://evil.invalid","y")', "+1+2", ":material/warning:", "$x^2$", "**bold**",
    "http://evil.invalid/p www.evil.invalid a@evil.invalid :smile: :streamlit: -> :red[x] `code` ~~s~~",
    "# head", "- item", "1. one", "| a | b |", "> quote", "[x](javascript:alert(1))", "`${alert(1)}` \\ &lt;",
]

pytestmark = pytest.mark.browser


def test_escaped_values_render_as_the_text_typed():
    with running_app(None, script=APP, env={"MARKUP_VALUES": json.dumps(VALUES)}) as base, chromium_page() as page:
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(base)
        page.wait_for_selector(f".st-key-value-{len(VALUES) - 1} [data-testid=stTable]", timeout=90_000)
        page.wait_for_timeout(1500)  # lazily loaded Markdown plugins (KaTeX, emoji) would have run by now
        found = page.evaluate(
            """() => {
                const md = '[data-testid=stMarkdownContainer], [data-testid=stCaptionContainer]';
                const inMd = (sel) => [...document.querySelectorAll(sel)].filter(e => e.closest(md));
                return {
                    links: inMd('a').map(a => a.getAttribute('href')).filter(h => !h.startsWith('#')),
                    images: [...document.querySelectorAll('img')].map(i => i.getAttribute('src'))
                        .filter(s => !s.startsWith('data:image/svg')),
                    katex: document.querySelectorAll('.katex').length,
                    icons: inMd('span[role=img]').length,
                    markup: inMd('strong, em, del, code, h1, ul, ol, li, blockquote, table').length,
                    coloured: document.querySelectorAll('.stMarkdownColoredText').length,
                    onerror: document.querySelectorAll('[onerror]').length,
                };
            }"""
        )
        assert found == {"links": [], "images": [], "katex": 0, "icons": 0, "markup": 0, "coloured": 0,
                         "onerror": 0}
        for i, value in enumerate(VALUES):
            box = page.locator(f".st-key-value-{i}")
            shown = {
                "markdown": box.locator("[data-testid=stMarkdownContainer] p").first.inner_text(),
                "caption": box.locator("[data-testid=stCaptionContainer]").first.inner_text(),
                "subheader": box.locator("h3").first.inner_text(),
                "metric label": box.locator("[data-testid=stMetricLabel]").inner_text(),
                "table cell": box.locator("[data-testid=stTable] td").first.inner_text(),
                "tab": box.locator("[role=tab]").inner_text(),
            }
            for where, text in shown.items():
                assert text.replace(WORD_JOINER, "").strip() == value, (where, text)
            # Plain-text options show the value as it is, and no markup either.
            chip = box.locator("[data-testid=stMultiSelect] span[title]").first.get_attribute("title")
            assert chip == value
        assert dialogs == []
        assert external_urls(requested_urls(page)) == []
