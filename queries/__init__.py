"""Every query the dashboard runs: pure functions of (engine, filter) returning Polars frames.

Nothing in this package imports Streamlit; caching lives in dashboard.data_access.
"""
