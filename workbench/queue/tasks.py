"""Background jobs through huey: SQLite storage in the instance folder, or Redis when
WORKBENCH_REDIS_URL is set (so `workbench worker` processes on several machines share the work).

A job's progress lives in the `jobs` table (data/jobs.py), which the dashboard polls; huey only
carries the work. Tasks take the instance path, so one queue can serve the instance it was made
for. The queue is made by `make_queue` — in the app factory, the `workbench` command or a worker —
never on import; it is what services/runtime.py calls a Queue.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab

from workbench.core.errors import UserError
from workbench.data import jobs
from workbench.data.instance import Instance
from workbench.queue import delivery, distributed, mail
from workbench.core.processes import this_worker
from workbench.services import events, imports, machine_translation, recovery
from workbench.services.findings import glossary_chooser

JOB_NICE = 10  # bulk MT runs behind people's requests (bench/web_latency.py measures it)
MT_WAIT_SECONDS = 5  # an MT job that finds the slot taken is queued again this much later


def make_queue(instance_path: Path | str, *, immediate: bool = False) -> JobQueue:
    """The instance's job queue: Redis when WORKBENCH_REDIS_URL is set, else SQLite in the
    instance folder (`huey.db`); `immediate` runs every task at once in the caller's thread, in
    memory (tests)."""
    redis_url = os.environ.get("WORKBENCH_REDIS_URL")
    if immediate:
        huey: Huey = MemoryHuey("workbench", immediate=True)
    elif redis_url:
        huey = RedisHuey("workbench", url=redis_url)
    else:
        folder = Path(instance_path).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey("workbench", filename=str(folder / "huey.db"))
    return JobQueue(huey, instance_path)


class JobQueue:
    """The huey queue with the workbench's three tasks: MT jobs, big imports, webhook deliveries."""

    def __init__(self, huey: Huey, instance_path: Path | str | None = None):
        self.huey = huey
        self.instance_path = str(Path(instance_path).resolve()) if instance_path is not None else None
        # `workbench serve` runs two job threads, so that imports and webhook deliveries never wait
        # behind a long MT job; its MT jobs still run one at a time (they share the cores with the
        # editors). A `workbench worker` process sets no limit.
        self.mt_slots: threading.BoundedSemaphore | None = None
        self.translate_task = huey.task(name="translate_job")(self._translate_job)
        self.import_task = huey.task(name="import_job")(self._import_job)
        self.deliver_task = huey.task(name="deliver_webhook")(self._deliver_webhook)
        self.email_task = huey.task(name="send_email")(self._send_email)
        # Every minute, in a consumer started with periodic tasks (`serve`, `worker`): hand out
        # again what a dead process held (webhook deliveries past their lease, running jobs
        # whose worker died: services/recovery.py).
        self.recover_task = huey.periodic_task(crontab(), name="recover")(self._recover_periodically)

    # --- services/runtime.Queue ---------------------------------------------------------------

    def translate(self, instance_path: str, job_id: int) -> None:
        self.translate_task(str(instance_path), job_id)

    def import_article(self, instance_path: str, job_id: int) -> None:
        self.import_task(str(instance_path), job_id)

    def deliver(self, instance_path: str, delivery_id: int, delay: float = 0) -> None:
        if delay > 0:
            self.deliver_task.schedule((str(instance_path), delivery_id), delay=delay)
        else:
            self.deliver_task(str(instance_path), delivery_id)

    def email(self, instance_path: str, notification_id: int) -> None:
        self.email_task(str(instance_path), notification_id)

    def pending(self) -> int:
        """Tasks waiting in the queue's storage; raises when the storage (huey.db, Redis) cannot be
        reached (the health check, services/health.py)."""
        return int(self.huey.pending_count())

    # --- running ------------------------------------------------------------------------------

    def limit_mt_jobs(self, count: int | None) -> None:
        """Run at most `count` MT jobs at once in this process (None: no limit)."""
        self.mt_slots = threading.BoundedSemaphore(count) if count else None

    def consumer(self, workers: int):
        return self.huey.create_consumer(workers=workers, worker_type="thread",
                                         periodic=self.instance_path is not None)

    def recover(self, instance_path: str | None = None) -> dict:
        """What a dead process left behind, handed out again: webhook deliveries whose lease ran out
        (or that were never queued), and running jobs whose worker died (services/recovery.py).
        Run by `serve` and `worker` when they start, and every minute."""
        instance_path = instance_path or self.instance_path
        if instance_path is None:
            return {}
        db = Instance(Path(instance_path)).db()
        try:
            return recovery.recover(instance_path, db, self)
        finally:
            db.close()

    def _recover_periodically(self) -> None:
        self.recover()

    def yield_cpu_to_editors(self) -> None:
        """Lower the CPU priority of this worker thread, and of the MT threads it starts, for good.

        In `workbench serve` the job runs in a thread beside the web server's threads: at equal
        priority MT took the cores from people saving segments. On Linux a thread has its own nice
        value and threads it creates (CTranslate2's workers, loaded on first use) inherit it;
        elsewhere this does nothing rather than lower the whole server.
        """
        if (not sys.platform.startswith("linux") or self.huey.immediate  # immediate: the caller's thread
                or threading.current_thread() is threading.main_thread()):  # a worker thread, not a caller
            return
        thread = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, thread)
        if current < JOB_NICE:
            os.setpriority(os.PRIO_PROCESS, thread, JOB_NICE)

    # --- the tasks ----------------------------------------------------------------------------

    def _translate_job(self, instance_path: str, job_id: int) -> None:
        """Machine-translate what is pending in the job's article, reporting progress as it goes."""
        slots = self.mt_slots
        if slots is not None and not slots.acquire(blocking=False):
            self._wait_for_mt_slot(instance_path, job_id)
            return
        try:
            self._translate(instance_path, job_id)
        finally:
            if slots is not None:
                slots.release()

    def _wait_for_mt_slot(self, instance_path: str, job_id: int) -> None:
        """Queue the job again a little later (a blocked thread would keep the other tasks waiting)."""
        db = Instance(Path(instance_path)).db()
        try:
            if jobs.get_job(db, job_id)["status"] not in jobs.ACTIVE:
                return
            jobs.update_job(db, job_id, message="waiting for another MT job to finish")  # queued, not abandoned
        finally:
            db.close()
        self.translate_task.schedule((instance_path, job_id), delay=MT_WAIT_SECONDS)

    def _translate(self, instance_path: str, job_id: int) -> None:
        self.yield_cpu_to_editors()
        instance = Instance(Path(instance_path))
        db = instance.db()
        try:
            # With Redis, stateless MT workers translate and this job only plans and writes.
            translate = distributed.coordinate if distributed.redis_url() else machine_translation.translate_pending
            with jobs.keep_alive(db, [job_id]):
                machine_translation.run_job(instance, db, job_id, translate=translate, worker=this_worker(),
                                            choose=glossary_chooser(db))
        finally:
            db.close()

    def _import_job(self, instance_path: str, job_id: int) -> None:
        """Import an uploaded article too big to segment inside a web request (services/imports.py)."""
        instance = Instance(Path(instance_path))
        db = instance.db()
        try:
            jobs.update_job(db, job_id, status="running", worker=this_worker())
            with jobs.keep_alive(db, [job_id]):
                article_id, message = imports.run_import_job(instance, db, jobs.get_job(db, job_id))
            jobs.update_job(db, job_id, status="done", article_id=article_id, message=message)
        except UserError as err:  # the file cannot be imported: the job says why, nothing was stored
            jobs.update_job(db, job_id, status="failed", message=str(err))
        except Exception as err:
            jobs.update_job(db, job_id, status="failed", message=f"import failed: {err}")
            raise
        finally:
            events.send_pending(db)
            db.close()

    def _send_email(self, instance_path: str, notification_id: int) -> None:
        """E-mail one notification (queue/mail.py)."""
        instance = Instance(Path(instance_path))
        db = instance.db()
        try:
            mail.send(db, instance.mail_settings(), notification_id)
        finally:
            db.close()

    def _deliver_webhook(self, instance_path: str, delivery_id: int) -> None:
        """POST one webhook delivery; on failure, try again later with exponential backoff."""
        db = Instance(Path(instance_path)).db()
        try:
            delay = delivery.deliver(db, delivery_id)
        finally:
            db.close()
        if delay is not None:
            self.deliver_task.schedule((instance_path, delivery_id), delay=delay)
