"""/api/v1/webhooks: the webhook delivery log and re-sending a delivery (admin tokens only)."""

from __future__ import annotations

from flask import g
from flask_smorest import Blueprint

from workbench.api.common import problem_responses, authenticate, register_errors, require_right
from workbench.api.schemas import DeliveryOut, DeliveryQuery, DeliveryList, Problem
from workbench.data import webhooks
from workbench.services import events
from workbench.services.actor import Actor

bp = Blueprint("api_webhooks", __name__, url_prefix="/api/v1/webhooks",
               description="Webhook deliveries: the log with each one's last error, and re-sending (admin tokens).")
bp.before_request(authenticate)
register_errors(bp)


_errors = problem_responses(bp, Problem)  # @_errors(400, 404, ...): documented problem+json answers


def _out(row: dict) -> dict:
    return {key: row[key] for key in ("id", "webhook_id", "url", "message_id", "event", "status", "attempts",
                                      "response_status", "error", "next_attempt_at", "created_at", "updated_at")}


@bp.route("/deliveries", methods=["GET"])
@bp.arguments(DeliveryQuery, location="query")
@bp.response(200, DeliveryList)
@_errors(401, 403, 422, 429)
def list_deliveries(query: dict):
    """The latest deliveries, newest first; `?status=failed` lists those given up on, with the last
    error, to re-send."""
    require_right("admin")
    rows = webhooks.deliveries(g.db, query["limit"], status=query.get("status"))
    return {"deliveries": [_out(row) for row in rows]}


@bp.route("/deliveries/<int:delivery_id>/resend", methods=["POST"])
@bp.response(202, DeliveryOut)
@_errors(400, 401, 403, 404, 429)
def resend(delivery_id: int):
    """Send a failed (or delivered) delivery again: the same webhook-id, a fresh retry schedule.
    400 while it is still pending or when its webhook was removed."""
    require_right("admin")
    return _out(events.resend(g.db, delivery_id, Actor.token(g.user)))
