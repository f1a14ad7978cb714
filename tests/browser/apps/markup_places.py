"""A tiny Streamlit script for tests/browser/test_markup_browser.py: hostile values in every Markdown place.

The values come as JSON in the environment variable MARKUP_VALUES. Each goes
through text.markup.markdown_text into st.markdown, st.caption, st.subheader,
st.info, a metric label, a widget label, a radio option, a tab and an
expander label and a st.table cell; and, unescaped, into the places Streamlit
draws as plain text (selectbox and multiselect options).
"""

import json
import os

import streamlit as st

from text.markup import markdown_text

for i, value in enumerate(json.loads(os.environ["MARKUP_VALUES"])):
    text = markdown_text(value)
    with st.container(key=f"value-{i}"):
        st.markdown(text)
        st.caption(text)
        st.subheader(text)
        st.info(text)
        st.metric(text, 1)
        st.radio(text, [text, "z"], key=f"r{i}")
        (tab,) = st.tabs([text])
        with st.expander(text):
            st.write("x")
        st.table({"c": [text]})
        # Plain-text places: the value as it is (escaping would show the backslashes).
        st.selectbox("s", [value, "x"], key=f"s{i}")
        st.multiselect("m", [value, "y"], default=[value], key=f"m{i}")
