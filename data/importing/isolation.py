"""Parse an untrusted file in a child process with a memory and a time limit (issue 15).

A native reader (calamine, GDAL, GEOS) that aborts, runs out of memory or
loops ends the process it runs in: in the server that is every user's
session. So a file from outside is parsed by a fresh ``python -m
data.importing.isolation WORKDIR`` that

- gets an address-space limit (``RLIMIT_AS``), a CPU-time limit and no core
  dumps before it imports anything, and is killed by the parent when its
  wall-clock time runs out;
- gets a minimal environment: not the server's, whose database URL and
  secret a compromised reader must not see;
- writes its result as Arrow IPC plus JSON into the work folder. Nothing is
  unpickled from the child: a reader taken over by a crafted file must not be
  able to run code in the server through its answer. (The parent pickles the
  job for the child: that direction trusts the sender.)

A child that refuses the file passes its one-line message back; one that dies
or times out becomes one line naming the file and what happened. Temporary
paths never reach a message: the child's TMPDIR is the work folder, and every
occurrence of it is replaced by the uploaded file's own name.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import pickle
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from data.importing.limits import DEFAULT_LIMITS, UploadLimits, megabytes, number

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
# Variables a reader may need (locale, GDAL and PROJ data); nothing else of the server's is passed on.
PASSED_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "HOME")
PASSED_ENV_PREFIXES = ("GDAL_", "PROJ_", "PROJ", "CPL_")
JOB = "job.pickle"
RESULT = "result.json"


class ChildFailure(ValueError):
    """The child could not deliver: refused the file, crashed or timed out (one line, no path)."""


def _safe_name(filename: str) -> str:
    """The uploaded file's name as shown in messages: its last part, without control characters."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name)[:120]
    return name or "upload"


def _scrub(message: str, work: Path, input_path: Path, filename: str) -> str:
    """One line, with the server's paths replaced by the file's own name."""
    line = (message or "").splitlines()[0] if message else ""
    for path, shown in ((str(input_path), filename), (str(work.resolve()), ""), (str(work), "")):
        if path:
            line = line.replace(path + "/", shown + ("/" if shown else "")).replace(path, shown)
    line = re.sub(r"(?:/tmp|/var/tmp|" + re.escape(tempfile.gettempdir()) + r")/\S*", filename, line)
    return line[:1000]


def _child_env(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in PASSED_ENV or k.startswith(PASSED_ENV_PREFIXES)}
    env.update(
        PYTHONPATH=str(ROOT),
        TMPDIR=str(work),
        PYTHONDONTWRITEBYTECODE="1",
        # glibc keeps a 64 MB arena per thread and Polars' jemalloc keeps freed pages for seconds:
        # both count against the address-space limit and the RSS, for nothing.
        MALLOC_ARENA_MAX="2",
        _RJEM_MALLOC_CONF="retain:false,dirty_decay_ms:0,muzzy_decay_ms:0",
    )
    return env


@contextmanager
def run_isolated(
    target: str,
    source: str | Path | bytes,
    filename: str,
    kwargs: dict,
    *,
    limits: UploadLimits = DEFAULT_LIMITS,
    refusals: tuple[str, ...] = (),
    error: type[Exception] = ChildFailure,
    input_suffix: str | None = None,
) -> Iterator[tuple[dict, Path]]:
    """Run ``target(input_path, work_dir, **kwargs)`` in a child; yield its JSON answer and the work folder.

    ``target`` is ``"module:function"``; it writes any bulky result (Arrow IPC)
    into the work folder and returns a JSON-able dict. An exception of a class
    named in ``refusals`` (``"module:Class"``) is the file's fault: its message
    comes back as ``error(message)``. Everything else (a crash, a signal, the
    memory or time limit, an unexpected exception) is also raised as ``error``
    with one line naming the file and what happened. The work folder is
    deleted when the ``with`` block ends.
    """
    shown = _safe_name(filename)
    with tempfile.TemporaryDirectory(prefix="upload-") as tmp:
        work = Path(tmp)
        if isinstance(source, bytes):
            suffix = (input_suffix or Path(shown).suffix).lower()
            suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""
            input_path = work / f"input{suffix}"
            input_path.write_bytes(source)
        else:
            input_path = Path(source).resolve()
        job = {"target": target, "input": str(input_path), "kwargs": kwargs, "refusals": list(refusals),
               "memory_bytes": limits.child_memory_bytes, "seconds": limits.child_seconds}
        (work / JOB).write_bytes(pickle.dumps(job))
        stderr_path = work / "stderr.txt"
        with open(stderr_path, "wb") as stderr:
            proc = subprocess.Popen(  # noqa: S603 (our own interpreter and module, no shell)
                [sys.executable, "-m", "data.importing.isolation", str(work)],
                cwd=str(ROOT), env=_child_env(work), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=stderr, start_new_session=True,
            )
            try:
                code = proc.wait(timeout=limits.child_seconds)
            except subprocess.TimeoutExpired:
                _kill(proc)
                raise error(
                    f"读取 {shown} 超时（超过 {number(int(limits.child_seconds))} 秒）：文件过大或过于复杂，请分成几个文件"
                    f" / reading {shown} took longer than {number(int(limits.child_seconds))} s: "
                    "the file is too large or too complex; split it"
                ) from None
            finally:
                if proc.poll() is None:
                    _kill(proc)
        answer = _answer(work / RESULT)
        if answer is None:
            # For the operator, not the user: the child's last words (a Rust panic, a traceback).
            tail = stderr_path.read_bytes()[-2000:].decode("utf-8", errors="replace").strip().splitlines()
            log.warning("reader child for %s died with %s: %s", shown, code, " | ".join(tail[-3:]))
            raise error(_death_line(shown, code, limits))
        if not answer.get("ok"):
            message = answer.get("message")
            if message:
                raise error(_scrub(message, work, input_path, shown))
            if answer.get("kind") == "MemoryError":
                limit = megabytes(limits.child_memory_bytes)
                raise error(
                    f"读取 {shown} 超出内存上限 {limit}：文件过大，请分成几个文件"
                    f" / reading {shown} went over the memory limit of {limit}: the file is too large; split it"
                )
            raise error(
                f"读取 {shown} 时出错（{answer.get('kind', 'error')}）：文件可能已损坏"
                f" / reading {shown} failed ({answer.get('kind', 'error')}): the file may be damaged"
            )
        yield answer.get("meta") or {}, work


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _answer(path: Path) -> dict | None:
    try:
        text = path.read_text(encoding="utf-8")
        answer = json.loads(text)
    except (OSError, ValueError):
        return None
    return answer if isinstance(answer, dict) else None


def _death_line(shown: str, code: int, limits: UploadLimits) -> str:
    if code is not None and code < 0:
        try:
            how = signal.Signals(-code).name
        except ValueError:
            how = f"signal {-code}"
    else:
        how = f"exit status {code}"
    limit = megabytes(limits.child_memory_bytes)
    return (
        f"读取 {shown} 时读取程序异常退出（{how}，可能超出内存上限 {limit}）：文件可能已损坏或过大，请检查或分成几个文件"
        f" / the reader of {shown} died ({how}, perhaps over its memory limit of {limit}): "
        "the file may be damaged or too large; check it or split it"
    )


# --- the child -------------------------------------------------------------


def _apply_limits(memory_bytes: int, seconds: float) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort must not write the parsed data to disk
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # CPU seconds run faster than the wall clock on several cores (Polars uses them all):
    # a backstop for the parent's wall-clock limit, never stricter than it.
    cpu = int(seconds * max(1, os.cpu_count() or 1)) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def _write_answer(work: Path, answer: dict) -> None:
    tmp = work / (RESULT + ".part")
    tmp.write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
    tmp.replace(work / RESULT)  # all or nothing: a child killed mid-write leaves no answer


def _is_refusal(exc: BaseException, refusals: list[str]) -> bool:
    for cls in type(exc).__mro__:
        if f"{cls.__module__}:{cls.__qualname__}" in refusals:
            return True
    return False


def child_main(work: Path) -> int:
    job = pickle.loads((work / JOB).read_bytes())  # noqa: S301 (written by our parent, not by the upload)
    _apply_limits(job["memory_bytes"], job["seconds"])
    try:
        module, name = job["target"].split(":")
        function = getattr(importlib.import_module(module), name)
        meta = function(Path(job["input"]), work, **job["kwargs"])
    except MemoryError:
        _write_answer(work, {"ok": False, "kind": "MemoryError"})
        return 0
    except Exception as exc:  # the parent turns every failure into one line
        if _is_refusal(exc, job["refusals"]):
            _write_answer(work, {"ok": False, "kind": type(exc).__name__, "message": str(exc)})
        else:
            _write_answer(work, {"ok": False, "kind": type(exc).__name__})
        return 0
    _write_answer(work, {"ok": True, "meta": meta})
    return 0


def misbehave(input_path: Path, work: Path, how: str) -> dict:
    """A child that fails the way a native reader can, so that tests can show the parent survives it."""
    if how == "abort":
        os.abort()
    if how == "memory":
        hog = []
        while True:
            hog.append(bytearray(64 * 1024 * 1024))
    if how == "hang":
        import time

        time.sleep(3600)
    if how == "raise":
        raise KeyError(str(input_path))  # an unexpected error whose text holds a server path
    return {"how": how}


if __name__ == "__main__":
    sys.exit(child_main(Path(sys.argv[1])))
