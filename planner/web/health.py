"""/readyz: readiness for load balancers and orchestrators — can this process serve pages?

/healthz (feed/http.py) stays a liveness check that never touches the database, so a database
outage does not get every web process restarted; /readyz pings the database and answers 503
while it is away, so a load balancer can take the process out of rotation until it is back.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, current_app

from planner.extensions import db
from planner.web.errors import is_database_unavailable

bp = Blueprint("health", __name__)
TEXT = "text/plain; charset=utf-8"


@bp.get("/readyz")
def readyz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception as error:
        if not is_database_unavailable(error):
            raise
        db.session.rollback()
        retry_after = str(int(current_app.config.get("DATABASE_RETRY_AFTER_SECONDS", 30)))
        return Response("database unavailable\n", status=503, content_type=TEXT, headers={"Retry-After": retry_after})
    finally:
        db.session.remove()
    return Response("ready\n", content_type=TEXT)
