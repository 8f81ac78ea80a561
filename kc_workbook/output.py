"""Writing output files atomically: a half-written file never replaces a good one.

A file is written under a temporary name in its own folder, flushed to disk and then
renamed into place. The temporary names are recognisable (``.NAME.kc-tmp.HOST.PID.XXXX``)
so that the next run removes those an interrupted run left behind (``clean_temporary``);
``inbox`` skips them. Files get the mode the umask gives, as any file a program creates.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import socket
import tempfile
import time
import zlib
from pathlib import Path

from .errors import OutputError

TMP_MARK = ".kc-tmp."
_TMP_NAME = re.compile(r"^\..*\.kc-tmp\.([0-9a-f]{8})\.(\d+)\.[^.]+$")
STALE_SECONDS = 24 * 3600  # a temporary file of another machine is removed after a day

_ERRNO_TEXT = {
    errno.ENOSPC: "нет места на диске",
    errno.EDQUOT: "превышена квота на диске",
    errno.EROFS: "диск или папка только для чтения",
    errno.EACCES: "нет прав доступа",
    errno.EPERM: "нет прав доступа",
    errno.ENAMETOOLONG: "слишком длинное имя файла или путь",
    errno.ENOENT: "файл или папка не найдены",
    errno.EISDIR: "это папка, а не файл",
    errno.ENOTDIR: "часть пути — не папка",
    errno.EPIPE: "вывод программы был закрыт (например, «| head»)",
    errno.EIO: "ошибка ввода-вывода (диск или сетевая папка недоступны)",
    errno.EBUSY: "файл занят другой программой",
}


def describe_os_error(exc: BaseException) -> str:
    """A Russian phrase for an OS error: what went wrong, with the file when known."""
    while exc is not None and not isinstance(exc, OSError):  # XlsxWriter wraps OSError in FileCreateError
        exc = exc.__cause__ or exc.__context__
    if exc is None:
        return "ошибка файловой системы"
    what = _ERRNO_TEXT.get(exc.errno) or exc.strerror or str(exc)
    name = exc.filename or ""
    return f"{what}: {name}" if name else what


def host_tag() -> str:
    return f"{zlib.crc32(socket.gethostname().encode()) & 0xFFFFFFFF:08x}"


def temporary_name(path: Path) -> str:
    return f".{path.name}{TMP_MARK}{host_tag()}.{os.getpid()}."


def is_temporary(name: str) -> bool:
    return bool(_TMP_NAME.match(name))


_UMASK: int | None = None


def file_mode() -> int:
    """0o666 less the umask: what ``open()`` would give (mkstemp gives 0600)."""
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return 0o666 & ~_UMASK


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # pragma: no cover - Windows: os.kill(pid, 0) would terminate the process
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x00100000, False, pid)  # SYNCHRONIZE
        if not handle:
            return False
        try:
            return kernel32.WaitForSingleObject(handle, 0) == 0x102  # WAIT_TIMEOUT: still running
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def clean_temporary(folder: str | Path) -> list[Path]:
    """Remove the temporary files an interrupted run left in ``folder`` (not those of a running one)."""
    folder = Path(folder)
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    here = host_tag()
    for entry in entries:
        found = _TMP_NAME.match(entry.name)
        if not found:
            continue
        host, pid = found.group(1), int(found.group(2))
        try:
            old = time.time() - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
            if (host == here and not _alive(pid)) or old:
                if entry.is_dir(follow_symlinks=False):
                    import shutil

                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _fsync(path: Path) -> None:
    """Push a file (or a folder's entries) to the disk; a file system that cannot is left alone."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    if os.name == "posix":  # Windows cannot open a folder to sync it
        _fsync(folder)


_CLEANED: set[str] = set()
# Temporaries this process made and has not yet renamed or removed: an interrupt can land in
# the middle of a cleanup, so the command's boundary sweeps whatever is left (``remove_live``).
_LIVE: set[str] = set()


def remove_live() -> None:
    """Remove every temporary file of this process that is still there (after an interrupt)."""
    for name in sorted(_LIVE):
        with contextlib.suppress(OSError):
            os.unlink(name)
        _LIVE.discard(name)


def new_temporary(path: Path) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if str(path.parent) not in _CLEANED:  # once per folder and run: leftovers of a killed run go
            _CLEANED.add(str(path.parent))
            clean_temporary(path.parent)
        # named and registered before it exists: an interrupt (Ctrl+C, SIGTERM) at any moment
        # leaves no file the sweep does not know of
        for _ in range(100):
            tmp = str(path.parent / (temporary_name(path) + secrets.token_hex(4)))
            _LIVE.add(tmp)
            try:
                fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600)
                break
            except FileExistsError:
                _LIVE.discard(tmp)
        else:
            raise FileExistsError(errno.EEXIST, "нет свободного временного имени", str(path.parent))
        os.close(fd)
        os.chmod(tmp, file_mode())
    except OSError as exc:
        raise OutputError(f"не удалось создать файл в папке {path.parent}: {describe_os_error(exc)}") from exc
    return Path(tmp)


def _sync_file(path: Path) -> None:
    _fsync(path)


def _replace(tmp: Path, path: Path) -> None:
    try:
        _sync_file(tmp)
        os.replace(tmp, path)
        _LIVE.discard(str(tmp))
    except PermissionError as exc:
        raise OutputError(
            f"файл {path} открыт в другой программе или недоступен для записи: закройте его и повторите"
        ) from exc
    except OSError as exc:
        raise OutputError(f"не удалось записать {path}: {describe_os_error(exc)}") from exc
    _fsync_dir(path.parent)


@contextlib.contextmanager
def atomic_path(path: str | Path):
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds."""
    path = Path(path)
    tmp_path = new_temporary(path)
    try:
        try:
            yield tmp_path
        except OSError as exc:
            raise OutputError(f"не удалось записать {path}: {describe_os_error(exc)}") from exc
        _replace(tmp_path, path)
    finally:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        _LIVE.discard(str(tmp_path))


@contextlib.contextmanager
def atomic_paths(*paths: str | Path):
    """Several files replaced together: each is written to a temporary path; only when all
    are written are they renamed into place. If a rename fails, the message names which
    files were replaced and which were not."""
    paths = [Path(p) for p in paths]
    tmps = []
    try:
        for path in paths:
            tmps.append(new_temporary(path))
        try:
            yield tmps
        except OSError as exc:
            raise OutputError(f"не удалось записать {', '.join(map(str, paths))}: {describe_os_error(exc)}") from exc
        done = []
        for tmp, path in zip(tmps, paths):
            try:
                _replace(tmp, path)
            except OutputError as exc:
                if not done:
                    raise
                rest = [str(p) for p in paths if p not in done]
                raise OutputError(f"{exc}. Уже заменены: {', '.join(map(str, done))}; не заменены: "
                                  f"{', '.join(rest)} — файлы этого запуска не согласованы, повторите запуск") from exc
            done.append(path)
    finally:
        for tmp in tmps:
            with contextlib.suppress(OSError):
                tmp.unlink()


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(path: str | Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


_SCRATCH: Path | None = None


def scratch_dir() -> str:
    """A private folder for a library's temporary parts (XlsxWriter's), removed at exit;
    those of a killed run are removed by the next one."""
    global _SCRATCH
    if _SCRATCH is None or not _SCRATCH.is_dir():
        import atexit
        import shutil

        base = Path(tempfile.gettempdir())
        clean_temporary(base)
        _SCRATCH = Path(tempfile.mkdtemp(prefix=f".kc-workbook{TMP_MARK}{host_tag()}.{os.getpid()}.", dir=base))
        atexit.register(shutil.rmtree, _SCRATCH, True)
    return str(_SCRATCH)
