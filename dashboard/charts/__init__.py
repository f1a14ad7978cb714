"""Plotly figures that pages (and commands) draw, styled for the screen and the projector, and their exports.

Builders take plain lists, frames and labels (already translated and escaped by
the caller) and return a figure; they run no query and import no Streamlit.
"""
