"""Matching the township and park names of a case export to the stored places.

A name matches after normalising width and spaces (``城 关 镇``, ``城关镇``);
it also matches without its suffix (``城关`` for ``城关镇``; ``城关街道办事处``
for ``城关街道``) when exactly one stored place has that stem and, for
townships, the same kind (a ``城关乡`` is not silently read as ``城关镇``).
A stored code matches too. Fuzzy matching (rapidfuzz) is used only to
suggest names in the error message: a clerk must never find a case filed
under a different place than the one the file names.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

# Longest first; the value is the kind the suffix names (None: any kind of park).
TOWNSHIP_SUFFIXES = (("街道办事处", "subdistrict"), ("办事处", "subdistrict"), ("街道", "subdistrict"),
                     ("镇", "town"), ("乡", "township"))
PARK_SUFFIXES = (("经济开发区", None), ("产业园区", None), ("工业园区", None), ("工业集中区", None),
                 ("开发区", None), ("产业园", None), ("工业园", None), ("园区", None))


def normalise_place(value: object) -> str:
    if value is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


class PlaceMatcher:
    """Names (and codes) of one layer of places → id."""

    def __init__(self, places: list[tuple[int, str, str | None]], layer: str = "township"):
        self.layer = layer
        self._suffixes = TOWNSHIP_SUFFIXES if layer == "township" else PARK_SUFFIXES
        self._names: dict[str, int] = {}
        self._codes: dict[str, int] = {}
        self._stems: dict[tuple[str, str | None], set[int]] = {}
        self._display: dict[int, str] = {}
        for pid, name, code in places:
            norm = normalise_place(name)
            self._names[norm] = pid
            self._display[pid] = name
            if code:
                self._codes[normalise_place(code)] = pid
            stem, kind = self._split(norm)
            if stem:
                self._stems.setdefault((stem, kind), set()).add(pid)

    def _split(self, name: str) -> tuple[str, str | None]:
        for suffix, kind in self._suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)], kind
        return name, "none"

    def __len__(self) -> int:
        return len(self._display)

    def match(self, value: object) -> int | None:
        hits = self.candidates(value)
        if len(hits) == 1:
            return next(iter(hits))
        return None

    def candidates(self, value: object) -> set[int]:
        """Every stored place ``value`` may name: one is a match, several are ambiguous, none unknown."""
        norm = normalise_place(value)
        if not norm:
            return set()
        if norm in self._names:
            return {self._names[norm]}
        if norm in self._codes:
            return {self._codes[norm]}
        stem, kind = self._split(norm)
        if kind == "none":
            # No suffix written: any kind of place with this stem, if only one.
            return set().union(*(ids for (s, _), ids in self._stems.items() if s == stem))
        # The same kind, or a stored name written without any suffix.
        return self._stems.get((stem, kind), set()) | self._stems.get((stem, "none"), set())

    def suggestions(self, value: object, limit: int = 3) -> list[str]:
        """Stored names that look like ``value``: for the message, never for matching."""
        norm = normalise_place(value)
        if not norm or not self._display:
            return []
        query, _ = self._split(norm)
        scores: dict[str, float] = {}
        # Compare whole names and suffix-free stems: 松山镇 → 松山街道 scores low whole, high on the stem.
        for name in self._display.values():
            stem, _ = self._split(normalise_place(name))
            scores[name] = max(fuzz.ratio(norm, normalise_place(name)), fuzz.ratio(query, stem))
        ranked = sorted((s, n) for n, s in scores.items() if s >= 60)
        return [n for _, n in sorted(ranked, key=lambda t: (-t[0], t[1]))[:limit]]
