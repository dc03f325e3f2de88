"""Background jobs through huey: SQLite storage in the instance folder, or Redis when
WORKBENCH_REDIS_URL is set (so `workbench worker` processes on several machines share the work).

A job's progress lives in our own `jobs` table, which the dashboard polls; huey only carries
the work. Tasks take the instance path, so one queue can serve the instance it was made for.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

from huey import RedisHuey, SqliteHuey

from workbench.data import store
from workbench.data.db import transaction


def _make_huey():
    redis_url = os.environ.get("WORKBENCH_REDIS_URL")
    if redis_url:
        return RedisHuey("workbench", url=redis_url)
    instance = Path(os.environ.get("WORKBENCH_INSTANCE") or "instance").resolve()
    instance.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("workbench", filename=str(instance / "huey.db"))


huey = _make_huey()


def create_job(db, article_id: int | None, langs: list[str], user: str | None,
               options: dict | None = None) -> int:
    """A queued job row; `options` holds MT settings overrides plus "force" and "batch_size"."""
    stamp = store.now()
    with transaction(db):
        return db["jobs"].insert({"article_id": article_id, "langs": ",".join(langs),
                                  "status": "queued", "created_by": user, "created_at": stamp,
                                  "updated_at": stamp, "options": json.dumps(options or {})}).last_pk


ACTIVE = ("queued", "running")
STALE_MINUTES = 30  # a queued or running job without a word for this long is taken as abandoned


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


def _update(db, job_id: int, **changes) -> None:
    with transaction(db):
        db["jobs"].update(job_id, {**changes, "updated_at": store.now()})


update_job = _update


JOB_NICE = 10  # bulk MT runs behind people's requests (bench/web_latency.py measures it)


def yield_cpu_to_editors() -> None:
    """Lower the CPU priority of this worker thread, and of the MT threads it starts, for good.

    In `workbench serve` the job runs in a thread beside the web server's threads: at equal
    priority MT took the cores from people saving segments. On Linux a thread has its own nice
    value and threads it creates (CTranslate2's workers, loaded on first use) inherit it; elsewhere
    this does nothing rather than lower the whole server.
    """
    if (not sys.platform.startswith("linux") or huey.immediate  # immediate: runs in the caller's thread
            or threading.current_thread() is threading.main_thread()):  # a worker thread, not a caller
        return
    thread = threading.get_native_id()
    current = os.getpriority(os.PRIO_PROCESS, thread)
    if current < JOB_NICE:
        os.setpriority(os.PRIO_PROCESS, thread, JOB_NICE)


# `workbench serve` runs two job threads, so that imports and webhook deliveries never wait behind
# a long MT job; its MT jobs still run one at a time (they share the cores with the editors). A
# `workbench worker` process sets no limit.
_mt_slots: threading.BoundedSemaphore | None = None
MT_WAIT_SECONDS = 5  # an MT job that finds the slot taken is queued again this much later


def limit_mt_jobs(count: int | None) -> None:
    """Run at most `count` MT jobs at once in this process (None: no limit)."""
    global _mt_slots
    _mt_slots = threading.BoundedSemaphore(count) if count else None


@huey.task()
def translate_job(instance_path: str, job_id: int) -> None:
    """Machine-translate what is pending in the job's article, reporting progress as it goes."""
    slots = _mt_slots
    if slots is not None and not slots.acquire(blocking=False):
        _wait_for_mt_slot(instance_path, job_id)
        return
    try:
        _translate(instance_path, job_id)
    finally:
        if slots is not None:
            slots.release()


def _wait_for_mt_slot(instance_path: str, job_id: int) -> None:
    """Queue the job again a little later (a blocked thread would keep the other tasks waiting)."""
    from workbench.data.instance import Instance

    db = Instance(Path(instance_path)).db()
    try:
        if get_job(db, job_id)["status"] not in ACTIVE:
            return
        _update(db, job_id, message="waiting for another MT job to finish")  # queued, and not abandoned
    finally:
        db.close()
    translate_job.schedule((instance_path, job_id), delay=MT_WAIT_SECONDS)


def _translate(instance_path: str, job_id: int) -> None:
    from workbench.services.findings import glossary_chooser
    from workbench.data.instance import Instance
    from workbench.services.machine_translation import engines_for, translate_pending

    yield_cpu_to_editors()
    instance = Instance(Path(instance_path))
    db = instance.db()
    job = get_job(db, job_id)
    if job["status"] not in ACTIVE:  # given up as abandoned before a worker reached it
        db.close()
        return
    options = json.loads(job["options"] or "{}")
    force, batch_size = options.pop("force", False), options.pop("batch_size", None)
    try:
        engines = engines_for(instance.models_dir, job["langs"].split(","), instance.mt_settings(**options),
                              choices=instance.mt_engines())
        progress = {"done": 0}

        def on_progress(count):
            progress["done"] += count
            _update(db, job_id, done=progress["done"])

        _update(db, job_id, status="running", worker=f"{socket.gethostname()}:{os.getpid()}")
        from workbench.queue.distributed import coordinate, redis_url

        # With Redis, stateless MT workers translate and this job only plans and writes.
        translate = coordinate if redis_url() else translate_pending
        run = translate(db, engines, article_ids=[job["article_id"]] if job["article_id"] else None,
                        force=force, batch_size=batch_size,
                        choose=glossary_chooser(db), user=job["created_by"],
                        on_start=lambda total: _update(db, job_id, total=total),
                        on_progress=on_progress)
        summary = ", ".join(f"{r.lang}: {r.translated}" for r in run.results)
        _update(db, job_id, status="done", message=f"Translated segments: {summary}")
    except Exception as err:  # the job row must say what happened; the worker keeps running
        _update(db, job_id, status="failed", message=str(err))
        raise
    finally:
        _job_finished(db, instance_path, job_id)
        db.close()


@huey.task()
def import_job(instance_path: str, job_id: int) -> None:
    """Import an uploaded article too big to segment inside a web request (see imports.py)."""
    from workbench.core.errors import UserError
    from workbench.services.imports import run_import_job
    from workbench.data.instance import Instance

    instance = Instance(Path(instance_path))
    db = instance.db()
    try:
        _update(db, job_id, status="running", worker=f"{socket.gethostname()}:{os.getpid()}")
        article_id, message = run_import_job(instance, db, get_job(db, job_id))
        _update(db, job_id, status="done", article_id=article_id, message=message)
    except UserError as err:  # the file cannot be imported: the job says why, nothing was stored
        _update(db, job_id, status="failed", message=str(err))
    except Exception as err:
        _update(db, job_id, status="failed", message=f"import failed: {err}")
        raise
    finally:
        db.close()


def _job_finished(db, instance_path: str, job_id: int) -> None:
    """The job.finished webhook event."""
    from workbench.services import webhooks

    job = get_job(db, job_id)
    webhooks.emit(db, "job.finished", {"job": job_id, "article": job["article_id"], "status": job["status"],
                                       "langs": job["langs"].split(","), "done": job["done"],
                                       "total": job["total"], "message": job["message"]})
    webhooks.flush(db, instance_path)


@huey.task()
def deliver_webhook(instance_path: str, delivery_id: int) -> None:
    """POST one webhook delivery; on failure, try again later with exponential backoff."""
    from workbench.services import webhooks
    from workbench.data.instance import Instance

    db = Instance(Path(instance_path)).db()
    try:
        delay = webhooks.deliver(db, delivery_id)
    finally:
        db.close()
    if delay is not None:
        deliver_webhook.schedule((instance_path, delivery_id), delay=delay)
