"""``cases import FILE [--mapping FILE] [--format json|table] [--db URL]``: import a case export.

Exit 0 when the file was read, whatever was quarantined (the counts say so);
exit 2 with one line when it could not be read at all. A progress bar goes to
stderr when stderr is a terminal, so ``--format json`` output stays clean.
"""

from __future__ import annotations

import json
import sys

from config.settings import load_settings, resolve_database_url
from dashboard.cli import CommandError, add_db_argument
from data.db import make_engine, migrate
from data.importing.columns import MappingFileError, load_mapping
from data.importing.readers import UnreadableFile
from services.imports import import_cases


def register(subparsers) -> None:
    parser = subparsers.add_parser("cases", help="import case exports")
    sub = parser.add_subparsers(dest="cases_command", required=True)
    imp = sub.add_parser("import", help="import an .xlsx, .xls or .csv export of the petition system")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--mapping", metavar="FILE", help="JSON or TOML file mapping this county's headers to fields")
    imp.add_argument("--encoding", metavar="E", help="text encoding of a CSV file (default: detect UTF-8 or GBK)")
    imp.add_argument("--format", choices=("json", "table"), default="table")
    add_db_argument(imp)
    imp.set_defaults(func=run_import)


class ProgressBar:
    """A one-line bar on stderr, redrawn at most once per percent."""

    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width
        self.last = -1

    def __call__(self, done: int, total: int, stage: str) -> None:
        percent = 100 if total == 0 else int(100 * done / total)
        if percent == self.last and stage != "done":
            return
        self.last = percent
        filled = self.width * percent // 100
        label = {"check": "checking", "write": "writing", "done": "done"}.get(stage, stage)
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {percent:3d}% {label:<8} {done}/{total}")
        if stage == "done":
            self.stream.write("\n")
        self.stream.flush()


def run_import(args) -> int:
    try:
        mapping = load_mapping(args.mapping)
    except MappingFileError as exc:
        raise CommandError(str(exc)) from exc
    engine = make_engine(resolve_database_url(args.db))
    progress = ProgressBar() if sys.stderr.isatty() else None
    try:
        migrate(engine)
        summary = import_cases(engine, args.file, mapping=mapping, encoding=args.encoding, progress=progress,
                               rules=load_settings().deadlines, audit_object=f"cases:{args.file}")
    except UnreadableFile as exc:
        raise CommandError(f"cannot read {args.file}: {exc}") from exc
    finally:
        engine.dispose()
    if args.format == "json":
        print(json.dumps(summary.counts()))
        return 0
    print(render_table(summary))
    return 0


def render_table(summary) -> str:
    lines = [f"{key}: {value}" for key, value in summary.counts().items()]
    for label, names in (("new categories", summary.created_categories), ("new units", summary.created_units),
                         ("new leaders", summary.created_leaders)):
        if names:
            lines.append(f"{label}: {', '.join(names)}")
    lines.extend(f"note: {note}" for note in summary.notes)
    if summary.quarantine:
        lines.append("quarantined rows (row, column, reason):")
        shown = summary.quarantine[:50]
        lines.extend(f"  {q.row_number}\t{q.column or ''}\t{q.reason('zh')}" for q in shown)
        if len(summary.quarantine) > len(shown):
            lines.append(f"  … and {len(summary.quarantine) - len(shown)} more (download them from the 数据导入 page)")
    return "\n".join(lines)
