"""/api/v1/export: the user's data as one JSON document, the same the settings page downloads."""

from __future__ import annotations

from spectree import Response

from planner.accounts import export as accounts_export
from planner.api import auth
from planner.api.blueprint import bp
from planner.api.schemas.export import Export
from planner.api.spec import spec
from planner.clock import utc_now


@bp.get("/export")
@spec.validate(resp=Response(HTTP_200=Export), tags=("Export",), operation_id="exportData")
def export():
    """Export all my data

    The profile, procedures, products (with classification), adherence marks, reminders sent,
    API token names and the calendar feed's bookkeeping: every stored field but secrets, in the
    same document as the settings page's download.
    """
    return accounts_export.as_json(auth.current(), utc_now()), 200, {
        "Content-Disposition": 'attachment; filename="afterglow-export.json"', "Cache-Control": "no-store",
    }
