"""Plain value types shared by the pure core (vocabulary, inputs, outputs: one module each).

The catalog, the ingredient classifier, the schedule engine and the safety
screening speak only in these frozen dataclasses and enums, so the web pages,
the iCal feed and the reminders can all feed the engine the same inputs and
get the same days back. Nothing here knows about Flask or the database.
"""

from planner.core.model.vocabulary import *  # noqa: F401,F403
from planner.core.model.inputs import *  # noqa: F401,F403
from planner.core.model.outputs import *  # noqa: F401,F403
