"""Plotly figure builders and their exports, for pages and commands; no Streamlit here."""
