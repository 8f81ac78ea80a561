"""The program definition: one import for what used to live here.

The definition is split by job: ``vocabulary`` (codes and Russian labels), ``definition``
(the workbook's sheets and columns), ``model`` (frozen objects and their JSON export) and
``loader`` (reading and checking the workbook). ``from kc_workbook.program import …`` keeps
working for all of them.
"""

from __future__ import annotations

from .definition import *  # noqa: F401,F403
from .definition import TEMPLATE_NAME  # noqa: F401
from .loader import default_program_path, load_program, read_program  # noqa: F401
from .model import *  # noqa: F401,F403
from .model import (  # noqa: F401
    BUDGET_INPUTS,
    MONEY_TOLERANCE,
    ROSPIS_DEC_INPUTS,
    ROSPIS_JAN_INPUTS,
    Funding,
    Indicator,
    Input,
    Measure,
    Participant,
    Program,
    Settings,
    Task,
)
from .vocabulary import (  # noqa: F401
    DECREASE,
    DIRECTION,
    INCREASE,
    MEASURE_DONE,
    MEASURE_NOT_DONE,
    MEASURE_PARTIAL,
    MEASURE_STATUS,
    SOURCE,
    SOURCES,
    ZERO,
)

# Derived from ``vocabulary`` for callers of the earlier API; new code uses the Terms directly.
SOURCE_LABELS = dict(SOURCE.items())
DIRECTION_LABELS = dict(DIRECTION.items())
MEASURE_STATUSES = MEASURE_STATUS.codes
