"""A bulk job shared by several `workbench worker` processes through a real Redis server."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from workbench.data import jobs, store
from workbench.queue.tasks import make_queue
from workbench.core.segment import segment_text


REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed")



def _articles(db, count=6, sentences=30):
    for i in range(count):
        text = f"Article {i}\n" + " ".join(f"Officials met in Baku on day {i}{j} to talk about the plans "
                                           f"for the region and the army." for j in range(sentences))
        store.create_article(db, title=f"a{i}", byline=None, filename=None, fmt="txt",
                             segmentation=segment_text(text))
    return db.execute("SELECT COUNT(*) FROM segments").fetchone()[0]


def _worker(tmp_path, name, models, redis_url):
    """A stateless worker in an empty folder holding only a copy of the models."""
    home = tmp_path / name
    home.mkdir()
    shutil.copytree(models, home / "models", ignore=shutil.ignore_patterns(".*"))
    env = {k: v for k, v in os.environ.items() if k != "WORKBENCH_INSTANCE"}
    env["WORKBENCH_REDIS_URL"] = redis_url
    process = subprocess.Popen([sys.executable, "-m", "workbench", "worker", "--models", "models"],
                               cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return home, process


def _coordinator(instance, redis_url, *extra):
    env = {**os.environ, "WORKBENCH_REDIS_URL": redis_url, "WORKBENCH_INSTANCE": str(instance.path)}
    return subprocess.Popen([sys.executable, "-m", "workbench", "translate", "--to", "az", "--queue", "--json",
                             "--beam-size", "2", "--hypotheses", "2", *extra],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _translated_once(db, total):
    rows = list(db.query("SELECT t.status, (SELECT COUNT(*) FROM history h WHERE h.translation_id = t.id) AS h "
                         "FROM translations t WHERE t.lang = 'az'"))
    assert len(rows) == total
    assert all(r["status"] == "mt_draft" and r["h"] == 1 for r in rows)  # each written exactly once
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _stop(*processes):
    for process in processes:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def _written(db):
    return db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]


def test_stateless_workers_and_a_coordinator_restarted_mid_job(instance, cli, tiny_packages, redis_url, tmp_path):
    cli("models", "install", str(tiny_packages["en_az"]))
    db = instance.db()
    total = _articles(db)
    homes = [_worker(tmp_path, f"w{i}", instance.models_dir, redis_url) for i in range(2)]
    try:
        first = _coordinator(instance, redis_url, "--batch-size", "8")
        deadline = time.time() + 120
        while _written(db) < 16 and time.time() < deadline and first.poll() is None:
            time.sleep(0.02)
        first.kill()  # the coordinator dies mid-job ...
        first.wait(timeout=30)
        before = _written(db)
        assert 0 < before < total
        job = db.execute("SELECT status, worker FROM jobs").fetchone()
        assert job[0] == "running" and job[1].startswith("coordinator")
        second = _coordinator(instance, redis_url, "--batch-size", "8")  # ... and is started again
        out, err = second.communicate(timeout=180)
        assert second.returncode == 0, err
        summary = json.loads(out)
        assert summary["languages"]["az"]["pending"] == total - before  # resumed from what was written
        assert summary["languages"]["az"]["translated"] == total - before
        _translated_once(db, total)
        assert db.execute("SELECT status FROM jobs ORDER BY id DESC").fetchone()[0] == "done"
    finally:
        _stop(*[process for _, process in homes])
    for home, _ in homes:  # the workers had no instance folder and made no database
        assert sorted(p.name for p in home.iterdir()) == ["models"]
        assert not list(home.rglob("*.db"))


def test_a_worker_killed_mid_chunk_has_its_chunk_queued_again(instance, cli, tiny_packages, redis_url, tmp_path):
    import redis

    cli("models", "install", str(tiny_packages["en_az"]))
    db = instance.db()
    total = _articles(db, count=4, sentences=40)
    conn = redis.Redis.from_url(redis_url)
    _, doomed = _worker(tmp_path, "doomed", instance.models_dir, redis_url)
    coordinator = _coordinator(instance, redis_url, "--batch-size", "64")
    survivor = None
    try:
        deadline = time.time() + 120
        while not conn.keys("wb:alive:*") and time.time() < deadline:
            time.sleep(0.005)
        doomed.send_signal(signal.SIGKILL)  # killed while it holds a chunk
        doomed.wait(timeout=30)
        lost = {key.decode().split(":")[-1] for key in conn.keys("wb:started:*")}
        _, survivor = _worker(tmp_path, "survivor", instance.models_dir, redis_url)
        out, err = coordinator.communicate(timeout=240)
        assert coordinator.returncode == 0, err
        _translated_once(db, total)
        started = {key.decode().split(":")[-1] for key in conn.keys("wb:started:*")}
        chunks = -(-total // 64)
        assert lost and len(started) > chunks  # a chunk was sent again after its worker died
    finally:
        _stop(coordinator, doomed, *([survivor] if survivor else []))


def test_a_worker_with_a_different_model_refuses_and_the_job_says_why(instance, cli, tiny_packages, redis_url,
                                                                      tmp_path):
    from workbench.core.mt.synthetic import build_argos_package

    cli("models", "install", str(tiny_packages["en_az"]))
    db = instance.db()
    _articles(db, count=1, sentences=5)
    other = tmp_path / "other"
    from workbench.core.mt import packages
    packages.install(build_argos_package(tmp_path / "o.argosmodel", "en", "az", seed=42), other / "models")
    _, worker = _worker(tmp_path, "w", other / "models", redis_url)
    try:
        coordinator = _coordinator(instance, redis_url)
        out, err = coordinator.communicate(timeout=120)
    finally:
        _stop(worker)
    assert coordinator.returncode == 1
    assert "different translate-en_az-1_0" in err and "checksum" in err and "Traceback" not in err
    status, message = db.execute("SELECT status, message FROM jobs").fetchone()
    assert status == "failed" and "checksum" in message
    assert _written(db) == 0


def test_a_dashboard_job_is_coordinated_through_the_workers(instance, cli, tiny_packages, redis_url, tmp_path,
                                                           monkeypatch):
    """`workbench serve` runs dashboard jobs; with Redis set they only plan and write."""
    cli("models", "install", str(tiny_packages["en_az"]))
    db = instance.db()
    total = _articles(db, count=1, sentences=10)
    job_id = jobs.create_job(db, 1, ["az"], user="ana", options={"beam_size": 2, "num_hypotheses": 2})
    _, worker = _worker(tmp_path, "w", instance.models_dir, redis_url)
    monkeypatch.setenv("WORKBENCH_REDIS_URL", redis_url)
    try:
        make_queue(instance.path, immediate=True).translate_task.call_local(str(instance.path), job_id)
    finally:
        _stop(worker)
    job = jobs.get_job(db, job_id)
    assert job["status"] == "done" and job["done"] == total
    _translated_once(db, total)
    # The drafts are credited to the job (Actor.job), which conflicts and the history name.
    assert {r["updated_by"] for r in db.query("SELECT updated_by FROM translations")} == {f"MT job {job_id}"}


def test_a_coordinator_without_workers_says_so(instance, cli, tiny_packages, redis_url):
    from workbench.queue import distributed
    from workbench.services.machine_translation import engines_for
    from workbench.core.mt.engine import MTSettings

    cli("models", "install", str(tiny_packages["en_az"]))
    db = instance.db()
    _articles(db, count=1, sentences=2)
    engines = engines_for(instance.models_dir, ["az"], MTSettings())
    heard = []

    def on_idle(message):
        heard.append(message)
        raise KeyboardInterrupt  # a person who reads it and presses Ctrl+C

    run = distributed.coordinate(db, engines, url=redis_url, on_idle=on_idle, idle_after=0.5)
    assert run.interrupted and "no MT worker has taken a chunk" in heard[0] and "--models" in heard[0]
    assert _written(db) == 0
