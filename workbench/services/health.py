"""Is this instance fit to work? One set of checks for `GET /healthz` and `workbench status`.

Each check answers ok or not, with a short detail that names no server path (the health page
needs no login):

* database: the database takes a write (the write lock and a header write, rolled back);
* queue: the job queue's storage answers (huey.db in the instance folder, or Redis);
* models: every installed MT model's files are there and its metadata reads;
* disk: the instance folder's disk has at least `[health] min_free_mb` free (default 500).
"""

from __future__ import annotations

import shutil
import sqlite3

import sqlite_utils

from workbench.core.mt import families, packages
from workbench.data import health as store_health
from workbench.data.instance import Instance
from workbench.services import runtime

CHECKS = ("database", "queue", "models", "disk")


def _check(ok: bool, detail: str) -> dict:
    return {"ok": ok, "detail": detail}


def database(db: sqlite_utils.Database) -> dict:
    try:
        store_health.probe_write(db)
    except (sqlite3.Error, RuntimeError) as err:
        return _check(False, f"not writable: {err}")
    return _check(True, "writable")


def queue() -> dict:
    job_queue = runtime.queue()
    pending = getattr(job_queue, "pending", None)
    if pending is None:
        return _check(False, "no job queue is configured for this process")
    try:
        count = pending()
    except Exception as err:  # noqa: BLE001 - whatever huey's storage raises, the queue is unreachable
        return _check(False, f"unreachable: {type(err).__name__}")
    return _check(True, f"reachable, {count} task(s) waiting")


def models(instance: Instance) -> dict:
    try:
        found = [(p.path.name, p.path / "model") for p in packages.installed(instance.models_dir)]
        found += [(m.path.name, m.path) for m in families.installed(instance.models_dir)]
    except (OSError, ValueError, KeyError, packages.PackageError) as err:
        return _check(False, f"a model's metadata cannot be read ({type(err).__name__})")
    broken = [name for name, folder in found if not (folder / "model.bin").is_file()]
    if broken:
        return _check(False, f"model files missing: {', '.join(broken)}")
    return _check(True, f"{len(found)} model(s) installed" if found else
                  "no model installed (machine translation is off)")


def disk(instance: Instance) -> dict:
    try:
        threshold = instance.min_free_mb()
    except Exception as err:  # noqa: BLE001 - a broken settings file is reported, not raised
        return _check(False, str(err).replace(str(instance.path), "instance"))
    free_mb = shutil.disk_usage(instance.path).free // (1024 * 1024)
    return _check(free_mb >= threshold, f"{free_mb} MB free, at least {threshold} MB wanted")


def check(instance: Instance, db: sqlite_utils.Database, *, with_jobs: bool = False) -> dict:
    """{"ok", "failed": [names], "checks": {name: {"ok", "detail"}}} and, `with_jobs`, "jobs":
    {"queued", "running"} from the jobs table and "hygiene_repairs": {table: rows} the text-hygiene
    migration repaired."""
    checks = {"database": database(db), "queue": queue(), "models": models(instance), "disk": disk(instance)}
    failed = [name for name in CHECKS if not checks[name]["ok"]]
    report = {"ok": not failed, "failed": failed, "checks": checks}
    if with_jobs:
        try:
            report["jobs"] = store_health.job_counts(db)
        except sqlite3.Error:
            report["jobs"] = None
        try:  # rows an older version stored with characters no text may hold, repaired on upgrade
            report["hygiene_repairs"] = store_health.hygiene_repairs(db)
        except sqlite3.Error:
            report["hygiene_repairs"] = None
    return report
