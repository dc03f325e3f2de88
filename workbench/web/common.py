"""Helpers every blueprint of the web editor shares: partial-or-page rendering, uploads, downloads."""

from __future__ import annotations

import io
import re

from flask import render_template, request, send_file

from workbench.core.errors import UserError


def required_upload(what: str):
    """The uploaded file of the form's `file` field, or a UserError asking for `what`."""
    upload = request.files.get("file")
    if not upload or not upload.filename:
        raise UserError(f"choose {what}")
    return upload


def partial_or_page(partial: str, page: str, **context):
    """The partial alone for htmx requests (not history restores), the full page otherwise."""
    wants_partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    return render_template(partial if wants_partial else page, **context)


_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]+')


def download(body: bytes | str, mimetype: str, filename: str):
    """An attachment whose name may hold any characters (RFC 6266 `filename*=UTF-8''...`)."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    name = _UNSAFE_IN_FILENAME.sub("-", filename).strip(" .") or "download"
    return send_file(io.BytesIO(body), mimetype=mimetype, as_attachment=True, download_name=name)


