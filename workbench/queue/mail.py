"""Sending a notification's e-mail through the SMTP server of [mail] in workbench.toml, with the
standard library's smtplib. Run by the job queue after the commit that wrote the notification."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import sqlite_utils

from workbench.services import notifications

TIMEOUT_SECONDS = 20


def send(db: sqlite_utils.Database, settings: dict | None, notification_id: int) -> None:
    """Send one notification's e-mail; the notification records "sent" or why it failed."""
    message = notifications.message(db, notification_id)
    if message is None:
        return
    if not settings:
        notifications.mailed(db, notification_id, "no [mail] host in workbench.toml")
        return
    email = EmailMessage()
    email["From"] = settings["from"]
    email["To"] = message["to"]
    email["Subject"] = message["subject"]
    email.set_content(message["body"])
    try:
        with smtplib.SMTP(settings["host"], settings["port"], timeout=TIMEOUT_SECONDS) as smtp:
            if settings.get("starttls"):
                smtp.starttls()
            if settings.get("username"):
                smtp.login(settings["username"], settings.get("password") or "")
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as err:
        notifications.mailed(db, notification_id, f"{settings['host']}:{settings['port']}: {err}")
        return
    notifications.mailed(db, notification_id)
