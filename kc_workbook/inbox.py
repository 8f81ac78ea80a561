"""Walking the inbox and reading only regular files.

A named pipe (FIFO) would block ``open()`` forever, a device may never end: such entries
are never opened, only noted. An unreadable sub-folder is an error naming it (its
participant is then not silently «не представлен»). The temporary files of an interrupted
kc-workbook run are noted too and not read.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

from .lock import LOCK_NAME
from .output import describe_os_error, is_temporary

KINDS = (
    (stat.S_ISFIFO, "именованный канал (FIFO)"),
    (stat.S_ISSOCK, "сокет"),
    (stat.S_ISCHR, "символьное устройство"),
    (stat.S_ISBLK, "блочное устройство"),
    (stat.S_ISDIR, "папка"),
)


def inbox_files(inbox: Path) -> list[Path]:
    """Every entry under the inbox that is not a folder, sub-folders included, in a stable
    order; an unreadable sub-folder is listed too, so that reading it reports the error."""
    return [inbox / name for name in inbox_names(inbox)]


def inbox_names(inbox: Path) -> list[str]:
    """``inbox_files`` as names relative to the inbox, with «/» between folders: what problems
    name a file by. Plain strings, as an inbox may hold tens of thousands of files."""
    names = []

    def relative(root: str) -> str:
        rel = os.path.relpath(root, inbox)
        return "" if rel == "." else rel.replace(os.sep, "/") + "/"

    def unreadable(exc: OSError) -> None:
        if exc.filename is not None:
            names.append(relative(exc.filename).rstrip("/"))

    for root, dirs, files in os.walk(inbox, onerror=unreadable):
        dirs.sort()
        folder = relative(root)
        names.extend(folder + n for n in sorted(files))
    return names


def not_regular(path: Path) -> tuple[str, str] | None:
    """(problem code, Russian message) when ``path`` must not be opened as a file, else None.

    Uses ``stat`` (following links), never ``open``."""
    if is_temporary(path.name) or path.name == LOCK_NAME:
        return ("file-temporary", "служебный или временный файл kc-workbook: не прочитан")
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            return ("folder-unreadable", f"не удалось прочитать: {describe_os_error(exc)}")
        return None  # reading it reports the error in the usual way
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        try:
            os.listdir(path)
        except OSError as exc:
            return ("folder-unreadable", f"папку не удалось прочитать: {describe_os_error(exc)}")
        return ("folder-unreadable", "папку не удалось прочитать")
    what = next((label for test, label in KINDS if test(mode)), "не обычный файл")
    return ("file-not-regular", f"{what}, а не файл: пропущен, не открывался")


def read_regular(path: Path, program, year: int | None = None, name: str | None = None):
    """``read_submission`` for a regular file; for anything else a submission carrying the note."""
    from .read import Submission, Where, read_submission

    found = not_regular(Path(path))
    if found is None:
        return read_submission(path, program, year, name=name)
    name = name or Path(path).name
    return Submission(path=Path(path), name=name, problems=[Where(name).problem(*found)])


# --- worker processes of a parallel read ---------------------------------------------

def end_with_parent(parent: int | None) -> None:
    """In a worker: ignore Ctrl+C (the main process decides) and die when the main process
    dies, whatever kills it (Linux: PR_SET_PDEATHSIG)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent and not _forkserver():
        os._exit(1)  # the main process died before the line above took effect


def _forkserver() -> bool:
    import multiprocessing

    return multiprocessing.get_start_method(allow_none=True) not in (None, "fork")


def stop_workers(pool) -> None:
    """Terminate the worker processes of a ``ProcessPoolExecutor`` at once."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, AttributeError, ValueError):
            pass
