import os
import sys

# Polars' allocator (jemalloc) keeps freed pages for ten seconds before giving them back.
# An import of a million rows frees hundreds of MB within seconds, so the process would
# hold them all at its peak; returning them at once keeps it inside its memory (issue 15).
# It must be set before Polars is first imported; `serve` passes it on to the server.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")

from dashboard.cli import main  # noqa: E402

sys.exit(main())
