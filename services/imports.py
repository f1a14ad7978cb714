"""Imports of case exports and boundary files, through the one write path.

The page (数据导入) and the command line (``cases import``, ``geo import``) call
these functions and nothing below them, so both store, version, summarise and
audit an import the same way, a failed one included.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from config.settings import DeadlineRules
from data.importing.cases import ImportSummary, Progress, import_table, load
from data.importing.columns import ColumnMapping
from data.importing.limits import DEFAULT_LIMITS, UploadLimits
from geo.boundaries import BoundaryImportResult, BoundarySet, store_boundaries
from services.writes import CASES, OTHER, Actor, write

IMPORT_ACTION = "import"


def import_cases(
    engine: Engine,
    source: str | Path | bytes,
    filename: str | None = None,
    *,
    mapping: ColumnMapping | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    today: date | None = None,
    username: str | None = None,
    rules: DeadlineRules | None = None,
    actor: Actor | None = None,
    audit_object: str | None = None,
    limits: UploadLimits = DEFAULT_LIMITS,
) -> ImportSummary:
    """Import a case export in one transaction. Raises ``UnreadableFile`` when the file cannot be read at all.

    ``username`` is stored on the import batch; ``actor`` (default: that user,
    else the command-line user) is who the audit log names, and
    ``audit_object`` what it names (default ``cases:<file name>``). ``rules``
    are the deadline rules the summary is built for (the app's configured ones).
    """
    mapping = mapping or ColumnMapping.default()
    if not isinstance(source, bytes):
        filename = filename or Path(source).name
    filename = filename or "upload"
    actor = actor or (Actor(username) if username else Actor.command_line())
    with write(engine, actor=actor, action=IMPORT_ACTION, target=audit_object or f"cases:{filename}",
               rules=rules or DeadlineRules(), kind=CASES) as change:
        table, columns = load(source, filename, mapping=mapping, encoding=encoding, limits=limits)
        summary = import_table(change.conn, table, columns, mapping=mapping, filename=filename,
                               file_sha256=_sha256(source), progress=progress, today=today, username=username)
        if not summary.changed:
            change.nothing_changed()
        change.only_cases(summary.changed_case_ids)
    return summary


def import_boundaries(
    engine: Engine,
    boundaries: BoundarySet,
    *,
    filename: str,
    file_sha256: str | None = None,
    username: str | None = None,
    rules: DeadlineRules | None = None,
    actor: Actor | None = None,
    audit_object: str | None = None,
) -> BoundaryImportResult:
    """Store boundaries read by ``geo.boundaries.read_boundaries`` in one transaction.

    Boundaries change no case, so the monthly summary is carried forward, not rebuilt.
    """
    actor = actor or (Actor(username) if username else Actor.command_line())
    with write(engine, actor=actor, action=IMPORT_ACTION, target=audit_object or f"{boundaries.layer}:{filename}",
               rules=rules or DeadlineRules(), kind=OTHER) as change:
        result = store_boundaries(change.conn, boundaries, filename=filename, file_sha256=file_sha256,
                                  username=username)
        if not (result.created or result.updated):
            change.nothing_changed()
    return result


def _sha256(source: str | Path | bytes) -> str | None:
    if isinstance(source, bytes):
        return hashlib.sha256(source).hexdigest()
    try:
        hasher = hashlib.sha256()
        with open(source, "rb") as fh:  # in blocks: the file may be hundreds of MB
            for block in iter(lambda: fh.read(1 << 20), b""):
                hasher.update(block)
        return hasher.hexdigest()
    except OSError:
        return None
