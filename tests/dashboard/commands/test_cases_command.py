import json

from import_builders import add_places, case, grid, write_xlsx

from dashboard.cli import main
from data.db import make_engine, migrate

KEYS = ["rows", "imported", "updated", "unchanged", "duplicates", "quarantined", "flagged"]


def database(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    add_places(engine)
    engine.dispose()
    return url


def test_json_output_has_exactly_the_documented_keys(tmp_path, capsys):
    url = database(tmp_path)
    path = write_xlsx(tmp_path / "f.xlsx", grid([case("A"), case("B", "2024-02-30"), case("A")]), title="导出")
    assert main(["cases", "import", str(path), "--format", "json", "--db", url]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == KEYS
    assert out == {"rows": 3, "imported": 1, "updated": 0, "unchanged": 0, "duplicates": 1, "quarantined": 1,
                   "flagged": 0}
    assert main(["cases", "import", str(path), "--format", "json", "--db", url]) == 0
    assert json.loads(capsys.readouterr().out)["unchanged"] == 1


def test_table_output_lists_quarantined_rows(tmp_path, capsys):
    url = database(tmp_path)
    path = write_xlsx(tmp_path / "f.xlsx", grid([case("A", 问题属地="火星镇", 信访人="张三")]))
    assert main(["cases", "import", str(path), "--db", url]) == 0
    out = capsys.readouterr().out
    assert "quarantined: 1" in out
    assert "2\t问题属地\t未知乡镇（街道）：“火星镇”" in out
    assert "张三" not in out


def test_unreadable_file_is_one_line_and_non_zero(tmp_path, capsys):
    url = database(tmp_path)
    bad = tmp_path / "f.xlsx"
    bad.write_bytes(b"\x00\x01garbage")
    assert main(["cases", "import", str(bad), "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: cannot read")
    assert main(["cases", "import", str(tmp_path / "none.xlsx"), "--db", url]) == 2
    assert "no such file" in capsys.readouterr().err


def test_bad_mapping_file(tmp_path, capsys):
    url = database(tmp_path)
    mapping = tmp_path / "m.json"
    mapping.write_text('{"columns": {"a": "nonsense"}}', encoding="utf-8")
    path = write_xlsx(tmp_path / "f.xlsx", grid([case("A")]))
    assert main(["cases", "import", str(path), "--mapping", str(mapping), "--db", url]) == 2
    assert "unknown field" in capsys.readouterr().err


def test_progress_bar_draws_on_its_stream():
    import io

    from dashboard.commands.cases import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(stream, width=10)
    bar(0, 200, "check")
    bar(1, 200, "write")  # still 0 %: not redrawn
    bar(100, 200, "write")
    bar(200, 200, "done")
    assert stream.getvalue() == (
        "\r[..........]   0% checking 0/200"
        "\r[#####.....]  50% writing  100/200"
        "\r[##########] 100% done     200/200\n"
    )


def test_command_line_imports_are_audited(tmp_path, capsys):
    from data import audit

    url = database(tmp_path)
    path = write_xlsx(tmp_path / "f.xlsx", grid([case("A")]))
    assert main(["cases", "import", str(path), "--format", "json", "--db", url]) == 0
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"\x00\x01garbage")
    assert main(["cases", "import", str(bad), "--db", url]) == 2
    engine = make_engine(url)
    entries = audit.search(engine, action="import").sort("at")
    engine.dispose()
    assert entries["outcome"].to_list() == ["success", "failure"]
    assert entries["object"].to_list() == [f"cases:{path}", f"cases:{bad}"]
    assert all(name.startswith("cli") for name in entries["username"].to_list())


def test_sparse_workbook_is_one_line_not_an_abort(tmp_path, capsys, monkeypatch):
    # Issue 15: this ~1 kB file made `cases import` abort (exit 134) asking for 512 GiB.
    from import_builders import sparse_workbook

    url = database(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sparse.xlsx").write_bytes(sparse_workbook())
    assert main(["cases", "import", "sparse.xlsx", "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("error: cannot read sparse.xlsx: 工作表声明的范围 A1:XFD1048576 超出上限")
    assert "/tmp" not in err


def test_long_csv_field_is_one_line_with_the_limit(tmp_path, capsys, monkeypatch):
    from import_builders import csv_with_long_field

    url = database(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "long.csv").write_bytes(csv_with_long_field())
    assert main(["cases", "import", "long.csv", "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "超出上限（最多 32,767 个字符）" in err and "/tmp" not in err
