"""The plan service: load a user's inputs, resolve their zone and today once, ask the engine.

inputs.py   rows → engine inputs, for one user or a batch, with one column policy
zones.py    the user's zone and local date, by one rule for a zone the server does not know
service.py  UserPlanner / planner_for / planners_for / plan_for: what every face calls
"""

from planner.planning.inputs import effective_classes, product_classification
from planner.planning.service import UserPlanner, facts_of_rows, local_today, plan_for, planner_for, planners_for

__all__ = [
    "UserPlanner", "effective_classes", "facts_of_rows", "local_today", "plan_for", "planner_for", "planners_for",
    "product_classification",
]
