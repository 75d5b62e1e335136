"""/api/v1/procedures: list, create, read, replace, delete."""

from __future__ import annotations

from collections.abc import Iterable

from flask import url_for
from spectree import Response

from planner.api import auth
from planner.api.blueprint import ID, MAX_ID, bp
from planner.api.http import no_content, page_of, require_match, with_etag
from planner.api.problems import ApiProblem
from planner.api.schemas.common import PageQuery
from planner.api.schemas.procedures import Procedure, ProcedureIn, ProcedurePage, ResolvedWindows
from planner.api.spec import IfMatchHeaders, spec
from planner.core import catalog
from planner.core.model import ProcedureFacts
from planner.extensions import db
from planner.planning import facts_of_rows
from planner.planning.inputs import checkins_of_procedures
from planner.storage import models
from planner.storage import queries
from planner.storage.queries import get_owned

TAGS = ("Procedures",)


def windows_of(facts: ProcedureFacts) -> ResolvedWindows:
    w = facts.windows
    return ResolvedWindows(
        washout_days_before=w.washout_days_before, retinoid_days_after=w.retinoid_days_after,
        actives_days_after=w.actives_days_after, downtime_days=w.downtime_days,
        serum_on_procedure_day=w.serum_on_procedure_day, follow_clinician=w.follow_clinician,
        overridden=sorted(w.overridden),
    )


def procedures_out(rows: Iterable[models.Procedure]) -> list[Procedure]:
    """Rows with the facts the plan service resolved for them (one engine call for the lot)."""
    rows = list(rows)
    facts = {f.id: f for f in facts_of_rows(rows, checkins_of_procedures(row.id for row in rows))}
    return [_one(row, facts.get(row.id)) for row in rows]


def _one(row: models.Procedure, facts: ProcedureFacts | None) -> Procedure:
    label = catalog.get_kind(row.kind).label if catalog.is_known(row.kind) else row.kind
    return Procedure(
        id=row.id, kind=row.kind, label=label, performed_on=row.performed_on, intensity=row.intensity,
        area=row.area, clinic=row.clinic, notes=row.notes, washout_days_override=row.washout_days_override,
        retinoid_days_override=row.retinoid_days_override, actives_days_override=row.actives_days_override,
        windows=windows_of(facts) if facts else None,
        washout_start=facts.washout_start if facts else None, recovery_end=facts.recovery_end if facts else None,
        created_at=row.created_at, updated_at=row.updated_at,
    )


def _owned(procedure_id: int) -> models.Procedure:
    row = get_owned(models.Procedure, procedure_id, auth.current()) if 1 <= procedure_id <= MAX_ID else None
    if row is None:
        raise ApiProblem(404, f"You have no procedure {procedure_id}.")
    return row


def _fill(row: models.Procedure, body: ProcedureIn) -> None:
    for name, value in body.model_dump().items():
        setattr(row, name, value)


@bp.get("/procedures")
@spec.validate(query=PageQuery, resp=Response(HTTP_200=ProcedurePage), tags=TAGS, operation_id="listProcedures")
def list_procedures(query: PageQuery):
    """List procedures

    By date, oldest first, with the windows the plan resolved for each.
    """
    rows, meta = page_of(queries.list_procedures(auth.current()), query)
    return ProcedurePage(items=procedures_out(rows), **meta)


@bp.post("/procedures")
@spec.validate(json=ProcedureIn, resp=Response(HTTP_201=Procedure), tags=TAGS, operation_id="createProcedure")
def create_procedure(json: ProcedureIn):
    """Record a procedure"""
    row = models.Procedure(user_id=auth.current().id)
    _fill(row, json)
    db.session.add(row)
    db.session.commit()
    return with_etag(procedures_out([row])[0], 201, {"Location": url_for("api.get_procedure", procedure_id=row.id)})


@bp.get(f"/procedures/<{ID}:procedure_id>")
@spec.validate(resp=Response(HTTP_200=Procedure), tags=TAGS, operation_id="getProcedure")
def get_procedure(procedure_id: int):
    """Read a procedure"""
    return with_etag(procedures_out([_owned(procedure_id)])[0])


@bp.put(f"/procedures/<{ID}:procedure_id>")
@spec.validate(json=ProcedureIn, headers=IfMatchHeaders, resp=Response(HTTP_200=Procedure), tags=TAGS,
               operation_id="replaceProcedure")
def replace_procedure(procedure_id: int, json: ProcedureIn):
    """Replace a procedure

    Send every field (those left out take their defaults). With If-Match, a procedure
    changed since your read answers 412.
    """
    row = _owned(procedure_id)
    require_match(procedures_out([row])[0])
    _fill(row, json)
    db.session.commit()
    return with_etag(procedures_out([row])[0])


@bp.delete(f"/procedures/<{ID}:procedure_id>")
@spec.validate(headers=IfMatchHeaders, resp=Response("HTTP_204"), tags=TAGS, operation_id="deleteProcedure")
def delete_procedure(procedure_id: int):
    """Delete a procedure"""
    row = _owned(procedure_id)
    require_match(procedures_out([row])[0])
    db.session.delete(row)
    db.session.commit()
    return no_content()
