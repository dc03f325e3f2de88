"""`workbench backup` / `workbench restore` (data/backup.py): what a backup holds, and what restore refuses."""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile

import pytest

from workbench.core.segment import segment_text
from workbench.data import backup, jobs, store, users
from workbench.data.instance import Instance
from workbench.console import main


def _article(db) -> int:
    return store.create_article(db, title="Talks in Baku", byline=None, filename="t.txt", fmt="txt",
                                segmentation=segment_text("Talks in Baku\nThe ministers met.\n"))


def test_backup_and_restore_round_trip(cli, instance, db, tmp_path, tiny_packages):
    article = _article(db)
    users.add_user(db, "tina", "correct horse", "translator")
    jobs.create_job(db, article, ["az"], "tina")
    (instance.path / "workbench.toml").write_text("[health]\nmin_free_mb = 1\n")
    cli("models", "install", str(tiny_packages["en_az"]))
    file = tmp_path / "b.tar.gz"
    out = cli("backup", str(file)).output
    assert "weights are not in the backup" in out
    assert file.stat().st_mode & 0o077 == 0  # it holds the secret key
    with tarfile.open(file) as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile("manifest.json"))
        models = json.load(archive.extractfile("models.json"))
    assert names[0] == "manifest.json" and set(names) == {
        "manifest.json", "workbench.db", "workbench.toml", "secret_key", "models.json"}
    assert manifest["format"] == backup.FORMAT and set(manifest["files"]) == set(names) - {"manifest.json"}
    assert [m["name"] for m in models["models"]] == ["translate-en_az-1_0"]
    assert not any(n.startswith("models/") for n in names)  # no weights

    target = Instance(tmp_path / "restored")
    result = cli.runner.invoke(main, ["restore", str(file), "--instance", str(target.path), "--json"])
    assert result.exit_code == 0, result.output
    restored = json.loads(result.stdout)
    assert [m["name"] for m in restored["models"]] == ["translate-en_az-1_0"] and restored["jobs_stopped"] == 1
    assert (target.path / "secret_key").read_text() == (instance.path / "secret_key").read_text()
    assert (target.path / "workbench.toml").read_text() == "[health]\nmin_free_mb = 1\n"
    copy = target.db()
    assert [a["title"] for a in store.list_articles(copy)] == ["Talks in Baku"]
    assert users.get_user(copy, "tina") is not None
    assert jobs.list_jobs(copy)[0]["status"] == "failed"  # it has no task in the new queue
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restore_refuses_a_live_instance(cli, instance, db, tmp_path):
    _article(db)
    file = tmp_path / "b.tar.gz"
    cli("backup", str(file))
    before = instance.db_path.read_bytes()
    result = cli("restore", str(file), ok=False)
    assert result.exit_code == 1 and "already has a database" in result.output
    assert instance.db_path.read_bytes() == before


def _tar(path, entries: dict[str, bytes], *, kind=tarfile.REGTYPE, extra: tarfile.TarInfo | None = None):
    with tarfile.open(path, "w:gz") as archive:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size, info.type = len(data), kind
            archive.addfile(info, io.BytesIO(data))
        if extra is not None:
            archive.addfile(extra)
    return path


@pytest.mark.parametrize("entries, message", [
    ({"../evil": b"x"}, "unexpected entry"),
    ({"/etc/passwd": b"x"}, "unexpected entry"),
    ({"models/x/model.bin": b"x"}, "unexpected entry"),
    ({"secret_key": b"k" * (backup.SMALL_BYTES + 1)}, "larger than"),
    ({"secret_key": b"k"}, "no manifest.json"),
    ({"manifest.json": b"not json", "workbench.db": b""}, "not JSON"),
    ({"manifest.json": b'{"format": 99, "files": {}}', "workbench.db": b""}, "format 99"),
])
def test_restore_refuses_what_is_not_a_backup(tmp_path, entries, message):
    target = Instance(tmp_path / "target")
    with pytest.raises(backup.BackupError, match=message):
        backup.restore(_tar(tmp_path / "x.tar.gz", entries), target)
    assert not target.db_path.exists() and not (tmp_path / "evil").exists()
    assert [p.name for p in target.path.iterdir()] == []  # the staging folder is gone too


def test_restore_refuses_links_and_damaged_files(cli, db, tmp_path):
    link = tarfile.TarInfo("workbench.db")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    with pytest.raises(backup.BackupError, match="not a plain file"):
        backup.restore(_tar(tmp_path / "l.tar.gz", {}, extra=link), Instance(tmp_path / "t1"))
    _article(db)
    good = tmp_path / "b.tar.gz"
    cli("backup", str(good))
    with tarfile.open(good) as archive:
        files = {m.name: archive.extractfile(m).read() for m in archive}
    damaged = bytearray(files["workbench.db"])
    damaged[5000:5100] = b"\xff" * 100
    files["workbench.db"] = bytes(damaged)
    with pytest.raises(backup.BackupError, match="does not match the manifest"):
        backup.restore(_tar(tmp_path / "d.tar.gz", files), Instance(tmp_path / "t2"))
    with pytest.raises(backup.BackupError, match="not a readable backup"):
        (tmp_path / "junk.tar.gz").write_bytes(b"\x1f\x8b junk")
        backup.restore(tmp_path / "junk.tar.gz", Instance(tmp_path / "t3"))
    assert not Instance(tmp_path / "t2").db_path.exists()


def test_a_snapshot_passes_integrity_check(instance, db, tmp_path):
    _article(db)
    backup.snapshot(instance, tmp_path / "copy.db")
    assert backup.integrity(tmp_path / "copy.db") == "ok"
    conn = sqlite3.connect(tmp_path / "copy.db")
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
