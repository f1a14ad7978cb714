"""Text from data made inert before Streamlit's Markdown sees it.

A township, unit or category name, or a dispatch item written by a clerk,
is data: passed raw to ``st.markdown`` (or a label, a title) it could make a
link, load an image or colour the page (``:red[…]``). Every ASCII
punctuation character is backslash-escaped (CommonMark allows it for all of
them), which also stops Streamlit's ``:directive[…]`` and ``:emoji:`` forms.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=\"'&^%@;,/?])")


def markdown_text(value: object) -> str:
    """``value`` as plain text inside Markdown: shown exactly as written, never interpreted."""
    text = "" if value is None else str(value)
    return _PUNCTUATION.sub(r"\\\1", text).replace("\n", " ")
