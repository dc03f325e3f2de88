"""Endpoints for bench/web_latency.py only: the floor a save is measured against.

Registered only when the instance's config.py sets BENCH_ENDPOINTS = True (the benchmark writes
that into its own temporary instance); never on by default.
"""

from __future__ import annotations

from flask import Blueprint, g

from workbench.data import store

bp = Blueprint("probe", __name__, url_prefix="/bench")


@bp.get("/ping")
def ping():
    """The cheapest signed-in request: the per-request overhead (database, user) and nothing else."""
    return "ok", 200, {"Content-Type": "text/plain"}


@bp.post("/write")
def write():
    """One row written in one transaction (BEGIN IMMEDIATE ... COMMIT): the floor for a save."""
    store.write_probe(g.db)
    return "", 204
