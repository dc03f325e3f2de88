"""The REST API for the newsroom's CMS, under /api/v1 (routes in views.py, shared parts in common.py)."""

from __future__ import annotations

from flask import Flask

from workbench.api import team, views, webhooks
from workbench.api.common import DocumentingApi, RateLimiter, problem
from workbench.api.schemas import OPENAPI_CONSTRAINTS

__all__ = ["init_app", "problem"]


def init_app(app: Flask, csrf) -> None:
    """Register the API blueprint, its docs, token auth, rate limit and problem+json errors."""
    app.config.setdefault("API_TITLE", "Workbench API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("API_RATE_LIMIT", 120)  # requests per token per minute
    api = DocumentingApi(app, spec_kwargs={
        "info": {"description": "Push articles in, pull translations out: the newsroom CMS connection."},
        "servers": [{"url": "/"}], "security": [{"bearerAuth": []}]})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    csrf.exempt(views.bp)
    api.register_blueprint(views.bp)
    csrf.exempt(webhooks.bp)
    api.register_blueprint(webhooks.bp)
    csrf.exempt(team.bp)
    api.register_blueprint(team.bp)
    for name, extra in OPENAPI_CONSTRAINTS.items():
        api.spec.components.schemas[name].update(extra)
    app.extensions["workbench-api"] = api
    app.extensions["workbench-rate-limiter"] = RateLimiter()
