import json

from import_builders import township_layer

from dashboard.cli import main


def test_geo_import_json(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'g.sqlite'}"
    path = tmp_path / "乡镇.shp"
    township_layer().to_crs(4528).to_file(path, encoding="GBK")
    path.with_suffix(".cpg").unlink()
    assert main(["geo", "import", str(path), "--layer", "township", "--format", "json", "--db", url]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["created"], out["updated"], out["unchanged"]) == (4, 0, 0)
    assert out["crs"] == "CGCS2000 / 3-degree Gauss-Kruger zone 40"
    assert main(["geo", "import", str(path), "--layer", "township", "--format", "json", "--db", url]) == 0
    assert json.loads(capsys.readouterr().out)["unchanged"] == 4


def test_no_crs_is_one_clear_line(tmp_path, capsys):
    path = tmp_path / "t.shp"
    township_layer().to_crs(4528).to_file(path)
    path.with_suffix(".prj").unlink()
    code = main(["geo", "import", str(path), "--layer", "township", "--db", f"sqlite:///{tmp_path / 'g.sqlite'}"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "has no CRS" in err and "EPSG:4528" in err


def test_name_field_override(tmp_path, capsys):
    path = tmp_path / "t.geojson"
    township_layer().rename(columns={"XZQMC": "JDMC"}).to_file(path)
    url = f"sqlite:///{tmp_path / 'g.sqlite'}"
    assert main(["geo", "import", str(path), "--layer", "township", "--db", url]) == 2
    assert "--name-field" in capsys.readouterr().err
    assert main(["geo", "import", str(path), "--layer", "township", "--name-field", "JDMC", "--db", url]) == 0


def test_command_line_boundary_import_is_audited(tmp_path, capsys):
    from data import audit
    from data.db import make_engine

    url = f"sqlite:///{tmp_path / 'g.sqlite'}"
    path = tmp_path / "t.geojson"
    township_layer().to_file(path, driver="GeoJSON")
    assert main(["geo", "import", str(path), "--layer", "township", "--db", url]) == 0
    engine = make_engine(url)
    entries = audit.search(engine, action="import")
    engine.dispose()
    assert entries["object"].to_list() == [f"township:{path}"] and entries["outcome"].to_list() == ["success"]


def test_scribbled_polygon_is_one_line(tmp_path, capsys, monkeypatch):
    # Issue 15: make_valid on this 124 kB GeoPackage did not end in 900 s.
    from import_builders import scribble_layer

    monkeypatch.chdir(tmp_path)
    scribble_layer().to_file(tmp_path / "scribble.gpkg")
    url = f"sqlite:///{tmp_path / 'g.sqlite'}"
    assert main(["geo", "import", "scribble.gpkg", "--layer", "township", "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("error: cannot import scribble.gpkg: 要素“城关镇”的边界自相交超过 200 处")
