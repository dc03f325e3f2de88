"""After a crash: what a dead process left half-done is resumed or failed, never left waiting.

`serve` and `worker` run `recover` when they start and every minute (queue/tasks.py). A running MT
job whose worker is dead (its heartbeat is past the lease, or its process on this host is gone) goes
back to the queue: MT translates only what is still pending, so it resumes where it stopped. An
import job, a job resumed MAX_RESUMES times already, and a CLI coordinator whose process is gone are
marked failed with the reason, and job.finished is sent. Webhook deliveries past their lease are
handed out again (services/events.py).
"""

from __future__ import annotations

import sqlite_utils

from workbench.core.processes import is_gone
from workbench.data import jobs
from workbench.services import events, runtime
from workbench.services.machine_translation import job_finished


def recover_jobs(instance_path: str, db: sqlite_utils.Database, queue: runtime.Queue) -> dict:
    """Resume or fail every running job whose worker died; {"resumed": [...], "failed": [...]}."""
    resumed, failed = [], []
    for job in jobs.dead_jobs(db, gone=is_gone):
        worker = job["worker"] or "an unknown worker"
        queue_run = bool(job["worker"]) and " " not in job["worker"]  # not a CLI coordinator
        if not queue_run and not is_gone(job["worker"]):
            continue  # a coordinator that is silent, not known dead: its own process ends it
        why = f"its worker {worker} stopped"
        if queue_run and not jobs.is_import(job) and job["resumes"] < jobs.MAX_RESUMES:
            if jobs.resume(db, job, f"resumed: {why} ({job['done']} of {job['total']} done then)"):
                queue.translate(instance_path, job["id"])
                resumed.append(job["id"])
            continue
        reason = (f"failed: {why}; upload the file again" if jobs.is_import(job)
                  else f"failed: {why}" + (f" {job['resumes'] + 1} times" if job["resumes"] else "")
                  + "; start it again to translate what is still pending")
        if jobs.fail_dead(db, job, reason):
            job_finished(db, job["id"])
            failed.append(job["id"])
    return {"resumed": resumed, "failed": failed}


def recover(instance_path: str, db: sqlite_utils.Database, queue: runtime.Queue) -> dict:
    """Jobs and webhook deliveries a dead process held, resumed, failed or handed out again."""
    return {**recover_jobs(instance_path, db, queue), "deliveries": events.requeue_lost(db, queue)}
