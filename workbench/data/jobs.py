"""The jobs table: MT runs and big imports, queued, running, done or failed, with progress.

The dashboard and the API poll these rows; the job queue (workbench/queue) only carries the work.

A running job has a heartbeat: its worker ("host:pid" in `worker`) refreshes `updated_at` on every
progress step and every HEARTBEAT seconds. A running job silent for longer than its lease
(`lease_seconds()`, 2 minutes) has lost its worker: nothing waits on it, and `serve`/`worker`
resume it (MT) or fail it (imports) when they start and every minute (`dead_jobs`).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

from workbench.data import store
from workbench.data.db import db_key, open_db, transaction

ACTIVE = ("queued", "running")
STALE_MINUTES = 30  # a queued job no worker took for this long is taken as abandoned
MAX_RESUMES = 3  # a job whose worker died this often (it may be what kills it) is failed instead


def lease_seconds() -> float:
    """How long a running job may stay silent before it counts as dead (WORKBENCH_JOB_LEASE, 120 s)."""
    return float(os.environ.get("WORKBENCH_JOB_LEASE", "120"))


def heartbeat_seconds() -> float:
    """How often a running job's worker says it is alive: an eighth of the lease (15 s)."""
    return lease_seconds() / 8


def _ago(seconds: float) -> str:
    return (datetime.now(timezone.utc) - timedelta(seconds=seconds)).isoformat(timespec="seconds")


def create_job(db, article_id: int | None, langs: list[str], user: str | None,
               options: dict | None = None) -> int:
    """A queued job row; `options` holds MT settings overrides plus "force" and "batch_size"."""
    stamp = store.now()
    with transaction(db):
        return db["jobs"].insert({"article_id": article_id, "langs": ",".join(langs),
                                  "status": "queued", "created_by": user, "created_at": stamp,
                                  "updated_at": stamp, "options": json.dumps(options or {})}).last_pk


def active_job(db, article_id: int) -> dict | None:
    """The article's queued job, or running job whose heartbeat is within its lease, if any; a
    running job past its lease is dead and nothing waits on it."""
    rows = list(db.query("SELECT * FROM jobs WHERE article_id = ? AND (status = 'queued' OR "
                         "(status = 'running' AND updated_at >= ?)) ORDER BY id DESC LIMIT 1",
                         [article_id, _ago(lease_seconds())]))
    return rows[0] if rows else None


def heartbeat(db, job_id: int) -> None:
    """The running job's worker is alive: refresh its heartbeat (updated_at)."""
    with transaction(db):
        db.execute("UPDATE jobs SET updated_at = ? WHERE id = ? AND status = 'running'", [store.now(), job_id])


def dead_jobs(db, gone) -> list[dict]:
    """Running jobs whose worker is dead: its heartbeat is older than the lease, or `gone(worker)`
    says its process (on this host) no longer runs."""
    cutoff = _ago(lease_seconds())
    return [job for job in db.query("SELECT * FROM jobs WHERE status = 'running' ORDER BY id")
            if job["updated_at"] < cutoff or (job["worker"] and gone(job["worker"]))]


def is_import(job: dict) -> bool:
    return json.loads(job["options"] or "{}").get("kind") == "import"


def resume(db, job: dict, reason: str) -> bool:
    """Put a dead running job back in the queue (its MT picks up the segments still pending); False
    when another process took care of it first."""
    with transaction(db):
        return bool(db.execute(
            "UPDATE jobs SET status = 'queued', worker = NULL, resumes = resumes + 1, message = ?, updated_at = ? "
            "WHERE id = ? AND status = 'running' AND updated_at = ?",
            [reason, store.now(), job["id"], job["updated_at"]]).rowcount)


def fail_dead(db, job: dict, reason: str) -> bool:
    """Mark a dead running job failed with `reason`; False when another process took care of it first."""
    with transaction(db):
        return bool(db.execute("UPDATE jobs SET status = 'failed', message = ?, updated_at = ? "
                               "WHERE id = ? AND status = 'running' AND updated_at = ?",
                               [reason, store.now(), job["id"], job["updated_at"]]).rowcount)


def start_article_job(db, article_id: int, langs: list[str], user: str | None) -> tuple[dict, bool]:
    """The article's running job, or a new queued one: (job, created). One active job per article.

    Check and insert share one write transaction, so two clicks (or two servers) cannot both start
    one. A running job past its lease (its worker died) is marked failed at once, and a queued job
    no worker took for STALE_MINUTES; a new one starts."""
    with transaction(db):
        dead = list(db.query("SELECT id FROM jobs WHERE article_id = ? AND status = 'running' AND updated_at < ?",
                             [article_id, _ago(lease_seconds())]))
        for job in dead:
            db["jobs"].update(job["id"], {"status": "failed", "updated_at": store.now(), "message":
                                          f"abandoned: its worker sent no heartbeat for {lease_seconds():g} s"})
        job = active_job(db, article_id)
        if job is not None:
            age = datetime.now(timezone.utc) - datetime.fromisoformat(job["updated_at"])
            if job["status"] == "running" or age < timedelta(minutes=STALE_MINUTES):
                return job, False
            db["jobs"].update(job["id"], {"status": "failed", "updated_at": store.now(), "message":
                                          f"abandoned: no worker took it for {STALE_MINUTES} minutes"})
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


@contextlib.contextmanager
def keep_alive(db, job_ids: list[int]):
    """While the block runs, a thread on its own connection refreshes the jobs' heartbeat every
    heartbeat_seconds(): a long batch never looks like a dead run (its lease, above)."""
    stop = threading.Event()
    folder = Path(db_key(db)).parent

    def beat():
        own = open_db(folder)
        try:
            while not stop.wait(heartbeat_seconds()):
                for job_id in job_ids:
                    try:
                        heartbeat(own, job_id)
                    except sqlite3.Error:  # a busy database: the next beat tries again
                        continue
        finally:
            own.close()

    thread = threading.Thread(target=beat, name=f"heartbeat jobs {job_ids}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)
