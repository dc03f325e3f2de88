"""A 2xx means durable: the database commits with synchronous=FULL, and a server killed with
SIGKILL in the middle of a burst of API saves keeps every save it acknowledged."""

from __future__ import annotations

import json
import signal
import threading
import time
import urllib.error
import urllib.request

from workbench.core.segment import segment_text
from workbench.data import api_tokens, store


def test_every_connection_commits_durably(instance):
    db = instance.db()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL: NORMAL (1) may lose commits on power loss


def test_server_killed_mid_burst_keeps_every_acknowledged_save(instance, start_server):
    (instance.path / "config.py").write_text("API_RATE_LIMIT = 100000\n")
    db = instance.db()
    text = "Title\n" + " ".join(f"Officials met in Baku on day {i}." for i in range(400))
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
            request = urllib.request.Request(
                f"{url}/api/v1/articles/{article}/translations/az/segments/{index}", method="PUT",
                data=json.dumps({"target": target, "status": "edited", "base_version": 0}).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    if 200 <= response.status < 300:
                        with lock:
                            acknowledged[index] = target
            except (urllib.error.URLError, OSError):  # the server is gone: nothing acknowledged
                return

    threads = [threading.Thread(target=saver, args=(first,)) for first in range(1, 5)]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        stop.set()
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        if process.poll() is None:
            process.kill()
    assert 40 <= len(acknowledged) < total  # killed mid-burst
    db = instance.db()
    saved = {row["idx"] + 1: row["text"] for row in db.query(
        "SELECT s.idx, t.text FROM translations t JOIN segments s ON s.id = t.segment_id "
        "WHERE s.article_id = ? AND t.lang = 'az' AND t.status = 'edited'", [article])}
    assert {index: saved.get(index) for index in acknowledged} == acknowledged
