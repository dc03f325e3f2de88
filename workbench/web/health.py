"""`GET /healthz`: the instance's health for a newsroom's monitoring, without signing in.

200 when every check passes, 503 naming the ones that failed (services/health.py has the checks).
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify

from workbench.services import health

bp = Blueprint("health", __name__)


@bp.route("/healthz", methods=["GET"])
def healthz():
    report = health.check(current_app.config["INSTANCE"], g.db)
    response = jsonify(report)
    response.status_code = 200 if report["ok"] else 503
    response.headers["Cache-Control"] = "no-store"
    return response
