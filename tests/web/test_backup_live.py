"""`workbench backup` while the server answers a burst of API saves and an MT job writes; then
`workbench restore` into an empty folder keeps every save answered before the backup started."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from workbench.core.mt import packages
from workbench.core.segment import segment_text
from workbench.data import api_tokens, store


def _request(url: str, token: str, method: str, body: dict) -> int:
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.status


def _workbench(*args: str, instance) -> subprocess.CompletedProcess:
    env = {**os.environ, "WORKBENCH_INSTANCE": str(instance)}
    return subprocess.run([sys.executable, "-m", "workbench", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_backup_during_saves_and_an_mt_job_restores_every_answered_save(instance, tmp_path, tiny_packages, start_server):
    (instance.path / "config.py").write_text("API_RATE_LIMIT = 100000\n")
    packages.install(tiny_packages["en_tr"], instance.models_dir)
    db = instance.db()
    text = "Title\n" + " ".join(f"Officials met in Baku on day {i}." for i in range(300))
    article = store.create_article(db, title="t", byline=None, filename=None, fmt="txt",
                                   segmentation=segment_text(text))
    total = len(store.segments(db, article))
    token = api_tokens.add_token(db, "cms", "translator")["token"]
    db.close()
    process, url = start_server(instance)
    acknowledged: dict[int, str] = {}
    lock, stop = threading.Lock(), threading.Event()

    def saver(first: int):
        for index in range(first, total + 1, 4):
            if stop.is_set():
                return
            target = f"Cümlə {index}."
            try:
                status = _request(f"{url}/api/v1/articles/{article}/translations/az/segments/{index}", token,
                                  "PUT", {"target": target, "status": "edited", "base_target": ""})
            except (urllib.error.URLError, OSError):
                continue
            if 200 <= status < 300:
                with lock:
                    acknowledged[index] = target

    threads = [threading.Thread(target=saver, args=(first,)) for first in range(1, 5)]
    backup_file = tmp_path / "backup.tar.gz"
    try:
        assert _request(f"{url}/api/v1/articles/{article}/translate", token, "POST", {"langs": ["tr"]}) == 202
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 30 and time.monotonic() < deadline:
            time.sleep(0.01)
        with lock:
            answered_before = dict(acknowledged)
        made = _workbench("backup", str(backup_file), "--instance", str(instance.path), instance=instance.path)
        with lock:
            answered_after = len(acknowledged)
        assert made.returncode == 0, made.stderr
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        process.terminate()
        process.wait(timeout=20)
    assert 30 <= len(answered_before) < total and answered_after > len(answered_before)  # saves went on
    live = sqlite3.connect(instance.db_path)
    mt_rows = live.execute("SELECT COUNT(*) FROM translations WHERE lang = 'tr'").fetchone()[0]
    assert mt_rows > 0  # the MT job wrote

    restored = tmp_path / "restored"
    done = _workbench("restore", str(backup_file), "--instance", str(restored), instance=restored)
    assert done.returncode == 0, done.stderr
    copy = sqlite3.connect(restored / "workbench.db")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    saved = dict(copy.execute(
        "SELECT s.idx + 1, t.text FROM translations t JOIN segments s ON s.id = t.segment_id "
        "WHERE s.article_id = ? AND t.lang = 'az' AND t.status = 'edited'", [article]).fetchall())
    assert {index: saved.get(index) for index in answered_before} == answered_before
    again = _workbench("restore", str(backup_file), "--instance", str(restored), instance=restored)
    assert again.returncode == 1 and "already has a database" in again.stderr
