"""`workbench serve`'s job threads: an import or a webhook never waits behind a long MT job, and
MT jobs still run one at a time. A real huey consumer (two worker threads) on the test queue."""

from __future__ import annotations

import signal
import threading
import time
from types import SimpleNamespace

import pytest

from workbench import console
from workbench.data import jobs as job_rows
from workbench.queue import delivery
from workbench.services import machine_translation as jobs
from workbench.data import store
from workbench.queue import tasks
from workbench.core.segment import segment_text


@pytest.fixture
def consumer(job_queue, monkeypatch):
    """Two worker threads with at most one MT job, as run_server sets them up."""
    monkeypatch.setattr(tasks, "MT_WAIT_SECONDS", 0.2)
    job_queue.limit_mt_jobs(1)
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    running = job_queue.huey.create_consumer(workers=2, worker_type="thread", periodic=False,
                                             check_worker_health=False, initial_delay=0.05, max_delay=0.1)
    running.start()
    yield job_queue
    running.stop(graceful=False)
    job_queue.limit_mt_jobs(None)
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def _until(predicate, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_a_webhook_is_delivered_while_an_mt_job_runs_and_a_second_mt_job_waits(instance, consumer, monkeypatch):
    release, translating = threading.Event(), []

    def slow_translate(db, engines, article_ids=None, **kwargs):
        translating.append(article_ids[0])
        assert release.wait(30)
        return SimpleNamespace(results=[])

    monkeypatch.setattr(jobs, "engines_for", lambda *args, **kwargs: {})
    monkeypatch.setattr(jobs, "translate_pending", slow_translate)
    delivered = []
    monkeypatch.setattr(delivery, "deliver", lambda db, delivery_id: delivered.append(delivery_id))
    monkeypatch.setattr(jobs, "job_finished", lambda db, job_id: None)  # job.finished: not this test's
    db = instance.db()
    first, second = (store.create_article(db, title=t, byline=None, filename=None, fmt="txt",
                                          segmentation=segment_text(f"{t} talks.\n")) for t in ("One", "Two"))
    job_one, job_two = (job_rows.create_job(db, article, ["az"], user="ana") for article in (first, second))
    consumer.translate(str(instance.path), job_one)
    assert _until(lambda: translating == [first])
    consumer.translate(str(instance.path), job_two)
    consumer.deliver(str(instance.path), 42)
    assert _until(lambda: delivered == [42])  # the second thread is free for other work
    assert _until(lambda: "waiting for another MT job" in (job_rows.get_job(db, job_two)["message"] or ""))
    time.sleep(1.5)  # huey's scheduler looks every second: the job has met the taken slot again
    assert translating == [first] and job_rows.get_job(db, job_two)["status"] == "queued"
    release.set()
    assert _until(lambda: job_rows.get_job(db, job_two)["status"] == "done")
    assert translating == [first, second] and job_rows.get_job(db, job_one)["status"] == "done"
    db.close()


def test_without_a_limit_the_job_runs_at_once(instance, job_queue, monkeypatch):
    job_queue.limit_mt_jobs(None)
    ran = []
    monkeypatch.setattr(job_queue, "_translate", lambda path, job_id: ran.append(job_id))
    job_queue.translate_task.call_local(str(instance.path), 7)
    assert ran == [7]


def test_serve_runs_two_job_threads_and_one_mt_job_at_a_time(instance, monkeypatch):
    made = {}

    class Consumer:
        def start(self):
            made["started"] = True

        def stop(self, graceful):
            made["stopped"] = graceful

    queues = []
    real_make_queue = console.make_queue
    monkeypatch.setattr(console, "make_queue", lambda path: queues.append(real_make_queue(path)) or queues[-1])
    monkeypatch.setattr(tasks.JobQueue, "consumer", lambda self, workers: made.update(workers=workers) or Consumer())
    monkeypatch.setattr(console.waitress, "serve",
                        lambda app, **kwargs: made.update(limit=queues[0].mt_slots, serve=kwargs))
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        console.run_server(instance, "127.0.0.1", 0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        limit = made.get("limit")
    assert made["workers"] == 2 and made["started"] and made["stopped"] is True
    # Idle sockets neither fill the connection table nor stay long (110 of them shut people out).
    assert made["serve"]["connection_limit"] >= 1000 and made["serve"]["channel_timeout"] <= 30
    assert limit is not None and limit.acquire(blocking=False) and not limit.acquire(blocking=False)
