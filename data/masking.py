"""Masking of a petitioner's personal data for display (the default everywhere).

Masked forms follow the usual practice of Chinese government systems:
names keep the family name (张三 → 张*), ID numbers keep the region prefix and
the last four characters (3509**********1234), mobile numbers keep the
carrier prefix and the last four digits (138****5678).

Every function accepts anything (None, numbers, short or odd strings) and
never returns more of the input than the rule allows: when a value is too
short for the rule to hide anything, all of it is hidden. ``None`` and blank
values give ``None`` (nothing to show), so a screen can print "—".
"""

from __future__ import annotations

MASK = "*"


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def mask_name(value: object) -> str | None:
    """张三 → 张*, 欧阳娜娜 → 欧***; a one-character name is hidden entirely."""
    text = _clean(value)
    if text is None:
        return None
    if len(text) == 1:
        return MASK
    return text[0] + MASK * (len(text) - 1)


def mask_id_number(value: object) -> str | None:
    """350981199001011234 → 3509**********1234.

    Always ten stars in the middle, so the mask does not tell an 18-character
    number from a 15-character one. A value shorter than 12 characters would
    show too much of itself through eight kept characters, so it is hidden whole.
    """
    text = _clean(value)
    if text is None:
        return None
    if len(text) < 12:
        return MASK * len(text)
    return text[:4] + MASK * 10 + text[-4:]


def mask_phone(value: object) -> str | None:
    """13812345678 → 138****5678; shorter numbers keep only their last two digits."""
    text = _clean(value)
    if text is None:
        return None
    if len(text) >= 10:
        return text[:3] + MASK * (len(text) - 7) + text[-4:]
    if len(text) >= 6:
        return MASK * (len(text) - 2) + text[-2:]
    return MASK * len(text)


def mask_address(value: object) -> str | None:
    """Keep the first six characters (county and township level), hide the rest."""
    text = _clean(value)
    if text is None:
        return None
    if len(text) <= 6:
        return MASK * len(text)
    return text[:6] + MASK * 4
