"""A bulk job shared by several `workbench worker` processes through a real Redis server."""

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from workbench import store
from workbench.segment import segment_text

from .conftest import free_port

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed")



@pytest.fixture
def redis_url(tmp_path):
    port = free_port()
    server = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def test_two_workers_share_a_queued_bulk_translation(instance, cli, tiny_packages, redis_url):
    cli("models", "install", str(tiny_packages["en_az"]))
    db = instance.db()
    for i in range(8):
        text = f"Article {i}\n" + " ".join(f"Officials met in Baku on day {i}{j} to talk." for j in range(30))
        store.create_article(db, title=f"a{i}", byline=None, filename=None, fmt="txt",
                             segmentation=segment_text(text))
    env = {**os.environ, "WORKBENCH_REDIS_URL": redis_url, "WORKBENCH_INSTANCE": str(instance.path)}
    queued = subprocess.run([sys.executable, "-m", "workbench.cli", "translate", "--to", "az", "--queue", "--json",
                             "--beam-size", "2", "--hypotheses", "2"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert queued.returncode == 0, queued.stderr
    workers = [subprocess.Popen([sys.executable, "-m", "workbench.cli", "worker"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            statuses = [row[0] for row in db.execute("SELECT status FROM jobs")]
            if statuses and all(s in ("done", "failed") for s in statuses):
                break
            time.sleep(0.2)
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
    jobs = list(db.query("SELECT * FROM jobs"))
    assert len(jobs) == 8 and {j["status"] for j in jobs} == {"done"}, jobs
    assert len({j["worker"] for j in jobs}) == 2  # both workers took part
    assert db.execute("SELECT COUNT(*) FROM translations WHERE lang = 'az'").fetchone()[0] == 8 * 31
    # The workers used the options given to `translate --queue`: two alternatives at most.
    widest = db.execute("SELECT MAX(json_array_length(alternatives)) FROM translations").fetchone()[0]
    assert widest <= 2
