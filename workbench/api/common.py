"""What every API route shares: token authentication, the rate limit, problem+json errors.

The REST API for the newsroom's CMS, under /api/v1.

* Authentication: `Authorization: Bearer <token>` only (api_tokens.py). The API reads no cookie
  (a session cookie is ignored), so it needs no CSRF token and is exempt from CSRF; every other
  route keeps session + CSRF protection.
* Errors: RFC 9457 `application/problem+json` with a `detail` a person understands.
* Schemas and the OpenAPI 3.1 document come from flask-smorest (marshmallow + apispec). Its Api is
  used only to document this blueprint: it registers no error handler or page on the app.
* Each token is limited to API_RATE_LIMIT requests per minute (429 with Retry-After).
"""

from __future__ import annotations

import http
import math
import threading
import time
from collections import defaultdict, deque

from flask import current_app, g, jsonify, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import Forbidden, HTTPException

from workbench.api.schemas import Problem
from workbench.data import api_tokens, users
from workbench.core.errors import UserError

API_PREFIX = "/api/v1"


PROBLEM_TYPE = "application/problem+json"


class DocumentingApi(Api):
    """flask-smorest's Api without its app-wide JSON error handler (the HTML app keeps its own), whose
    error responses are documented as they are sent: problem+json with the Problem schema."""

    ERROR_SCHEMA = Problem

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        """flask-smorest's responses per status and its "default" one, as problem+json."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Any other error (a problem+json body)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def http_headers(err: HTTPException) -> dict:
    """The headers an HTTP error carries besides its body's type: `Allow` on a 405, for one."""
    return {key: value for key, value in err.get_headers() if key.lower() != "content-type"}


def problem(status: int, title: str, detail: str, headers: dict | None = None, **extra):
    """An RFC 9457 problem details response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail,
            "instance": request.path, **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_TYPE
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


class RateLimiter:
    """Requests per token per minute, as a sliding window (one process; waitress serves threads)."""

    def __init__(self):
        self._hits: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def retry_after(self, key: str, per_minute: int) -> int | None:
        """None when this request may go ahead, else the seconds until it may."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits[key]
            while hits and now - hits[0] >= 60:
                hits.popleft()
            if len(hits) >= per_minute:
                return max(1, math.ceil(60 - (now - hits[0])))
            hits.append(now)
            return None


def authenticate():
    """Bearer token only; the session cookie is never consulted here."""
    g.user = None
    if request.endpoint in ("api.openapi_json", "api.reference"):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return problem(401, "Unauthorized", "Send your API token as `Authorization: Bearer <token>`; "
                       "an admin creates one with `workbench tokens add NAME --role translator`.",
                       {"WWW-Authenticate": 'Bearer realm="workbench"'})
    row, refused = api_tokens.check(g.db, token.strip())
    if row is None:
        return problem(401, "Unauthorized", refused,
                       {"WWW-Authenticate": 'Bearer realm="workbench", error="invalid_token"'})
    wait = current_app.extensions["workbench-rate-limiter"].retry_after(
        f"token:{row['id']}", int(current_app.config["API_RATE_LIMIT"]))
    if wait is not None:
        return problem(429, "Too Many Requests", f"This token may make {current_app.config['API_RATE_LIMIT']} "
                       f"requests a minute; try again in {wait} s.", {"Retry-After": str(wait)})
    g.user = {"name": f"api:{row['name']}", "role": row["role"]}
    g.token = row
    return None


def require_right(right: str) -> None:
    if not users.can(g.user, right):
        raise Forbidden(f"This token's role ({g.user['role']}) may not do this; it needs a "
                        f"{ {'edit': 'translator', 'approve': 'reviewer', 'admin': 'admin'}[right] } token.")


def register_errors(bp) -> None:
    @bp.errorhandler(UserError)
    def user_error(err):
        status = getattr(err, "status", 400)
        return problem(status, {403: "Forbidden", 404: "Not Found", 409: "Conflict",
                                  422: "Unprocessable Entity"}.get(status, "Bad Request"), str(err))

    @bp.errorhandler(HTTPException)
    def http_error(err):
        data = getattr(err, "data", None) or {}
        detail = data.get("message") or err.description or err.name
        messages = data.get("messages")
        if messages:  # webargs validation: say which field is wrong and why
            messages = _named(messages)
            detail = "; ".join(_flatten(messages))
            return problem(err.code or 422, err.name, detail, http_headers(err), errors=messages)
        return problem(err.code or 500, err.name, detail, http_headers(err))

    @bp.errorhandler(RecursionError)
    def too_deep(err):
        # Python's JSON decoder recurses per nesting level: a body of 100,000 "[" fails there,
        # before any of our code runs. The request's fault, not the server's.
        if request.is_json:
            return problem(400, "Bad Request", "The JSON body is nested too deeply to read.")
        return server_error(err)

    @bp.errorhandler(UnicodeError)
    def not_text(err):
        # A lone UTF-16 surrogate ("\ud800" in JSON) decodes to a str that cannot be encoded again:
        # the services refuse it by name where they check a field; anywhere else it is the request's fault.
        current_app.logger.info("request with text that is not Unicode: %r", err)
        return problem(422, "Unprocessable Entity", "The request holds text that is not valid Unicode "
                       f"({type(err).__name__}: {getattr(err, 'reason', err)}), such as half of a UTF-16 "
                       "surrogate pair alone; remove it and send the request again.")

    @bp.errorhandler(Exception)
    def server_error(err):
        current_app.logger.exception("unhandled API error")
        return problem(500, "Internal Server Error", "The error was logged; nothing was half-written.")


def _named(messages):
    """Validation messages with every key a string: a multipart field whose name werkzeug cannot read
    (`name="\\"`) arrives as None, and a None key beside string keys cannot be sorted into JSON."""
    if isinstance(messages, dict):
        return {("(unnamed)" if key is None else str(key)): _named(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [_named(value) for value in messages]
    return messages


def _flatten(messages, path: str = "") -> list[str]:
    out = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key in ("json", "form", "files", "query") and not path:
                out += _flatten(value, "")
            else:
                out += _flatten(value, f"{path}.{key}" if path else str(key))
    elif isinstance(messages, list):
        out.append(f"{path}: {' '.join(str(m) for m in messages)}" if path else " ".join(map(str, messages)))
    else:
        out.append(f"{path}: {messages}")
    return out


def problem_responses(bp, schema):
    """A decorator factory for `bp`: @errors(400, 404, ...) documents problem+json answers."""
    def errors(*codes):
        def decorator(view):
            for code in codes:
                view = bp.alt_response(code, schema=schema, content_type="application/problem+json")(view)
            return view
        return decorator
    return errors
