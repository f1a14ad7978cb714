"""Data is text: every value that came from a file or a user, escaped for the place it is shown.

A township's name, a unit, a leader, a column header or a case summary is
data, and the places a page shows it all interpret markup of their own:

- **Markdown** (:func:`markdown_text`): st.markdown, st.caption, st.title,
  st.subheader, st.info/warning/error/success, st.metric labels, tab and
  expander labels, widget labels, st.radio options and st.table cells all go
  through Streamlit's Markdown renderer (react-markdown with GFM, math,
  directives, emoji and Material icons). ``![b](http://host/x.png)`` there
  makes every viewer's browser fetch the URL, ``[x](javascript:…)`` is a link
  (Streamlit passes every URL through), ``:material/warning:`` an icon.
- **HTML** (:func:`html_text`): Folium's labels, tooltips and legend;
  (:func:`markdown_html_text`) HTML a page passes to ``st.markdown`` with
  ``unsafe_allow_html`` (the overview's charts).
- **Plotly text** (:func:`plotly_text`): axis labels, bar labels and hover
  text, where Plotly draws ``<a href>``, ``<b>``, ``<span style>`` and friends.
- **Spreadsheets** (:func:`sheet_cell`, :func:`is_formula_like`): a cell
  starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
  formula to Excel, LibreOffice and WPS (``=HYPERLINK(…)`` sends data out).

Trusted text (the translation table) is written as Markdown on purpose; only
the values put into it are escaped: ``t("key", name=markdown_text(name))``.
This module is in the bottom layer: every layer may import it.
"""

from __future__ import annotations

import html
import re
import string

# U+2060 WORD JOINER: invisible, zero width, no line break. Some of Streamlit's
# Markdown plugins search the *parsed* text, after backslash escapes are gone
# (GFM's second autolink pass for "http://", "www." and e-mail addresses,
# emoji shortcodes ":smile:", the ":streamlit:" logo), so an escape alone does
# not stop them; a word joiner inside the pattern does.
WORD_JOINER = "\u2060"

# CommonMark lets a backslash escape any ASCII punctuation character, and the
# backslash is then dropped: escaping all of them needs no list of which
# characters are syntax where (emphasis, links, images, code, headings, lists,
# tables, block quotes, HTML, math, directives, entities, setext underlines).
_ASCII_PUNCTUATION = frozenset(string.punctuation)
# A line break could start a block (a heading, a list, a table, a code fence).
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029\x85]+")
# Where a word joiner goes, in the raw text (before escaping):
_BREAK_AFTER = re.compile(
    r"(?<=[:@])"  # ":smile:", ":streamlit:", "http://", "mailto:", "a@b.cn"
    r"|(?<=www)(?=\.)"  # "www.host" (case-insensitive below)
    r"|(?<=[-<>~])(?=[-<>=])",  # "->", "<-", "--", ">=", "<=", "~=": Streamlit's typographic arrows
    re.IGNORECASE,
)

# What makes a spreadsheet cell a formula (OWASP, "CSV Injection"), and a
# full-width "＝" or "＋" that an Excel with East Asian input turns into one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _text(value) -> str:
    return "" if value is None else str(value)


def markdown_text(value) -> str:
    """``value`` as literal text in any of Streamlit's Markdown places; None is "".

    Every ASCII punctuation character is backslash-escaped, line breaks become
    spaces, and a word joiner (invisible) breaks the patterns Streamlit's
    plugins find after escapes are gone. What the viewer reads is ``value``.
    """
    text = _LINE_BREAKS.sub(" ", _text(value))
    text = _BREAK_AFTER.sub(WORD_JOINER, text)
    return "".join("\\" + ch if ch in _ASCII_PUNCTUATION else ch for ch in text)


def markdown_join(values, separator: str = "、") -> str:
    """Several values as one escaped Markdown text, joined by ``separator`` (trusted)."""
    return separator.join(markdown_text(v) for v in values)


def html_text(value) -> str:
    """``value`` as literal text in HTML, in an attribute, and in a JavaScript template literal.

    ``html.escape(quote=True)``, and also the backtick, ``$`` and backslash as
    character references: Folium writes a tooltip's text into a JavaScript
    template literal (`` `<div>…</div>` ``), where `` ` `` would end it and
    ``${…}`` would run code. Braces too: branca renders each map element's
    output again as a Jinja template on the server, where ``{{ … }}`` in a
    name would be evaluated (and could run code there).
    """
    return (
        html.escape(_text(value), quote=True)
        .replace("`", "&#96;")
        .replace("$", "&#36;")
        .replace("\\", "&#92;")
        .replace("{", "&#123;")
        .replace("}", "&#125;")
    )


def markdown_html_text(value) -> str:
    """``value`` as literal text inside HTML that Streamlit's Markdown renders (``st.markdown(..., unsafe_allow_html=True)``).

    Line breaks become spaces (a blank line would end the HTML block and what
    follows would be read as Markdown), and every ASCII punctuation character
    is written as a numeric character reference (``&#60;`` for ``<``): no tag,
    attribute end, entity, Markdown syntax, math or directive survives, in
    text or in an attribute value, and the browser shows the character.
    """
    text = _LINE_BREAKS.sub(" ", _text(value))
    return "".join(f"&#{ord(ch)};" if ch in _ASCII_PUNCTUATION else ch for ch in text)


def plotly_text(value) -> str:
    """``value`` as literal text in a Plotly label, tick or hover text.

    Plotly reads ``<br>``, ``<b>``, ``<a href>``, ``<span style>`` … in text
    and turns ``&lt;``, ``&amp;`` and numeric references back into characters
    (only in text between tags); ``$…$`` is TeX when MathJax is loaded. Plotly
    knows no ``&quot;``, so quotes are left as they are.
    """
    return _text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("$", "&#36;")


def is_formula_like(value) -> bool:
    """Whether a spreadsheet program would read this text as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def sheet_cell(value):
    """A value for a text export (CSV, TSV): a formula-like string gets a leading apostrophe.

    Numbers, dates and None pass unchanged. For .xlsx, data/workbook.py writes
    strings as text cells with Excel's quote prefix instead, keeping the text
    exact (a text cell is never evaluated; the prefix keeps it text when edited).
    """
    if is_formula_like(value):
        return "'" + value
    return value
