"""Backing up an instance while it serves, and restoring it into an empty instance folder.

A backup is one .tar.gz:

* `workbench.db`: a consistent snapshot made with SQLite's online backup API in one step (one
  read transaction: saves and MT jobs go on writing meanwhile, the snapshot holds every commit made
  before it started and none after), checked with `PRAGMA integrity_check`. The glossaries, users,
  API tokens, webhooks and the whole history are in it;
* `workbench.toml` and `config.py` (the instance's settings), when present;
* `secret_key`: so sessions and CSRF tokens stay valid. It makes the backup a secret;
* `models.json`: the names, families, pairs and versions of the installed MT models, not their
  weights (hundreds of MB each; install them again from their package files);
* `manifest.json`: the format version, when and by which workbench it was made, and each file's
  size and SHA-256.

Restore refuses a folder that has a database, reads only the names above (a name in the archive
never becomes a path), bounds every member's size, checks the manifest's sums and runs
`integrity_check` before and after the files are moved into place.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import tarfile
import tempfile
import time
from importlib import metadata
from pathlib import Path

from workbench.core.errors import UserError
from workbench.core.mt import families, packages
from workbench.data.db import open_db, transaction
from workbench.data.instance import Instance
from workbench.data.store import now

FORMAT = 1
MANIFEST, DATABASE, MODELS = "manifest.json", "workbench.db", "models.json"
SETTINGS = ("workbench.toml", "config.py")
SECRET = "secret_key"
SMALL_BYTES = 1024 * 1024  # every file but the database: settings, key, lists
DEFAULT_MAX_DB_BYTES = 64 * 1024 ** 3
MAX_MEMBERS = 16
MODEL_NOTE = "models.json lists the installed MT models; their weights are not in the backup"


class BackupError(UserError):
    """The backup cannot be made, or the archive cannot be restored."""


def installed_models(instance: Instance) -> list[dict]:
    """Name, family, pairs and version (or checksum) of every installed model."""
    found = [{"name": p.name, "family": "argos", "pairs": [p.pair], "version": p.version}
             for p in packages.installed(instance.models_dir)]
    found += [{"name": m.name, "family": m.family, "pairs": list(m.pairs), "checksum": m.checksum}
              for m in families.installed(instance.models_dir)]
    return found


def integrity(path: Path) -> str:
    """`PRAGMA integrity_check` of a database file: "ok" or the first problems found."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as err:
        return str(err)
    finally:
        conn.close()
    return "; ".join(str(r[0]) for r in rows[:5])


def snapshot(instance: Instance, target: Path) -> None:
    """Copy the live database into `target` with the online backup API, in one step."""
    source = sqlite3.connect(instance.db_path, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.execute("PRAGMA busy_timeout=30000")
        source.backup(copy)  # pages=-1: the whole database under one read transaction
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        copy.close()
        source.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _version() -> str:
    try:
        return metadata.version("workbench")
    except metadata.PackageNotFoundError:
        return "unknown"


def backup(instance: Instance, target: Path) -> dict:
    """Write the backup of `instance` to `target` (a .tar.gz, made beside it and renamed into
    place, readable by its owner only). Returns the manifest."""
    if not instance.exists():
        raise BackupError(f"{instance.path} has no database: nothing to back up")
    target = Path(target).resolve()
    if target.is_dir():
        raise BackupError(f"{target} is a folder; name the backup file, e.g. workbench-backup.tar.gz")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".workbench-backup-", dir=target.parent) as tmp:
        staging = Path(tmp)
        snapshot(instance, staging / DATABASE)
        problems = integrity(staging / DATABASE)
        if problems != "ok":
            raise BackupError(f"the database snapshot fails its integrity check: {problems}")
        for name in (*SETTINGS, SECRET):
            if (instance.path / name).is_file():
                shutil.copyfile(instance.path / name, staging / name)
        (staging / MODELS).write_text(json.dumps({"note": MODEL_NOTE, "models": installed_models(instance)},
                                                 ensure_ascii=False, indent=1), encoding="utf-8")
        names = [DATABASE, *(n for n in (*SETTINGS, SECRET) if (staging / n).exists()), MODELS]
        manifest = {"format": FORMAT, "created_at": now(),
                    "workbench": _version(), "models_note": MODEL_NOTE,
                    "files": {n: {"bytes": (staging / n).stat().st_size, "sha256": _sha256(staging / n)}
                              for n in names}}
        partial = staging / "backup.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
            archive.addfile(info, io.BytesIO(data))
            for name in names:
                archive.add(staging / name, arcname=name, recursive=False, filter=_plain)
        partial.chmod(0o600)
        os.replace(partial, target)
    return manifest


def _plain(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def has_database(instance: Instance) -> bool:
    return any((instance.path / f"{DATABASE}{suffix}").exists() for suffix in ("", "-wal", "-shm"))


def restore(archive_path: Path, instance: Instance, *, max_db_bytes: int = DEFAULT_MAX_DB_BYTES) -> dict:
    """Restore the backup at `archive_path` into `instance`, whose folder must hold no database.
    Returns {"instance", "created_at", "files", "models"} (the models to install again)."""
    if has_database(instance):
        raise BackupError(f"{instance.path} already has a database: restore only into an empty instance "
                          "folder (nothing was changed)")
    limits = {MANIFEST: SMALL_BYTES, DATABASE: max_db_bytes, MODELS: SMALL_BYTES, SECRET: SMALL_BYTES,
              **{n: SMALL_BYTES for n in SETTINGS}}
    instance.path.mkdir(parents=True, exist_ok=True)
    staging = instance.path / f".restore-{secrets.token_hex(6)}"
    staging.mkdir()
    try:
        found = _unpack(Path(archive_path), staging, limits)
        manifest = _read_manifest(staging, found)
        problems = integrity(staging / DATABASE)
        if problems != "ok":
            raise BackupError(f"the backup's database fails its integrity check: {problems}")
        if has_database(instance):  # someone made one meanwhile
            raise BackupError(f"{instance.path} got a database while restoring: nothing was changed")
        for name in (n for n in found if n not in (MANIFEST, MODELS, DATABASE)):
            os.replace(staging / name, instance.path / name)
        if (instance.path / SECRET).exists():
            (instance.path / SECRET).chmod(0o600)
        os.replace(staging / DATABASE, instance.db_path)  # last: the folder counts as live from now
        models = json.loads((staging / MODELS).read_text(encoding="utf-8")).get("models", []) \
            if MODELS in found else []
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    instance.models_dir.mkdir(parents=True, exist_ok=True)
    db = open_db(instance.path)  # migrates a backup made by an older workbench
    try:
        stopped = _stop_unfinished_jobs(db)
    finally:
        db.close()
    problems = integrity(instance.db_path)
    if problems != "ok":
        raise BackupError(f"the restored database fails its integrity check: {problems}")
    return {"instance": str(instance.path), "created_at": manifest.get("created_at"),
            "files": sorted(found), "models": models, "jobs_stopped": stopped}


def _unpack(archive_path: Path, staging: Path, limits: dict[str, int]) -> set[str]:
    """Copy the archive's known files into `staging`, each under its own known name."""
    found: set[str] = set()
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            for count, member in enumerate(archive, start=1):
                if count > MAX_MEMBERS:
                    raise BackupError(f"{archive_path.name}: more than {MAX_MEMBERS} entries; not a workbench backup")
                name = member.name
                if name not in limits:
                    raise BackupError(f"{archive_path.name}: unexpected entry {name[:80]!r}; not a workbench backup")
                if not member.isreg():
                    raise BackupError(f"{archive_path.name}: {name} is not a plain file")
                if name in found:
                    raise BackupError(f"{archive_path.name}: {name} appears twice")
                if member.size > limits[name]:
                    raise BackupError(f"{archive_path.name}: {name} is larger than {limits[name]} bytes")
                _copy_bounded(archive.extractfile(member), staging / name, limits[name], name)
                found.add(name)
    except (tarfile.TarError, EOFError, OSError, ValueError) as err:
        raise BackupError(f"{archive_path.name}: not a readable backup ({type(err).__name__}: {err})") from None
    for required in (MANIFEST, DATABASE):
        if required not in found:
            raise BackupError(f"{archive_path.name}: no {required}; not a workbench backup")
    return found


def _copy_bounded(source, target: Path, limit: int, name: str) -> None:
    written = 0
    with target.open("wb") as out:
        for block in iter(lambda: source.read(1024 * 1024), b""):
            written += len(block)
            if written > limit:
                raise BackupError(f"{name} is larger than {limit} bytes")
            out.write(block)


def _read_manifest(staging: Path, found: set[str]) -> dict:
    try:
        manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BackupError("manifest.json is not JSON; not a workbench backup") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format') if isinstance(manifest, dict) else '?'!r} "
                          f"is not one this workbench reads (format {FORMAT})")
    files = manifest.get("files")
    if not isinstance(files, dict) or set(files) != found - {MANIFEST}:
        raise BackupError("the manifest does not list the archive's files")
    for name, entry in files.items():
        if not isinstance(entry, dict) or entry.get("bytes") != (staging / name).stat().st_size \
                or entry.get("sha256") != _sha256(staging / name):
            raise BackupError(f"{name} does not match the manifest (damaged or altered)")
    return manifest


def _stop_unfinished_jobs(db) -> int:
    """Jobs queued or running when the backup was made have no task in the new instance's queue:
    mark them failed, so they can be started again."""
    with transaction(db):
        cursor = db.execute(
            "UPDATE jobs SET status = 'failed', updated_at = ?, message = ? WHERE status IN ('queued', 'running')",
            [now(), "was queued or running when the backup was made; start it again"])
    return cursor.rowcount
