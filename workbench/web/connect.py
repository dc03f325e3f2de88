"""Admin page for the CMS connection: API tokens, webhooks and the webhook delivery log."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from workbench.data import api_tokens
from workbench.data import webhooks
from workbench.data import users
from workbench.data.users import ROLES
from workbench.services import events
from workbench.services.actor import Actor
from workbench.web.auth import require

bp = Blueprint("connect", __name__, url_prefix="/admin/cms")


def _page(new_token: dict | None = None, new_webhook: dict | None = None):
    return render_template("admin/cms.html", tokens=api_tokens.list_tokens(g.db), roles=ROLES,
                           accounts=[u for u in users.list_users(g.db) if not u["disabled_at"]],
                           webhooks=webhooks.list_webhooks(g.db), deliveries=webhooks.deliveries(g.db, 50),
                           events=webhooks.EVENTS, new_token=new_token, new_webhook=new_webhook,
                           schedule=webhooks.schedule_text())


@bp.get("/")
@require("admin")
def index():
    """Tokens, webhooks and recent deliveries (status, attempts, last error)."""
    return _page()


@bp.post("/tokens")
@require("admin")
def add_token():
    """Create a token; it is shown on this page once."""
    created = api_tokens.add_token(g.db, request.form.get("name", ""), request.form.get("role", ""),
                                   user=g.user["name"], owner=request.form.get("owner") or None,
                                   expires=request.form.get("expires") or None)
    return _page(new_token=created)


@bp.post("/tokens/revoke")
@require("admin")
def revoke_token():
    """Revoke a token by name."""
    api_tokens.revoke_token(g.db, request.form.get("name", ""))
    flash(f"Revoked token {request.form.get('name')!r}.")
    return redirect(url_for("connect.index"))


@bp.post("/webhooks")
@require("admin")
def add_webhook():
    """Register a webhook URL for the ticked events; the signing secret is shown once."""
    created = webhooks.add_webhook(g.db, request.form.get("url", "").strip(), request.form.getlist("event"),
                                   secret=request.form.get("secret", "").strip() or None, user=g.user["name"])
    return _page(new_webhook=created)


@bp.post("/webhooks/<int:webhook_id>/remove")
@require("admin")
def remove_webhook(webhook_id: int):
    """Stop sending events to a webhook; its deliveries stay in the log."""
    cancelled = webhooks.remove_webhook(g.db, webhook_id)
    flash(f"Webhook {webhook_id} removed" + (f"; {cancelled} pending deliveries cancelled." if cancelled else "."))
    return redirect(url_for("connect.index"))


@bp.post("/deliveries/<int:delivery_id>/resend")
@require("admin")
def resend_delivery(delivery_id: int):
    """Send a failed delivery again (same webhook-id, a fresh retry schedule)."""
    events.resend(g.db, delivery_id, Actor.person(g.user))
    flash(f"Delivery {delivery_id} queued again.")
    return redirect(url_for("connect.index"))
