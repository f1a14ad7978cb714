"""``serve [--port P] [--host H] [--db URL]``: migrate the database, then run the Streamlit app.

The app runs with the repository root as its working directory, so that
``.streamlit/config.toml`` (intranet settings: no usage statistics, no error
details, static serving of the vendored map assets) applies. Streamlit serves
the ASGI app of dashboard/asgi.py (``st.App``): the entry script behind the
front door's log-in cookie, security headers and guarded metrics.
"""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import select

from config.settings import PROJECT_ROOT, resolve_database_url
from dashboard.cli import CommandError, add_db_argument
from data.db import make_engine, migrate
from data.models import Case
from services.auth import InsecureConfiguration, require_production_secret

# `streamlit run` on a file holding an st.App serves that app (with uvicorn) instead of a plain script.
ASGI_APP = PROJECT_ROOT / "dashboard" / "asgi.py"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8501


def register(subparsers) -> None:
    parser = subparsers.add_parser("serve", help="start the dashboard (default http://127.0.0.1:8501)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    add_db_argument(parser)
    parser.set_defaults(func=run)


def streamlit_command(host: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(ASGI_APP),
        "--server.headless=true",
        f"--server.address={host}",
        f"--server.port={port}",
    ]


def has_cases(engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(Case.id).limit(1)).first() is not None


def run(args) -> int:
    if not 1 <= args.port <= 65535:
        raise CommandError(f"--port must be between 1 and 65535, not {args.port}")
    try:
        require_production_secret()  # refuse here too, before a server is started at all
    except InsecureConfiguration as exc:
        raise CommandError(str(exc)) from exc
    url = resolve_database_url(args.db)
    engine = make_engine(url)
    try:
        migrate(engine)
        empty = not has_cases(engine)
    finally:
        engine.dispose()
    if empty:
        print("the database holds no cases yet: run `python -m dashboard demo` to build demo data", file=sys.stderr)
    env = {**os.environ, "DASHBOARD_DB_URL": url}  # with _RJEM_MALLOC_CONF from __main__.py
    print(f"serving the dashboard at http://{args.host}:{args.port}", file=sys.stderr)
    try:
        return subprocess.call(streamlit_command(args.host, args.port), cwd=PROJECT_ROOT, env=env)
    except KeyboardInterrupt:
        return 0
