"""`workbench status` and the checks behind `GET /healthz` (services/health.py)."""

from __future__ import annotations

import json

from workbench.core.mt import packages
from workbench.data import jobs
from workbench.queue.tasks import make_queue
from workbench.services import health, runtime


def test_status_json_reports_every_check_and_the_jobs(cli, instance, db):
    jobs.create_job(db, None, ["az"], "tina")
    report = cli.json("status")
    assert report["ok"] is True and report["failed"] == []
    assert set(report["checks"]) == {"database", "queue", "models", "disk"}
    assert all(check["ok"] for check in report["checks"].values())
    assert report["jobs"] == {"queued": 1, "running": 0}
    assert str(instance.path) not in json.dumps(report)  # no server path in the report


def test_status_fails_below_the_free_disk_threshold(cli, instance):
    (instance.path / "workbench.toml").write_text("[health]\nmin_free_mb = 999999999999\n")
    result = cli("status", "--json", ok=False)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["failed"] == ["disk"]
    assert "at least 999999999999 MB" in report["checks"]["disk"]["detail"]
    (instance.path / "workbench.toml").write_text('[health]\nmin_free_mb = "lots"\n')
    assert "min_free_mb is a whole number" in cli("status", ok=False).output


def test_unreachable_queue_and_broken_model_fail(instance, db, tiny_packages, monkeypatch):
    monkeypatch.setenv("WORKBENCH_REDIS_URL", "redis://127.0.0.1:9/0")  # nothing listens on port 9
    runtime.use(make_queue(instance.path))
    installed = packages.install(tiny_packages["en_az"], instance.models_dir)
    assert health.check(instance, db)["checks"]["models"]["ok"]
    (installed.path / "model" / "model.bin").unlink()
    report = health.check(instance, db)
    assert report["failed"] == ["queue", "models"]
    assert report["checks"]["queue"]["detail"].startswith("unreachable")
    assert installed.path.name in report["checks"]["models"]["detail"]


def test_database_check_does_not_change_the_database(instance, db):
    before = db.execute("PRAGMA user_version").fetchone()[0], db.execute("PRAGMA data_version").fetchone()[0]
    assert health.database(db) == {"ok": True, "detail": "writable"}
    after = db.execute("PRAGMA user_version").fetchone()[0], db.execute("PRAGMA data_version").fetchone()[0]
    assert before == after
