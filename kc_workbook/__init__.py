"""kc_workbook: the reporting cycle of the Kirovo-Chepetsk municipal safety program.

The package is a library first; the ``kc-workbook`` CLI mirrors it. The public API is
importable from here, lazily, so that ``import kc_workbook`` (and the CLI's start-up)
stays cheap::

    from kc_workbook import read_program, read_submission, write_workbook, write_json

(``generate`` and ``consolidate`` share their names with their modules: import them from
``kc_workbook.generate`` and ``kc_workbook.consolidate``.)
"""

__version__ = "0.1.0"

_API = {
    "read_program": "program",
    "load_program": "program",
    "read_submission": "read",
    "write_workbook": "report",
    "write_json": "report",
    "Problem": "problems",
    "KcWorkbookError": "errors",
}
__all__ = ["__version__", *_API]


def __getattr__(name):
    if name in _API:
        import importlib

        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
