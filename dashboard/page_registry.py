"""Every page of the app, in menu order: the one list the entry script, the benchmark and the tests read.

Importing this module runs nothing (it imports no Streamlit). Adding a page is
one :class:`PageSpec` here, its title in the translation table
(``page.<name>`` in text/i18n.py) and its tests (README, "How to add a page").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services import access

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"


@dataclass(frozen=True)
class PageSpec:
    """One page: its script in pages/, its title and icon, and who may open it."""

    name: str  # the script pages/<name>.py, the URL path /<name> and the title key page.<name>
    icon: str  # a Material icon (":material/…:"), drawn from the app's own font, no download
    permission: str | None = None  # an action of services/access.py; None: every signed-in role
    default: bool = False  # served at "/"
    bench: bool = True  # timed by ``python -m dashboard bench`` (an upload page has nothing to time)
    # A page whose parts are computed only when opened (lazy tabs): the session-state key that opens
    # one, and the parts besides the first that the benchmark also times ("trends.py#rising").
    view_key: str | None = None
    bench_views: tuple[str, ...] = ()
    owns_arrow_keys: bool = False  # the page turns something of its own with ← and → (the wall switcher leaves them)

    @property
    def path(self) -> Path:
        return PAGES_DIR / f"{self.name}.py"

    @property
    def file(self) -> str:
        return f"{self.name}.py"

    @property
    def title_key(self) -> str:
        return f"page.{self.name}"

    def allowed(self, role: str) -> bool:
        return self.permission is None or access.can(role, self.permission)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", ":material/dashboard:", default=True),
    PageSpec("map", ":material/map:"),
    # Figures for every role; its case lists, a case's detail and downloads check their own permission.
    PageSpec("outcomes", ":material/task_alt:"),
    PageSpec("receptions", ":material/event_available:"),
    PageSpec("trends", ":material/trending_up:", view_key="trends.section",
             bench_views=("rates", "rising", "hot_words")),
    PageSpec("review", ":material/fact_check:", permission="view_review", owns_arrow_keys=True),
    PageSpec("audit", ":material/policy:", permission="view_audit"),
    PageSpec("data_import", ":material/upload_file:", permission="import", bench=False),
)
# The URL /login (no script of its own): a visitor without a session gets the
# log-in form on every URL (dashboard/app.py); a signed-in one is sent on to
# the default page. Kept so that an old bookmark of /login still resolves.
LOGIN_PAGE = PageSpec("login", ":material/login:")

PAGE_BY_NAME = {page.name: page for page in PAGES}


def pages_for(role: str) -> list[PageSpec]:
    """The pages ``role`` may open, in menu order."""
    return [page for page in PAGES if page.allowed(role)]
