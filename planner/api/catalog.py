"""/api/v1/catalog/procedures: the procedure kinds, their windows by intensity, and their sources."""

from __future__ import annotations

from spectree import Response

from planner.api.blueprint import bp
from planner.api.problems import ApiProblem
from planner.api.schemas.catalog import Catalog, ProcedureKind, Source, Window
from planner.api.spec import spec
from planner.core import catalog

TAGS = ("Catalog",)


def kind_out(kind: catalog.ProcedureKind) -> ProcedureKind:
    def window(field: str) -> Window:
        w = kind.window(field)
        return Window(light=w.values.light, standard=w.values.standard, aggressive=w.values.aggressive,
                      range=list(w.range) if w.range else None, sources=list(w.sources), basis=w.basis)

    return ProcedureKind(
        key=kind.key, label=kind.label, description=kind.description, group=kind.group,
        washout_days_before=window("washout_days_before"), retinoid_days_after=window("retinoid_days_after"),
        actives_days_after=window("actives_days_after"), downtime_days=window("downtime_days"),
        serum_on_procedure_day=kind.serum_on_procedure_day, follow_clinician=kind.follow_clinician,
        notes=list(kind.notes), area_note=kind.area_note,
        sources=[Source(key=s.key, url=s.url, kind=s.kind, kind_label=s.kind_label, note=s.note) for s in kind.sources()],
    )


@bp.get("/catalog/procedures")
@spec.validate(resp=Response(HTTP_200=Catalog), tags=TAGS, operation_id="listProcedureKinds")
def list_kinds():
    """The procedure catalog

    Every kind in picker order (a fixed list of about twenty, so not paginated), with each
    window's days per intensity, the range its sources give, and the sources.
    """
    return Catalog(items=[kind_out(k) for k in catalog.procedure_kinds()])


@bp.get("/catalog/procedures/<kind>")
@spec.validate(resp=Response(HTTP_200=ProcedureKind), tags=TAGS, operation_id="getProcedureKind")
def get_kind(kind: str):
    """One procedure kind, with its sources"""
    if not catalog.is_known(kind):
        raise ApiProblem(404, f"The catalog has no procedure {kind!r}; GET the catalog for the keys.")
    return kind_out(catalog.get_kind(kind))
