"""Bulk MT jobs run behind people's requests: the worker thread lowers its own CPU priority."""

import os
import sys
import threading

import pytest

from workbench.data import jobs
from workbench.queue import tasks

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")


def _in_thread(func):
    seen = {}

    def run():
        func()
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return seen["nice"]


def test_a_worker_thread_lowers_its_priority_and_no_other_thread(job_queue):
    main_before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert _in_thread(job_queue.yield_cpu_to_editors) == max(tasks.JOB_NICE, main_before)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == main_before
    assert _in_thread(lambda: None) == main_before  # new threads of the process keep theirs
    job_queue.yield_cpu_to_editors()  # the main thread is a caller (CLI, tests), never lowered
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == main_before


def test_translate_job_yields_before_any_work(instance, job_queue, monkeypatch):
    calls = []
    monkeypatch.setattr(job_queue, "yield_cpu_to_editors", lambda: calls.append("nice"))
    db = instance.db()
    job_id = jobs.create_job(db, None, ["az"], user="ana")
    with pytest.raises(Exception):
        job_queue.translate_task.call_local(str(instance.path), job_id)  # no model installed: fails
    assert calls == ["nice"] and jobs.get_job(db, job_id)["status"] == "failed"
