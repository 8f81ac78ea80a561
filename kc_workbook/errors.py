"""Exceptions for "cannot proceed". Everything a person can fix is a Problem instead."""


class KcWorkbookError(Exception):
    """Base class: the CLI turns these (and only these) into a Russian message and exit 2."""


class ProgramError(KcWorkbookError):
    """The program definition cannot be used (unreadable, or it has errors)."""

    def __init__(self, message: str, problems=()):
        super().__init__(message)
        self.problems = list(problems)


class OutputError(KcWorkbookError):
    """An output file cannot be written (locked, no permission, no space)."""


class ReadingError(KcWorkbookError):
    """The reading of the inbox could not go on (a worker process was killed: out of memory, stopped)."""
