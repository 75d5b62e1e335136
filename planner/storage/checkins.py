"""The skin check-in answers: one per procedure and local day, the latest answer for a day wins.

Only the plan service (planning/checkins.py) decides whether an answer may be given; this module
only reads and writes the rows.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from planner.extensions import db
from planner.storage.models import Procedure, SkinCheckIn
from planner.storage.types import utcnow


def checkins_of(user_id: int, procedure_id: int) -> list[SkinCheckIn]:
    """One procedure's answers, by day."""
    return list(db.session.scalars(
        sa.select(SkinCheckIn).where(SkinCheckIn.user_id == user_id, SkinCheckIn.procedure_id == procedure_id)
        .order_by(SkinCheckIn.local_day)
    ))


def record(user_id: int, procedure_id: int, day: dt.date, answer: str) -> SkinCheckIn:
    """Store the answer for the day (replacing an earlier one for the same day), and commit.

    Two taps at once race the unique constraint at most once: retry once.
    """
    for attempt in range(2):
        try:
            row = db.session.scalar(sa.select(SkinCheckIn).where(
                SkinCheckIn.procedure_id == procedure_id, SkinCheckIn.local_day == day))
            if row is None:
                row = SkinCheckIn(user_id=user_id, procedure_id=procedure_id, local_day=day, answer=answer)
                db.session.add(row)
            else:
                row.answer = answer
            # The answers are part of the procedure's record (they move its recovery end): its
            # updated_at moves, so the calendar feed's fingerprint and the API's ETag follow.
            procedure = db.session.get(Procedure, procedure_id)
            if procedure is not None:
                procedure.updated_at = utcnow()
            db.session.commit()
            return row
        except IntegrityError:
            db.session.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")
