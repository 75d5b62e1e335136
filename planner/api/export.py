"""/api/v1/export: the user's data as one JSON document, built from the resources' own schemas."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from spectree import Response

from planner.api import auth
from planner.api import tokens as api_tokens
from planner.api.blueprint import bp
from planner.api.feed_link import feed_link_out
from planner.api.procedures import procedures_out
from planner.api.products import products_out
from planner.api.profile import profile_out
from planner.api.schemas.checkins import CheckIn
from planner.api.schemas.export import Export, TokenSummary
from planner.api.schemas.plan import Mark
from planner.api.spec import spec
from planner.clock import utc_now
from planner.extensions import db
from planner.storage.models import AdherenceMark, SkinCheckIn, User
from planner.storage.queries import list_procedures, list_products


def export_of(user: User, now_at: dt.datetime | None = None) -> Export:
    """Everything stored about the user but secrets (password hash, token hashes)."""
    marks = db.session.scalars(
        sa.select(AdherenceMark).where(AdherenceMark.user_id == user.id)
        .order_by(AdherenceMark.local_day, AdherenceMark.step_key)
    )
    return Export(
        exported_at=now_at or utc_now(),
        profile=profile_out(user),
        procedures=procedures_out(list_procedures(user)),
        products=products_out(list_products(user)),
        adherence_marks=[Mark(date=m.local_day, step=m.step_key, status=m.status) for m in marks],
        checkins=[CheckIn.model_validate(c) for c in db.session.scalars(
            sa.select(SkinCheckIn).where(SkinCheckIn.user_id == user.id)
            .order_by(SkinCheckIn.local_day, SkinCheckIn.procedure_id))],
        feed_link=feed_link_out(user),
        api_tokens=[TokenSummary(name=t.name, scope=t.scope, created_at=t.created_at, last_used_at=t.last_used_at)
                    for t in api_tokens.list_for(user)],
    )


@bp.get("/export")
@spec.validate(resp=Response(HTTP_200=Export), tags=("Export",), operation_id="exportData")
def export():
    """Export all my data

    The profile, procedures, products (with classification), adherence marks, skin check-ins, the feed
    link and the names of API tokens, in the same shapes as the rest of the API.
    """
    user = auth.current()
    return export_of(user), 200, {
        "Content-Disposition": 'attachment; filename="afterglow-export.json"', "Cache-Control": "no-store",
    }
