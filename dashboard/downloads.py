"""Downloads that leave an audit entry: the file is made when the button is pressed, and logged as it is made.

``st.download_button`` accepts a callable for ``data``: Streamlit calls it
when the user presses the button (on another thread, outside the script
run), so a file nobody downloads is never built on a rerun, and no file
leaves without its audit entry — even when the download is requested
without a click on the page (the request for a deferred file is what runs it).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from data import audit


def audited(
    build: Callable[[], bytes], *, engine: Engine, username: str, object_name: str, client_addr: str,
    action: str = "download",
) -> Callable[[], bytes]:
    """``build`` wrapped so that each call writes one audit entry (``action`` on ``object_name``).

    Everything the call needs is bound now: it runs outside the script run,
    where the session, the cache and the client's address cannot be read.
    A build that fails writes a "failure" entry and raises.
    """

    def make() -> bytes:
        try:
            data = build()
        except Exception:
            audit.record(engine, username=username, action=action, object=object_name, outcome="failure",
                         client_addr=client_addr)
            raise
        audit.record(engine, username=username, action=action, object=object_name, client_addr=client_addr)
        return data

    return make
