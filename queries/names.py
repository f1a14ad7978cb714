"""A name typed by a person (a township, park, category, unit or owner leader) → the id it stands for.

Names match after normalising width and spaces (``城 关 镇``, full-width
``ＡＢＣ``); a township's or park's suffix (镇/乡/街道, 工业园区 …) may be
left out when only one place fits — the matcher the case import uses
(:class:`data.importing.places.PlaceMatcher`). Categories and units also
match their code. Nothing is matched fuzzily: an unknown or ambiguous name is
an error whose one-line message suggests or lists the candidates.
"""

from __future__ import annotations

from rapidfuzz import fuzz
from sqlalchemy import Engine, null, select

from data.importing.places import PlaceMatcher, normalise_place
from data.models import Category, Leader, Park, Township, Unit

NAMED_DIMENSIONS = ("township", "park", "category", "unit", "leader")
# UI strings (to move to text/i18n with the refactor).
LABELS = {"township": "township", "park": "park", "category": "category", "unit": "unit",
          "leader": "owner leader"}


class UnknownName(ValueError):
    """No stored value has this name."""


class AmbiguousName(ValueError):
    """Several stored values fit this name."""


def _rows(engine: Engine, dimension: str) -> list[tuple[int, str, str | None]]:
    """(id, name, code) of every stored value; leaders have no code."""
    table = {"township": Township, "park": Park, "category": Category, "unit": Unit, "leader": Leader}[dimension]
    columns = table.__table__.c
    code = columns.code if "code" in columns else null()
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(columns.id, columns.name, code).order_by(columns.id)).all()]


def _suggest(text: str, names: list[str], limit: int = 3) -> list[str]:
    norm = normalise_place(text)
    scored = sorted(((fuzz.ratio(norm, normalise_place(n)), n) for n in names), key=lambda t: (-t[0], t[1]))
    return [n for score, n in scored[:limit] if score >= 50]


def resolve_name(engine: Engine, dimension: str, text: str) -> int:
    """The id of the ``dimension`` value named ``text``; :class:`UnknownName` or :class:`AmbiguousName` else."""
    if dimension not in NAMED_DIMENSIONS:
        raise ValueError(f"dimension must be one of {NAMED_DIMENSIONS}, not {dimension!r}")
    rows = _rows(engine, dimension)
    names = {pid: name for pid, name, _ in rows}
    if dimension in ("township", "park"):
        hits = PlaceMatcher(rows, layer=dimension).candidates(text)
    else:
        norm = normalise_place(text)
        hits = {pid for pid, name, code in rows if norm and norm in (normalise_place(name), normalise_place(code))}
    label = LABELS[dimension]
    if len(hits) == 1:
        return next(iter(hits))
    if hits:
        listed = ", ".join(sorted(names[h] for h in hits))
        raise AmbiguousName(f"ambiguous {label} {text!r}: it fits {listed}; give the full name")
    suggestions = _suggest(text, list(names.values()))
    hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else ""
    raise UnknownName(f"unknown {label} {text!r}{hint}")
