"""A production install (no dev group) can use the Redis queue backend."""

import importlib.metadata
import os
import shutil
import subprocess
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parent.parent


def test_redis_client_is_a_runtime_dependency():
    """`uv sync --no-dev` installs what the package requires: redis must be among them."""
    required = {req.split(";")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower()
                for req in importlib.metadata.requires("workbench") or []}
    assert "redis" in required and "huey" in required


@pytest.mark.skipif(shutil.which("uv") is None or shutil.which("redis-server") is None,
                    reason="needs uv and redis-server")
def test_no_dev_install_reaches_a_real_redis(tmp_path, redis_url):
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(tmp_path / "venv")}
    env.pop("VIRTUAL_ENV", None)
    sync = subprocess.run(["uv", "sync", "--locked", "--no-dev", "--quiet"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert sync.returncode == 0, sync.stderr
    python = tmp_path / "venv" / "bin" / "python"
    assert subprocess.run([str(python), "-c", "import pytest"], capture_output=True).returncode != 0  # no dev deps
    probe = ("from workbench.queue.tasks import make_queue; q = make_queue('i'); q.huey.storage.conn.ping(); "
             "print(type(q.huey).__name__)")
    out = subprocess.run([str(python), "-c", probe], cwd=tmp_path,
                         env={**env, "WORKBENCH_REDIS_URL": redis_url, "WORKBENCH_INSTANCE": str(tmp_path / "i")},
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "RedisHuey"
