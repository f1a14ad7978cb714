"""browser_time.py's wait for a new browser to finish starting counts this process's own descendants only."""

from __future__ import annotations

import subprocess
import sys
import time

from benchmarks import browser_time

BUSY_THEN_IDLE = "import time\nend = time.process_time() + 0.6\nwhile time.process_time() < end: pass\ntime.sleep(30)\n"


def test_a_childs_cpu_is_counted_and_an_idle_child_adds_nothing():
    before = browser_time._descendants_cpu_ticks()
    child = subprocess.Popen([sys.executable, "-c", BUSY_THEN_IDLE])
    try:
        deadline, last = time.monotonic() + 30, -1
        while time.monotonic() < deadline:  # until the child has stopped spinning
            time.sleep(0.3)
            now = browser_time._descendants_cpu_ticks() - before
            if now == last and now > 0:
                break
            last = now
        assert last >= 50  # 0.6 s of CPU at 100 ticks a second
        time.sleep(1.0)  # asleep: no more ticks
        assert browser_time._descendants_cpu_ticks() - before - last <= 2
    finally:
        child.kill()
        child.wait()
    # An ended child is no longer counted (only live processes are walked).
    assert browser_time._descendants_cpu_ticks() - before <= 5
