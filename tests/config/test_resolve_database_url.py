from config import settings


def test_url_order_argument_env_file_default(monkeypatch, tmp_path):
    config = tmp_path / "dashboard.toml"
    config.write_text('db_url = "sqlite:///from-file.sqlite"\n', encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_CONFIG", str(config))
    monkeypatch.delenv("DASHBOARD_DB_URL", raising=False)
    settings.load_settings.cache_clear()
    try:
        assert settings.resolve_database_url() == "sqlite:///from-file.sqlite"
        monkeypatch.setenv("DASHBOARD_DB_URL", "sqlite:///from-env.sqlite")
        assert settings.resolve_database_url() == "sqlite:///from-env.sqlite"
        assert settings.resolve_database_url("sqlite:///from-arg.sqlite") == "sqlite:///from-arg.sqlite"
        monkeypatch.delenv("DASHBOARD_DB_URL")
        config.write_text("", encoding="utf-8")
        settings.load_settings.cache_clear()
        assert settings.resolve_database_url() == f"sqlite:///{settings.DEFAULT_SQLITE_PATH}"
    finally:
        settings.load_settings.cache_clear()
