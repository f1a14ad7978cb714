"""The app as an ASGI application: Streamlit's server with the front door's routes and middleware.

``python -m dashboard serve`` (and so ``make run``) runs
``streamlit run dashboard/asgi.py``; Streamlit finds ``app`` below and serves
it with uvicorn, reading .streamlit/config.toml as for a plain script.
``uvicorn dashboard.asgi:app`` from the project root works too. The pages
themselves are still the entry script dashboard/app.py (``st.navigation``);
dashboard/front_door.py says what is added in front of it and why.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from dashboard import front_door

ENTRY_SCRIPT = Path(__file__).resolve().parent / "app.py"

app = st.App(
    ENTRY_SCRIPT,
    routes=front_door.routes(),
    middleware=[Middleware(front_door.FrontDoor)],
    lifespan=front_door.warm_start,
)
