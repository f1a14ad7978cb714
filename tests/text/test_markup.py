"""Data is text: the escapes of text/markup.py, worked out by hand for each place a value is shown.

What Streamlit's real renderer makes of them is checked in Chromium
(tests/browser/test_markup_browser.py); here, the exact strings.
"""

from __future__ import annotations

import re

import pytest

from text.markup import (
    WORD_JOINER,
    html_text,
    is_formula_like,
    markdown_html_text,
    markdown_join,
    markdown_text,
    plotly_text,
    sheet_cell,
)

WJ = WORD_JOINER
HOSTILE = (
    "![b](http://evil.invalid/x.png)",
    "[link](http://evil.invalid)",
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://evil.invalid","y")',
    "+1+2",
    ":material/warning:",
    "$x^2$",
    "**bold**",
)


def shown(markdown: str) -> str:
    """What a reader sees of escaped Markdown: backslash escapes resolved, word joiners invisible."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WJ, "")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("![b](http://evil.invalid/x.png)", r"\!\[b\]\(http\:" + WJ + r"\/\/evil\.invalid\/x\.png\)"),
        ("[link](http://evil.invalid)", r"\[link\]\(http\:" + WJ + r"\/\/evil\.invalid\)"),
        ("<img src=x onerror=alert(1)>", r"\<img src\=x onerror\=alert\(1\)\>"),
        ("**bold**", r"\*\*bold\*\*"),
        ("$x^2$", r"\$x\^2\$"),
        (":material/warning:", r"\:" + WJ + r"material\/warning\:" + WJ),
        ("+1+2", r"\+1\+2"),
        ("东岭镇", "东岭镇"),  # nothing to escape: unchanged
        ("# 标题", r"\# 标题"),
        ("1. 一", r"1\. 一"),
        ("a | b", r"a \| b"),
        ("`code`", r"\`code\`"),
        ("a_b_c ~x~", r"a\_b\_c \~x\~"),
        ("C:\\dir", "C\\:" + WJ + "\\\\dir"),
        # Found after escapes are gone (GFM autolinks, e-mail): a word joiner breaks them.
        ("www.evil.invalid", "www" + WJ + r"\.evil\.invalid"),
        ("WWW.evil.invalid", "WWW" + WJ + r"\.evil\.invalid"),
        ("a@evil.invalid", r"a\@" + WJ + r"evil\.invalid"),
        # Streamlit turns " -> " into an arrow and " >= " into ≥.
        ("a -> b >= c", "a \\-" + WJ + "\\> b \\>" + WJ + "\\= c"),
        # A line break could start a block: it becomes a space.
        ("第一行\n# 第二行\r\n- 三", r"第一行 \# 第二行 \- 三"),
        (None, ""),
        (42, "42"),
    ],
)
def test_markdown_text(value, expected):
    assert markdown_text(value) == expected


@pytest.mark.parametrize("value", [*HOSTILE, "a\\*b", "\\", "东岭镇（东街）", "50% & <b>", ":smile: :streamlit:"])
def test_markdown_text_reads_back_as_the_value(value):
    escaped = markdown_text(value)
    assert shown(escaped) == value
    # Every ASCII punctuation character in the output is escaped (or is an escaping backslash).
    assert re.fullmatch(r"(?:\\[!-/:-@\[-`{-~]|[^!-/:-@\[-`{-~])*", escaped)


def test_markdown_join_escapes_each_value_not_the_separator():
    assert markdown_join(["**a**", "b"]) == r"\*\*a\*\*、b"
    assert markdown_join(["x", "y"], ", ") == "x, y"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ('"a" & \'b\'', "&quot;a&quot; &amp; &#x27;b&#x27;"),
        # Folium puts tooltip text into a JavaScript template literal.
        ("`${alert(1)}`", "&#96;&#36;&#123;alert(1)&#125;&#96;"),
        # Branca renders a map element's output again as a Jinja template on the server.
        ("{{ 7*7 }}{% if 1 %}x{% endif %}{#c#}", "&#123;&#123; 7*7 &#125;&#125;&#123;% if 1 %&#125;x"
                                                  "&#123;% endif %&#125;&#123;#c#&#125;"),
        ("a\\", "a&#92;"),
        ("东岭镇", "东岭镇"),
        (None, ""),
    ],
)
def test_html_text(value, expected):
    assert html_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('<a href="http://evil.invalid">x</a>', '&lt;a href="http://evil.invalid"&gt;x&lt;/a&gt;'),
        ("A&B <br>", "A&amp;B &lt;br&gt;"),
        ("$x^2$", "&#36;x^2&#36;"),
        ('"quoted"', '"quoted"'),  # Plotly knows no &quot;: quotes stay
        ("东岭镇", "东岭镇"),
        (None, ""),
    ],
)
def test_plotly_text(value, expected):
    assert plotly_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.invalid","y")', '\'=HYPERLINK("http://evil.invalid","y")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("＝1+1", "'＝1+1"),
        ("东岭镇", "东岭镇"),
        ("a=1", "a=1"),  # only the first character makes a formula
        ("", ""),
        (-3, -3),  # a number is a number
        (None, None),
    ],
)
def test_sheet_cell(value, expected):
    assert sheet_cell(value) == expected
    assert is_formula_like(value) == (expected != value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<img src=x>", "&#60;img src&#61;x&#62;"),
        # Markdown inside HTML: emphasis, a link, math and a directive stay text; a blank line cannot end the block.
        ("**b** [l](http://e)", "&#42;&#42;b&#42;&#42; &#91;l&#93;&#40;http&#58;&#47;&#47;e&#41;"),
        ("$x^2$ :material/home:", "&#36;x&#94;2&#36; &#58;material&#47;home&#58;"),
        ("a\n\nb", "a b"),
        ("东岭镇（工业园区）", "东岭镇（工业园区）"),  # full-width punctuation is not ASCII: as it is
        (None, ""),
    ],
)
def test_markdown_html_text(value, expected):
    assert markdown_html_text(value) == expected
