"""A real `workbench translate` process stopped mid-run keeps every finished batch and resumes."""

import signal
import subprocess
import sys
import time

import pytest

from workbench.data import store
from workbench.core.segment import segment_text


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_interrupted_translate_loses_nothing_and_resumes(instance, cli, tiny_packages, sig):
    cli("models", "install", str(tiny_packages["en_az"]))
    db = instance.db()
    text = "Title\n" + " ".join(f"Officials met in Baku on day {i} to discuss the plans." for i in range(400))
    store.create_article(db, title="t", byline=None, filename=None, fmt="txt", segmentation=segment_text(text))
    total = len(store.pending_segments(db, "az"))
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench", "translate", "--to", "az", "--batch-size", "8",
         "--hypotheses", "2", "--beam-size", "2", "--json", "--instance", str(instance.path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        done = db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
        if done >= 16:
            break
        time.sleep(0.05)
    process.send_signal(sig)
    process.wait(timeout=30)
    assert process.returncode == (130 if sig == signal.SIGINT else -signal.SIGKILL)
    rows = list(db.query("SELECT t.*, (SELECT COUNT(*) FROM history h WHERE h.translation_id = t.id) AS h "
                         "FROM translations t"))
    assert 0 < len(rows) < total
    assert len(rows) % 8 == 0  # whole batches only
    assert all(r["status"] == "mt_draft" and r["text"] and r["h"] == 1 for r in rows)
    resumed = cli.json("translate", "--to", "az", "--hypotheses", "2", "--beam-size", "2")
    assert resumed["languages"]["az"]["pending"] == total - len(rows)
    assert db.execute("SELECT COUNT(*) FROM translations").fetchone()[0] == total
