"""数据导入 Data import, for the joint-meeting office: case exports and township/park boundaries.

Thin: reading, validating and storing live in data/importing and geo/boundaries.
Everything from a file is shown through st.dataframe (plain text) or escaped
with text.markup before it reaches a Markdown element (captions, notices),
never as HTML; personal data is masked in the preview, the quarantine list and
the error workbook, whose download is audited (services.exports).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import data_access, gate
from data.importing.cases import preview
from data.importing.columns import DEFAULT_HEADERS, MappingFileError, load_mapping
from data.importing.readers import MAX_FILE_BYTES, UnreadableFile
from data.spreadsheet import XLSX_MIME
from geo.boundaries import (
    MAX_UPLOAD_BYTES,
    BoundaryError,
    outline_figure,
    read_boundary_upload,
    townships_without_boundary,
)
from geo.crs import CRSProblem
from services import access, exports
from services.imports import import_boundaries, import_cases
from services.writes import Actor
from text.i18n import current_language, t
from text.markup import markdown_join, markdown_text

STATE = "import."  # session-state namespace of this page
COUNT_KEYS = ("rows", "imported", "updated", "unchanged", "duplicates", "quarantined", "flagged")


def _mapping(upload):
    if upload is None:
        return None
    suffix = Path(upload.name).suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"mapping{suffix if suffix in ('.json', '.toml') else '.json'}"
        path.write_bytes(upload.getvalue())
        return load_mapping(path)


def cases_section(user) -> None:
    upload = st.file_uploader(t("import.cases.upload"), type=["xlsx", "xls", "csv"], key="w.import.cases.file")
    mapping_upload = st.file_uploader(t("import.cases.mapping"), type=["json", "toml"], key="w.import.cases.mapping")
    st.caption(t("import.cases.help"))
    if upload is None:
        return
    data = upload.getvalue()
    if len(data) > MAX_FILE_BYTES:
        st.error(t("import.cases.unreadable", reason=t("import.too_large", mb=MAX_FILE_BYTES // 2**20)))
        return
    digest = hashlib.sha256(data + (mapping_upload.getvalue() if mapping_upload else b"")).hexdigest()
    try:
        mapping = _mapping(mapping_upload)
        # Reading a large export takes seconds: once per file, not on every rerun.
        cached = st.session_state.get(STATE + "preview")
        if cached is None or cached[0] != digest:
            cached = (digest, preview(data, upload.name, mapping=mapping))
            st.session_state[STATE + "preview"] = cached
        shown = cached[1]
    except (UnreadableFile, MappingFileError) as exc:
        st.error(t("import.cases.unreadable", reason=markdown_text(exc)))
        return

    table = shown.table
    st.caption(t("import.cases.rows", n=table.frame.height, header=table.header_row))
    st.subheader(t("import.cases.columns"))
    st.dataframe(
        pl.DataFrame({
            t("import.cases.col.field"): [DEFAULT_HEADERS[r["field"]] for r in shown.columns.preview_rows()],
            t("import.cases.col.source"): [r["source"] or t("import.cases.not_found")
                                           for r in shown.columns.preview_rows()],
        }),
        hide_index=True,
    )
    if shown.columns.unrecognised:
        st.caption(t("import.cases.unrecognised", names=markdown_join(shown.columns.unrecognised)))
    st.subheader(t("import.cases.preview", n=shown.sample.height))
    st.dataframe(shown.sample, hide_index=True)

    if st.button(t("import.cases.run"), type="primary", key="w.import.cases.run"):
        bar = st.progress(0.0, text=t("import.cases.progress", done=0, total=table.frame.height))

        def progress(done: int, total: int, stage: str) -> None:
            bar.progress(min(1.0, done / total) if total else 1.0, text=t("import.cases.progress", done=done, total=total))

        try:
            summary = import_cases(data_access.engine(), data, upload.name, mapping=mapping, progress=progress,
                                   username=user.username, rules=data_access.deadline_rules(),
                                   actor=Actor(user.username, gate.client_addr()))
        except UnreadableFile as exc:  # read again in a child process: it can still refuse or fail
            st.error(t("import.cases.unreadable", reason=str(exc)))
            return
        bar.progress(1.0, text=t("import.cases.done"))
        lang = current_language()
        # Only masked material is kept in the session: counts, masked records, the masked workbook.
        st.session_state[STATE + "cases"] = {
            "digest": digest,
            "filename": upload.name,
            "counts": summary.counts(),
            "created": (summary.created_categories, summary.created_units, summary.created_leaders),
            "notes": list(summary.notes),
            "quarantine": [(r["row_number"], r["column"] or "", r["reason"]) for r in summary.quarantine_records(lang)],
            "workbook": summary.error_workbook(lang) if summary.quarantine else None,
        }
    result = st.session_state.get(STATE + "cases")
    if result and result["digest"] == digest:
        show_case_result(result, user)


def show_case_result(result: dict, user) -> None:
    st.success(t("import.cases.done"))
    for column, key in zip(st.columns(len(COUNT_KEYS)), COUNT_KEYS, strict=True):
        column.metric(t(f"import.count.{key}"), result["counts"][key])
    categories, units, leaders = result["created"]
    for label, names in (("categories", categories), ("units", units), ("leaders", leaders)):
        if names:
            st.info(t(f"import.cases.created.{label}", names=markdown_join(names)))
    if result["counts"]["flagged"]:
        st.warning(t("import.cases.flagged_help"))
    for note in result["notes"]:
        st.caption(markdown_text(note))
    st.subheader(t("import.cases.quarantine"))
    if not result["quarantine"]:
        st.caption(t("import.cases.quarantine.none"))
        return
    rows, columns, reasons = zip(*result["quarantine"], strict=True)
    st.dataframe(
        pl.DataFrame({t("import.cases.col.row"): list(rows), t("import.cases.col.column"): list(columns),
                      t("import.cases.col.reason"): list(reasons)}),
        hide_index=True,
    )
    # The workbook is handed out by a callable, so that every copy that leaves the server is audited.
    engine, client, workbook = data_access.engine(), gate.client_addr(), result["workbook"]
    what = f"errors:{result['filename']}"

    def download() -> bytes:
        return exports.stored_file_download(engine, user, what=what, data=workbook, client_addr=client)

    st.download_button(
        t("import.cases.download"),
        data=download,
        file_name=f"{Path(result['filename']).stem}-errors.xlsx",
        mime=XLSX_MIME,
        key="w.import.cases.download",
        on_click="ignore",
    )


def boundaries_section(user) -> None:
    layer = st.radio(t("import.bounds.layer"), ("township", "park"), horizontal=True, key="w.import.bounds.layer",
                     format_func=lambda v: t(f"import.bounds.layer.{v}"))
    upload = st.file_uploader(t("import.bounds.upload"), type=["geojson", "json", "zip", "gpkg"],
                              key="w.import.bounds.file")
    with st.expander(t("import.bounds.options")):
        name_field = st.text_input(t("import.bounds.name_field"), key="w.import.bounds.name_field").strip() or None
        code_field = st.text_input(t("import.bounds.code_field"), key="w.import.bounds.code_field").strip() or None
        encoding = st.text_input(t("import.bounds.encoding"), key="w.import.bounds.encoding").strip() or None
        crs = st.text_input(t("import.bounds.crs"), key="w.import.bounds.crs").strip() or None
    if upload is not None:
        data = upload.getvalue()
        if len(data) > MAX_UPLOAD_BYTES:
            st.error(t("import.bounds.unreadable", reason=t("import.too_large", mb=MAX_UPLOAD_BYTES // 2**20)))
        else:
            show_boundary_preview(user, data, upload.name, layer, name_field, code_field, encoding, crs)
    st.subheader(t("import.bounds.missing"))
    missing = townships_without_boundary(data_access.engine())
    if missing:
        st.dataframe(pl.DataFrame({t("import.bounds.col.name"): missing}), hide_index=True)
    else:
        st.caption(t("import.bounds.missing.none"))


def show_boundary_preview(user, data: bytes, filename: str, layer, name_field, code_field, encoding, crs) -> None:
    options = (layer, name_field, code_field, encoding, crs)
    key = (hashlib.sha256(data).hexdigest(), options)
    cached = st.session_state.get(STATE + "bounds")
    # Reading and repairing a survey file takes seconds: once per file and options, not per rerun.
    if cached is None or cached["key"] != key:
        try:
            boundaries = read_boundary_upload(data, filename, layer=layer, name_field=name_field,
                                              code_field=code_field, encoding=encoding, crs=crs)
        except (BoundaryError, CRSProblem) as exc:
            st.error(t("import.bounds.unreadable", reason=markdown_text(exc)))
            return
        cached = {"key": key, "boundaries": boundaries, "done": None}
        st.session_state[STATE + "bounds"] = cached
    boundaries = cached["boundaries"]
    st.caption(t("import.bounds.summary", n=len(boundaries.features), crs=markdown_text(boundaries.source_crs),
                 encoding=markdown_text(boundaries.encoding or "—"), name_field=markdown_text(boundaries.name_field),
                 code_field=markdown_text(boundaries.code_field or "—")))
    for note in boundaries.notes:
        st.caption(markdown_text(note))
    st.plotly_chart(outline_figure(boundaries), config={"displaylogo": False, "displayModeBar": False},
                    key="w.import.bounds.figure")
    st.dataframe(
        pl.DataFrame({t("import.bounds.col.name"): boundaries.features["name"].tolist(),
                      t("import.bounds.col.code"): [c or "" for c in boundaries.features["code"].tolist()]}),
        hide_index=True,
    )
    if cached["done"] is None and st.button(t("import.bounds.confirm"), type="primary", key="w.import.bounds.run"):
        try:
            result = import_boundaries(data_access.engine(), boundaries, filename=filename,
                                       file_sha256=key[0], username=user.username, rules=data_access.deadline_rules(),
                                       actor=Actor(user.username, gate.client_addr()))
        except BoundaryError as exc:
            st.error(t("import.bounds.unreadable", reason=markdown_text(exc)))
            return
        cached["done"] = result.as_dict()
    if cached["done"] is not None:
        done = cached["done"]
        st.success(t("import.bounds.done", created=done["created"], updated=done["updated"],
                     unchanged=done["unchanged"]))


def render() -> None:
    user = gate.signed_in_user()
    # The navigation lists this page for the office only; the check here holds even if it did not.
    if user is None or not access.can(user.role, "import"):
        st.error(t("access.denied"))
        return
    st.title(t("import.heading"))
    st.caption(t("import.caption"))
    cases_tab, bounds_tab = st.tabs([t("import.tab.cases"), t("import.tab.boundaries")])
    with cases_tab:
        cases_section(user)
    with bounds_tab:
        boundaries_section(user)


render()
