"""The command line's boundary with the machine: errors of the environment (a full disk, a
read-only folder, a closed pipe), signals, and a progress bar that only a terminal sees.
Imported at start-up by ``cli``: keep it light."""

from __future__ import annotations

import sys

import click


def terminate_as_interrupt():
    """SIGTERM (a shutdown, a service manager) ends a run as Ctrl+C does: temporary files
    removed, worker processes stopped, the letter being sent left «неизвестно, дошло ли»."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, interrupt)
    except (ValueError, OSError, AttributeError):  # not the main thread, or no SIGTERM here
        return None


def restore_terminate(previous) -> None:
    import signal

    if previous is not None:
        try:
            signal.signal(signal.SIGTERM, previous)
        except (ValueError, OSError, AttributeError):
            pass


def environment_error(exc: BaseException | None) -> bool:
    """An OSError, or one wrapped (XlsxWriter's FileCreateError is not an OSError)."""
    for _ in range(5):
        if exc is None:
            return False
        if isinstance(exc, OSError):
            return True
        if type(exc).__module__.startswith("xlsxwriter") and type(exc).__name__ == "FileCreateError":
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def quiet_unraisable(unraisable) -> None:
    if not environment_error(unraisable.exc_value):
        sys.__unraisablehook__(unraisable)


def quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so that Python's exit does not complain again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


class Progress:
    """A progress bar on stderr when it is a terminal, silent otherwise; its length is
    known only once the work starts, hence a callback ``(done, total)``."""

    def __init__(self, label: str):
        self.label, self.bar, self.shown = label, None, 0

    def __enter__(self):
        return self if sys.stderr.isatty() else None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False
