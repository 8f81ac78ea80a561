"""One run at a time per folder: the operating system's own file lock (fcntl / msvcrt).

The lock is held on an open file, so the system releases it when the process ends in any
way (including ``kill -9`` or a closed laptop lid); a stale lock file on disk means nothing.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from .errors import KcWorkbookError

LOCK_NAME = ".kc-workbook.lock"
WAIT_SECONDS = 10.0


class FolderBusy(KcWorkbookError):
    """Another run holds the folder's lock."""


def _try_lock(fd: int) -> bool:
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        # a file system without flock (some network shares): fall back to POSIX record locks
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
    return True


@contextlib.contextmanager
def folder_lock(folder: str | Path, what: str, wait: float | None = None):
    """Hold ``folder``'s lock for the block; wait up to ``wait`` seconds, then refuse in Russian."""
    from .output import describe_os_error

    folder = Path(folder)
    wait = WAIT_SECONDS if wait is None else wait
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise KcWorkbookError(f"не удалось занять папку {folder}: {describe_os_error(exc)}") from exc
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise FolderBusy(f"папка {folder} занята: там уже идёт {what} (другой запуск kc-workbook, возможно "
                                 f"у коллеги). Дождитесь его окончания и повторите.")
            time.sleep(0.2)
        yield
    finally:
        os.close(fd)  # releases the lock
