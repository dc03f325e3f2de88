"""Jobs survive a crash: a running job whose worker died is seen at once (heartbeat lease, or its
process gone), resumed (MT) or failed with its reason and job.finished (imports); no button waits."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timedelta, timezone

from workbench.core.segment import segment_text
from workbench.data import api_tokens, jobs, store, webhooks
from workbench.services import recovery


def _article(db, sentences: int = 3) -> int:
    text = "Title\n" + " ".join(f"Officials met in Baku on day {i} to discuss the plans." for i in range(sentences))
    return store.create_article(db, title="t", byline=None, filename=None, fmt="txt", segmentation=segment_text(text))


def _dead_worker() -> str:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"{socket.gethostname()}:{child.pid}"


def _ago(minutes: float) -> str:
    return (datetime.now(timezone.utc) - timedelta(minutes=minutes)).isoformat(timespec="seconds")


class Recorder:
    def __init__(self):
        self.translated, self.delivered = [], []

    def translate(self, instance_path, job_id):
        self.translated.append(job_id)

    def import_article(self, instance_path, job_id):
        pass

    def deliver(self, instance_path, delivery_id, delay=0):
        self.delivered.append(delivery_id)


def test_a_running_job_past_its_lease_is_dead_at_once_not_after_30_minutes(db):
    article = _article(db)
    job, created = jobs.start_article_job(db, article, ["az"], "tina")
    jobs.update_job(db, job["id"], status="running", worker="elsewhere:1")
    assert jobs.start_article_job(db, article, ["az"], "tina") == (jobs.get_job(db, job["id"]), False)  # alive
    db.execute("UPDATE jobs SET updated_at = ? WHERE id = ?", [_ago(3), job["id"]])  # silent for 3 minutes
    db.conn.commit()
    assert jobs.active_job(db, article) is None  # the Translate button waits on nothing
    again, created = jobs.start_article_job(db, article, ["az"], "tina")
    assert created and again["id"] != job["id"]
    old = jobs.get_job(db, job["id"])
    assert old["status"] == "failed" and "heartbeat" in old["message"]


def test_recover_resumes_dead_mt_jobs_and_fails_dead_imports_with_job_finished(instance, db):
    webhooks.add_webhook(db, "https://cms.example.org/hooks", ["job.finished"])
    article = _article(db)
    dead = _dead_worker()
    mt = jobs.create_job(db, article, ["az"], "tina")
    jobs.update_job(db, mt, status="running", worker=dead, done=2, total=4)  # fresh heartbeat, process gone
    imported = jobs.create_job(db, None, [], "tina", {"kind": "import", "name": "big.docx"})
    jobs.update_job(db, imported, status="running", worker="elsewhere:7")
    db.execute("UPDATE jobs SET updated_at = ? WHERE id = ?", [_ago(5), imported])  # lease ran out
    alive = jobs.create_job(db, _article(db), ["az"], "tina")
    jobs.update_job(db, alive, status="running", worker=f"{socket.gethostname()}:{os.getpid()}")
    db.conn.commit()
    queue = Recorder()
    result = recovery.recover(str(instance.path), db, queue)
    assert (result["resumed"], result["failed"]) == ([mt], [imported])
    assert queue.translated == [mt]
    resumed = jobs.get_job(db, mt)
    assert (resumed["status"], resumed["worker"], resumed["resumes"]) == ("queued", None, 1)
    assert "resumed" in resumed["message"] and dead in resumed["message"]
    failed = jobs.get_job(db, imported)
    assert failed["status"] == "failed" and "elsewhere:7 stopped" in failed["message"]
    assert jobs.get_job(db, alive)["status"] == "running"  # its process is this one: alive
    (event,) = [d for d in webhooks.deliveries(db) if d["event"] == "job.finished"]
    payload = json.loads(db.execute("SELECT payload FROM webhook_deliveries WHERE id = ?", [event["id"]]).fetchone()[0])
    assert payload["data"]["job"] == imported and payload["data"]["status"] == "failed"
    assert recovery.recover(str(instance.path), db, Recorder())["resumed"] == []  # once
    # a job that keeps killing its worker is failed, not resumed for ever
    db.execute("UPDATE jobs SET status = 'running', worker = ?, resumes = ? WHERE id = ?",
               [dead, jobs.MAX_RESUMES, mt])
    db.conn.commit()
    assert recovery.recover(str(instance.path), db, Recorder())["failed"] == [mt]
    assert "stopped" in jobs.get_job(db, mt)["message"]


def test_an_mt_job_killed_with_its_server_resumes_when_the_server_starts_again(instance, cli, tiny_packages, start_server):
    cli("models", "install", str(tiny_packages["en_az"]))
    db = instance.db()
    article = _article(db, 400)
    total = len(store.segments(db, article))
    token = api_tokens.add_token(db, "cms", "translator")["token"]
    (instance.path / "config.py").write_text("API_RATE_LIMIT = 100000\n")
    process, url = start_server(instance)
    try:
        request = urllib.request.Request(f"{url}/api/v1/articles/{article}/translate", method="POST",
                                         data=json.dumps({"langs": ["az"]}).encode(),
                                         headers={"Authorization": f"Bearer {token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            job_id = json.loads(response.read())["job"]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and jobs.get_job(db, job_id)["done"] < 16:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    job = jobs.get_job(db, job_id)
    assert job["status"] == "running" and 16 <= job["done"] < total  # left running by the dead server
    done_before = db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    process, url = start_server(instance)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and jobs.get_job(db, job_id)["status"] in jobs.ACTIVE:
            time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=30)
    job = jobs.get_job(db, job_id)
    assert job["status"] == "done" and job["resumes"] == 1, job
    assert db.execute("SELECT COUNT(*) FROM translations WHERE status = 'mt_draft'").fetchone()[0] == total
    assert job["total"] == total - done_before  # it went on with what was pending, not from the start
