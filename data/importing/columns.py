"""Which spreadsheet column holds which field: default names, synonyms and a mapping file.

A header is compared after normalising it (full-width to half-width, spaces,
asterisks and a trailing colon removed, case folded); a header with a remark
in brackets, such as ``问题属地（乡镇）``, also matches without the remark.

Mapping file
------------
A county whose export uses other headers writes a small file, JSON or TOML
(chosen by the extension; both parse with the standard library, and neither
can run code, unlike YAML's tags), mapping its headers to fields. A field is
named by its key or by its default Chinese header::

    # mapping.toml
    [columns]
    "来件编号" = "信访件编号"
    "收件时间" = "received_on"

    [channels]          # optional: extra words for 信访形式
    "走访" = "来访"
    "12345热线" = "phone"

or the same as JSON: ``{"columns": {"来件编号": "信访件编号"}, "channels": {"走访": "来访"}}``.
The mapping file's headers are tried before the defaults.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

# (field key, default header, synonyms). Order is the order of the preview.
FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("case_number", "信访件编号", ("编号", "信访编号", "信访件号", "件号", "案件编号", "登记编号", "信访事项编号", "信件编号")),
    ("received_on", "登记日期", ("信访日期", "来信来访日期", "来信日期", "来访日期", "登记时间", "信访时间",
                                 "来信来访时间", "收件日期", "收信日期", "反映日期")),
    ("channel", "信访形式", ("信访方式", "信访渠道", "来源渠道", "渠道", "形式", "信访类型")),
    ("is_first_time", "是否初信初访", ("初信初访", "是否初信访", "是否初信", "是否初访", "初信访")),
    ("is_repeat", "是否重复信访", ("重复信访", "是否重复访", "是否重复")),
    ("petitioner_name", "信访人", ("信访人姓名", "姓名", "反映人", "来访人", "来信人")),
    ("id_number", "身份证号码", ("身份证号", "身份证", "证件号码", "公民身份号码", "身份证件号码")),
    ("phone", "联系电话", ("电话", "手机", "手机号", "手机号码", "联系方式", "电话号码")),
    ("address", "住址", ("地址", "家庭住址", "联系地址", "信访人地址", "现住址")),
    ("township", "问题属地", ("乡镇", "所属乡镇", "乡镇街道", "乡镇(街道)", "所属乡镇(街道)", "属地", "问题发生地",
                              "所在乡镇", "涉及乡镇")),
    ("park", "所属园区", ("园区", "工业园区", "所在园区", "涉及园区", "园区名称")),
    ("category", "问题类别", ("问题分类", "内容分类", "类别", "问题类型", "信访类别", "内容类别")),
    ("headcount", "人数", ("来访人数", "信访人数", "人次")),
    ("accepted_on", "受理日期", ("受理时间",)),
    ("first_meeting_on", "首次见面日期", ("见面日期", "首次见面时间", "首见日期")),
    ("feedback_on", "反馈日期", ("反馈时间",)),
    ("concluded_on", "办结日期", ("办结时间", "结案日期", "结案时间")),
    ("extension_granted", "是否延期", ("延期", "是否延期办理")),
    ("outcome", "化解情况", ("是否化解", "化解结果", "化解状态")),
    ("satisfaction_office", "信访部门满意度", ("对信访部门满意度", "信访部门满意情况", "信访机构满意度")),
    ("satisfaction_unit", "责任单位满意度", ("对责任单位满意度", "办理单位满意度", "承办单位满意度", "责任单位满意情况")),
    ("unit", "责任单位", ("承办单位", "办理单位", "主办单位", "责任部门", "承办部门")),
    ("owner_leader", "包案领导", ("包案县领导", "包案领导姓名", "包案责任人")),
    ("summary", "内容摘要", ("摘要", "信访内容", "主要诉求", "反映内容", "诉求内容", "内容")),
)
FIELD_KEYS = tuple(f[0] for f in FIELDS)
DEFAULT_HEADERS = {key: header for key, header, _ in FIELDS}
REQUIRED_FIELDS = ("case_number", "received_on", "channel")
PERSONAL_FIELDS = ("petitioner_name", "id_number", "phone", "address")
DATE_FIELDS = ("received_on", "accepted_on", "first_meeting_on", "feedback_on", "concluded_on")


class MappingFileError(ValueError):
    """The mapping file cannot be read or names an unknown field."""


def normalise_header(value: object) -> str:
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = re.sub(r"[\s*]+", "", text).rstrip(":").casefold()
    return text


def _without_remark(header: str) -> str:
    return re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", header)


@dataclass
class ColumnMapping:
    """Source header → field key, plus the extra channel words of a mapping file."""

    headers: dict[str, str] = field(default_factory=dict)  # normalised header → field key
    channels: dict[str, str] = field(default_factory=dict)  # word → channel (key or Chinese)

    @classmethod
    def default(cls) -> ColumnMapping:
        mapping = cls()
        for key, header, synonyms in FIELDS:
            for name in (header, key, *synonyms):
                mapping.headers.setdefault(normalise_header(name), key)
        return mapping

    def field_for(self, header: object) -> str | None:
        norm = normalise_header(header)
        if not norm:
            return None
        hit = self.headers.get(norm)
        if hit is None:
            hit = self.headers.get(_without_remark(norm))
        return hit


def _field_key(name: str) -> str | None:
    norm = normalise_header(name)
    for key, header, _ in FIELDS:
        if norm in (key.casefold(), normalise_header(header)):
            return key
    return None


def load_mapping(path: str | Path | None) -> ColumnMapping:
    """The default mapping, extended by a JSON or TOML mapping file (see the module docstring)."""
    base = ColumnMapping.default()
    if path is None:
        return base
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise MappingFileError(f"cannot read the mapping file {path.name}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise MappingFileError(f"the mapping file {path.name} is not UTF-8 text") from exc
    try:
        doc = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise MappingFileError(f"the mapping file {path.name} is not valid {path.suffix.lstrip('.').upper()}: {exc}") from exc
    if not isinstance(doc, dict):
        raise MappingFileError("the mapping file must hold an object with a 'columns' table")
    unknown_keys = set(doc) - {"columns", "channels"}
    if unknown_keys:
        raise MappingFileError(f"the mapping file has unknown sections: {', '.join(sorted(unknown_keys))}")
    mapping = ColumnMapping()
    for source, target in dict(doc.get("columns", {})).items():
        key = _field_key(str(target))
        if key is None:
            raise MappingFileError(f"the mapping file maps {source!r} to an unknown field {target!r}")
        mapping.headers[normalise_header(source)] = key
    for norm, key in base.headers.items():
        mapping.headers.setdefault(norm, key)
    for word, channel in dict(doc.get("channels", {})).items():
        mapping.channels[str(word)] = str(channel)
    return mapping


def header_score(cells: list[object], mapping: ColumnMapping | None = None) -> int:
    """How many distinct fields a row's cells name: the header row scores highest."""
    mapping = mapping or ColumnMapping.default()
    return len({k for k in (mapping.field_for(c) for c in cells) if k})


@dataclass
class ResolvedColumns:
    """The outcome of matching a file's headers, for the preview and the import."""

    by_field: dict[str, str]  # field key → source header (first one wins)
    unrecognised: list[str]  # source headers matching no field
    ignored_duplicates: list[str]  # a second column for a field already mapped
    missing_required: list[str]  # field keys

    def preview_rows(self) -> list[dict[str, str | None]]:
        return [
            {"field": key, "default_header": DEFAULT_HEADERS[key], "source": self.by_field.get(key)}
            for key in FIELD_KEYS
        ]


def resolve_columns(headers: list[str], mapping: ColumnMapping) -> ResolvedColumns:
    by_field: dict[str, str] = {}
    unrecognised: list[str] = []
    duplicates: list[str] = []
    for header in headers:
        key = mapping.field_for(header)
        if key is None:
            unrecognised.append(header)
        elif key in by_field:
            duplicates.append(header)
        else:
            by_field[key] = header
    missing = [k for k in REQUIRED_FIELDS if k not in by_field]
    return ResolvedColumns(by_field, unrecognised, duplicates, missing)
