"""Roles, what each may do, and the data scope each may see.

Roles (``data.models.ROLE_VALUES``):

- ``leader``: county leaders; every figure, may reveal one case's personal data.
- ``office``: the joint-meeting office (联席办); everything, plus import,
  schedules, dispatch, exports with personal data, user administration, audit.
- ``township``: a township officer; their own township only.
- ``projection``: the wall screen; figures only, never personal data.

Complaints about officials (纪检监察, or a case marked ``accuses_official``)
are visible only to the office and to county leaders, never to the township
or unit concerned: ``see_accusations`` is False for the other roles. The
scope is applied where the data is read (queries/), not in a page.

Nothing here imports Streamlit.
"""

from __future__ import annotations

from typing import Protocol

from data.models import ROLE_VALUES
from queries.filters import Scope

ROLES = ROLE_VALUES

# action -> roles allowed. Anything not listed is refused; an unknown action
# raises, so that a misspelt check cannot quietly allow or refuse.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view_figures": frozenset({"leader", "office", "township", "projection"}),
    # The monthly review (月度研判): the office's and the leaders' analysis of the county; a
    # township officer's review is their township's; the wall screen gets its briefing only.
    "view_review": frozenset({"leader", "office", "township", "projection"}),
    "view_case_list": frozenset({"leader", "office", "township"}),
    "reveal_personal_data": frozenset({"leader", "office"}),
    "export": frozenset({"leader", "office", "township"}),
    "export_personal_data": frozenset({"office"}),
    "import": frozenset({"office"}),
    "edit_schedule": frozenset({"office"}),
    "edit_dispatch": frozenset({"office"}),
    "admin_users": frozenset({"office"}),
    "view_audit": frozenset({"office"}),
}
ACTIONS = tuple(PERMISSIONS)

# Who may see complaints about officials (the rule of DOMAIN.md).
ACCUSATION_ROLES = frozenset({"leader", "office"})


class AccessDenied(PermissionError):
    """The signed-in user's role does not allow this."""


class HasRole(Protocol):
    role: str
    township_id: int | None


def can(role: str | None, action: str) -> bool:
    """Whether ``role`` may do ``action``; no role (not signed in) may do nothing."""
    if action not in PERMISSIONS:
        raise ValueError(f"unknown action {action!r}")
    return role in PERMISSIONS[action]


def require(role: str | None, action: str) -> None:
    """Raise :class:`AccessDenied` unless ``role`` may do ``action``."""
    if not can(role, action):
        raise AccessDenied(f"role {role!r} may not {action}")


def scope_for(user: HasRole) -> Scope:
    """The data scope of a signed-in user, to be put into every CaseFilter.

    A township officer without a township would see the whole county, so that
    is refused rather than defaulted.
    """
    role = user.role
    if role not in ROLES:
        raise AccessDenied(f"unknown role {role!r}")
    see_accusations = role in ACCUSATION_ROLES
    if role == "township":
        if user.township_id is None:
            raise AccessDenied("a township officer's account has no township")
        return Scope(township_id=user.township_id, see_accusations=False)
    return Scope(township_id=None, see_accusations=see_accusations)


def effective_township_ids(requested: tuple[int, ...], scope: Scope) -> tuple[int, ...] | None:
    """The townships a query may read: the scope wins over the filter.

    Returns ``()`` for "no restriction", a tuple of ids otherwise, or ``None``
    when the intersection is empty (the query must return nothing). The
    metrics engine applies the same rule in SQL; this helper is for code that
    builds lists for widgets (a township officer's picker shows one township).
    """
    if scope.township_id is None:
        return requested
    if not requested or scope.township_id in requested:
        return (scope.township_id,)
    return None
