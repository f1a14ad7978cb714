"""``geo import FILE --layer township|park [--name-field F] [--code-field F] [--encoding E] [--crs C] [--db URL]``."""

from __future__ import annotations

import json

from config.settings import load_settings, resolve_database_url
from dashboard.cli import CommandError, add_db_argument
from data.db import make_engine, migrate
from geo.boundaries import BoundaryError, file_sha256, read_boundary_file
from geo.crs import CRSProblem
from services.imports import import_boundaries


def register(subparsers) -> None:
    parser = subparsers.add_parser("geo", help="import township and park boundaries")
    sub = parser.add_subparsers(dest="geo_command", required=True)
    imp = sub.add_parser("import", help="import a GeoJSON, Shapefile (.shp or .zip) or GeoPackage")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--layer", choices=("township", "park"), required=True)
    imp.add_argument("--name-field", metavar="F", help="attribute holding the name (default: XZQMC, 名称, NAME, …)")
    imp.add_argument("--code-field", metavar="F", help="attribute holding the code (default: XZQDM, 代码, CODE, …)")
    imp.add_argument("--encoding", metavar="E", help="attribute text encoding, e.g. GBK (default: detect)")
    imp.add_argument("--crs", metavar="C", help="CRS to assume when the file has none, e.g. EPSG:4528")
    imp.add_argument("--source-layer", metavar="L", help="layer of a GeoPackage holding several")
    imp.add_argument("--format", choices=("json", "table"), default="table")
    add_db_argument(imp)
    imp.set_defaults(func=run_import)


def run_import(args) -> int:
    try:
        # In a child process with memory and time limits (issue 15): one line, whatever the file does.
        boundaries = read_boundary_file(
            args.file, layer=args.layer, name_field=args.name_field, code_field=args.code_field,
            encoding=args.encoding, crs=args.crs, source_layer=args.source_layer,
        )
    except (BoundaryError, CRSProblem) as exc:
        raise CommandError(f"cannot import {args.file}: {exc}") from exc
    engine = make_engine(resolve_database_url(args.db))
    try:
        migrate(engine)
        result = import_boundaries(engine, boundaries, filename=str(args.file), file_sha256=file_sha256(args.file),
                                   rules=load_settings().deadlines)
    except BoundaryError as exc:
        raise CommandError(f"cannot import {args.file}: {exc}") from exc
    finally:
        engine.dispose()
    summary = result.as_dict() | {"crs": boundaries.source_crs, "encoding": boundaries.encoding,
                                  "name_field": boundaries.name_field, "code_field": boundaries.code_field}
    if args.format == "json":
        print(json.dumps(summary, ensure_ascii=False))
    else:
        for key, value in summary.items():
            if key != "notes":
                print(f"{key}: {value}")
        for note in result.notes:
            print(f"note: {note}")
    return 0
