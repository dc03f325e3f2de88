"""The jobs table: MT runs and big imports, queued, running, done or failed, with progress.

The dashboard and the API poll these rows; the job queue (workbench/queue) only carries the work.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from workbench.data import store
from workbench.data.db import transaction

ACTIVE = ("queued", "running")
STALE_MINUTES = 30  # a queued or running job without a word for this long is taken as abandoned


def create_job(db, article_id: int | None, langs: list[str], user: str | None,
               options: dict | None = None) -> int:
    """A queued job row; `options` holds MT settings overrides plus "force" and "batch_size"."""
    stamp = store.now()
    with transaction(db):
        return db["jobs"].insert({"article_id": article_id, "langs": ",".join(langs),
                                  "status": "queued", "created_by": user, "created_at": stamp,
                                  "updated_at": stamp, "options": json.dumps(options or {})}).last_pk


def active_job(db, article_id: int) -> dict | None:
    """The article's queued or running job, if any."""
    rows = list(db.query("SELECT * FROM jobs WHERE article_id = ? AND status IN ('queued', 'running') "
                         "ORDER BY id DESC LIMIT 1", [article_id]))
    return rows[0] if rows else None


def start_article_job(db, article_id: int, langs: list[str], user: str | None) -> tuple[dict, bool]:
    """The article's running job, or a new queued one: (job, created). One active job per article.

    Check and insert share one write transaction, so two clicks (or two servers) cannot both start
    one. A job silent for STALE_MINUTES (its worker died) is marked failed and a new one starts."""
    with transaction(db):
        job = active_job(db, article_id)
        if job is not None:
            age = datetime.now(timezone.utc) - datetime.fromisoformat(job["updated_at"])
            if age < timedelta(minutes=STALE_MINUTES):
                return job, False
            db["jobs"].update(job["id"], {"status": "failed", "updated_at": store.now(), "message":
                                          f"abandoned: no progress for {STALE_MINUTES} minutes"})
        job_id = create_job(db, article_id, langs, user)
        return get_job(db, job_id), True


def get_job(db, job_id: int) -> dict:
    rows = list(db.query("SELECT * FROM jobs WHERE id = ?", [job_id]))
    if not rows:
        raise store.NotFound(f"job {job_id} does not exist")
    return rows[0]


def list_jobs(db, job_ids: list[int] | None = None) -> list[dict]:
    if job_ids:
        return list(db.query(f"SELECT * FROM jobs WHERE id IN ({','.join('?' * len(job_ids))}) ORDER BY id",
                             job_ids))
    return list(db.query("SELECT * FROM jobs ORDER BY id DESC LIMIT 100"))


def update_job(db, job_id: int, **changes) -> None:
    with transaction(db):
        db["jobs"].update(job_id, {**changes, "updated_at": store.now()})
