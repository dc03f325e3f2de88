"""The app factory, the Flask CLI entry point and the job queue's backends."""

import os
import subprocess
import sys

from workbench.app import create_app


def test_factory_uses_the_given_instance_folder(tmp_path):
    app = create_app({"TESTING": True}, instance_path=tmp_path / "inst")
    assert app.instance_path == str((tmp_path / "inst").resolve())
    assert (tmp_path / "inst" / "workbench.db").exists() and (tmp_path / "inst" / "secret_key").exists()
    assert app.config["SECRET_KEY"] == (tmp_path / "inst" / "secret_key").read_text().strip()


def test_flask_cli_reaches_the_workbench_commands(tmp_path):
    env = {**os.environ, "WORKBENCH_INSTANCE": str(tmp_path / "inst")}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "workbench.app", "models", "list", "--json"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '{"models": []}'


def test_queue_is_sqlite_in_the_instance_or_redis_when_configured(tmp_path):
    code = ("import os; from workbench.queue.tasks import make_queue; h = make_queue(os.environ['WORKBENCH_INSTANCE']).huey; "
            "print(type(h).__name__, getattr(h.storage, 'filename', None) or h.storage.conn.connection_pool.connection_kwargs.get('host'))")
    sqlite = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "WORKBENCH_INSTANCE": str(tmp_path / "inst")})
    assert sqlite.stdout.split() == ["SqliteHuey", str(tmp_path / "inst" / "huey.db")], sqlite.stderr
    env = {**os.environ, "WORKBENCH_REDIS_URL": "redis://queue.example:6379/0"}
    redis = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert redis.stdout.split() == ["RedisHuey", "queue.example"], redis.stderr
