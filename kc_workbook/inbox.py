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


# --- reading every file, in worker processes when there are many --------------------

# Below this many files a second process costs more than it saves.
PARALLEL_FROM = 48
_worker_program = None  # the program, in a worker process


def read_each(program, year: int, inbox: Path, names: list[str], workers: int | None = None,
              progress=None):
    """Read every file (``names`` relative to the inbox) and yield its ``Submission``, in the
    order given; on more than one core, in worker processes, a few chunks of files at a time.
    ``progress(done, total)`` is called after each file."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(names) >= PARALLEL_FROM else 1
    if workers < 2:
        yield from _counted((read_regular(inbox / name, program, year, name=name) for name in names), len(names),
                            progress)
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from .errors import ReadingError

    chunk = max(1, min(64, len(names) // (workers * 8)))
    pool = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(program, os.getpid()))

    def in_order():
        # at most a few chunks per worker in flight: the results wait in memory only that long
        pending = deque()
        for start in range(0, len(names), chunk):
            pending.append(pool.submit(_read_chunk, inbox, names[start:start + chunk], year))
            if len(pending) > 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()

    try:
        yield from _counted(in_order(), len(names), progress)
    except BrokenProcessPool as exc:  # a worker killed from outside: the out-of-memory killer, a person
        stop_workers(pool)
        raise ReadingError("процесс чтения книг аварийно завершился (возможно, не хватило памяти или его "
                           "остановили); запустите сводку ещё раз") from exc
    except BaseException:  # Ctrl+C, SIGTERM (see cli), an error, a consumer that stopped: the workers end now
        stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _counted(items, total: int, progress):
    for done, item in enumerate(items, 1):
        yield item
        if progress is not None:
            progress(done, total)


def _init_worker(program, parent: int | None = None) -> None:
    global _worker_program
    _worker_program = program
    end_with_parent(parent)


def _read_chunk(inbox: Path, names: list[str], year: int) -> list:
    return [read_regular(inbox / name, _worker_program, year, name=name) for name in names]


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
