"""My work (each person's assigned languages, everyone's for reviewers and admins) and
notifications (the bell in the top bar, the list, mark read, e-mail settings) in the browser."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from workbench.core.errors import UserError
from workbench.core.langs import TARGET_LANGS
from workbench.services import my_work, notifications
from workbench.services.actor import Actor
from workbench.services.assignments import STATES

bp = Blueprint("my_work", __name__)


@bp.app_context_processor
def bell():
    def unread_notifications() -> int:
        """The signed-in person's unread notifications (once per request)."""
        if "unread_notifications" not in g:
            g.unread_notifications = (notifications.unread(g.db, Actor.person(g.user))
                                      if getattr(g, "user", None) else 0)
        return g.unread_notifications

    return {"unread_notifications": unread_notifications}


@bp.get("/my-work")
def page():
    """The person's assigned languages, with filters; everyone's for reviewers and admins."""
    actor = Actor.person(g.user)
    filters = {"state": request.args.get("state") or None, "lang": request.args.get("lang") or None,
               "overdue": request.args.get("overdue") == "1"}
    try:
        items = my_work.mine(g.db, actor, **filters)
        team = my_work.everyone(g.db, actor, **filters) if actor.may("approve") else None
    except UserError as err:
        flash(str(err), "error")
        return redirect(url_for("my_work.page"))
    return render_template("my_work/index.html", items=items, team=team, filters=filters, states=STATES,
                           langs=TARGET_LANGS)


@bp.get("/notifications")
def notifications_page():
    actor = Actor.person(g.user)
    return render_template("notifications/index.html", notifications=notifications.listing(g.db, actor),
                           kinds=notifications.KINDS)


@bp.post("/notifications/<int:notification_id>/read")
def read_one(notification_id: int):
    try:
        notifications.mark_read(g.db, Actor.person(g.user), notification_id)
    except UserError as err:
        flash(str(err), "error")
    return redirect(url_for("my_work.notifications_page"))


@bp.post("/notifications/read")
def read_all():
    count = notifications.mark_read(g.db, Actor.person(g.user))
    flash(f"{count} notification{'s' if count != 1 else ''} marked read.")
    return redirect(url_for("my_work.notifications_page"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
def settings():
    """Which kinds of notification the person gets by e-mail, and at which address."""
    actor = Actor.person(g.user)
    if request.method == "POST":
        try:
            notifications.save_settings(g.db, actor, request.form.get("email"), request.form.getlist("kinds"))
        except UserError as err:
            flash(str(err), "error")
        else:
            flash("Notification settings saved.")
        return redirect(url_for("my_work.settings"))
    try:
        mail = bool(current_app.config["INSTANCE"].mail_settings())
    except UserError:
        mail = False
    return render_template("notifications/settings.html", settings=notifications.settings(g.db, actor.name),
                           kinds=notifications.KINDS, mail=mail)
