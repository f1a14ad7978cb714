"""``serve``: migrates, hints at ``demo`` on an empty database, runs streamlit from the repository root."""

from pathlib import Path

import pytest

from config.settings import PROJECT_ROOT
from dashboard import cli
from dashboard.commands import serve


@pytest.fixture
def calls(monkeypatch):
    recorded = []

    def fake_call(command, cwd, env):
        recorded.append({"command": command, "cwd": cwd, "env": env})
        return 0

    monkeypatch.setattr(serve.subprocess, "call", fake_call)
    return recorded


def test_serve_on_an_empty_database(tmp_path, calls, capsys):
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    assert cli.main(["serve", "--db", url, "--port", "8600", "--host", "0.0.0.0"]) == 0
    err = capsys.readouterr().err
    assert "python -m dashboard demo" in err
    (call,) = calls
    assert call["cwd"] == PROJECT_ROOT  # so .streamlit/config.toml applies
    assert call["env"]["DASHBOARD_DB_URL"] == url
    command = call["command"]
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4].endswith("dashboard/asgi.py")
    assert {"--server.headless=true", "--server.address=0.0.0.0", "--server.port=8600"} <= set(command)
    assert (tmp_path / "new.sqlite").exists()  # migrated before serving


def test_serve_defaults(tmp_path, calls, capsys):
    import overview_county

    url = f"sqlite:///{tmp_path / 'county.sqlite'}"
    overview_county.build(url)
    assert cli.main(["serve", "--db", url]) == 0
    assert "demo" not in capsys.readouterr().err
    assert {"--server.address=127.0.0.1", "--server.port=8501"} <= set(calls[0]["command"])


def test_a_bad_port_is_one_line(calls, capsys):
    assert cli.main(["serve", "--port", "70000"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0
    assert calls == []


def test_production_without_a_secret_refuses_to_start(tmp_path, calls, capsys, monkeypatch):
    from config import settings

    monkeypatch.setenv("DASHBOARD_PRODUCTION", "true")
    monkeypatch.delenv("DASHBOARD_SECRET", raising=False)
    settings.load_settings.cache_clear()
    try:
        code = cli.main(["serve", "--db", f"sqlite:///{tmp_path / 'x.sqlite'}"])
    finally:
        settings.load_settings.cache_clear()
    err = capsys.readouterr().err
    assert code == 2 and "DASHBOARD_SECRET" in err and err.count("\n") == 1
    assert calls == []


def test_streamlit_serves_the_asgi_app_of_the_launcher():
    # `streamlit run` serves an st.App it finds in the file (with uvicorn) instead of running it as a script.
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(Path(serve.ASGI_APP))
    assert found.is_asgi_app and found.app_name == "app"


def test_the_server_watches_no_source_files():
    # Streamlit's watcher walked every imported module on the event loop after each script run,
    # 0.4-0.9 s per new session with the pages' libraries loaded (README, "Performance").
    import tomllib

    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
