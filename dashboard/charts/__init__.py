"""Plotly figures that more than one page draws, styled for the screen and the projector.

Builders take plain lists and labels (already translated and escaped by the
caller) and return a figure; they run no query and hold no state.
"""
