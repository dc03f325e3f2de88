"""Opening the database checks the migrations table only when the schema may be behind."""

from workbench.data import db as dbmod


def test_migrations_are_checked_once_per_database_not_per_open(tmp_path, monkeypatch):
    calls = []
    real = dbmod.migrations.apply
    monkeypatch.setattr(dbmod.migrations, "apply", lambda db, **kw: calls.append(1) or real(db, **kw))
    dbmod.open_db(tmp_path).close()
    assert len(calls) == 1
    for _ in range(5):
        database = dbmod.open_db(tmp_path)
        assert "segments" in database.table_names()
        database.close()
    assert len(calls) == 1


def test_a_recreated_or_partly_migrated_database_is_migrated_again(tmp_path):
    dbmod.open_db(tmp_path).close()
    (tmp_path / dbmod.DB_NAME).unlink()
    for extra in ("-wal", "-shm"):
        (tmp_path / (dbmod.DB_NAME + extra)).unlink(missing_ok=True)
    assert "segments" in dbmod.open_db(tmp_path).table_names()

    other = tmp_path / "other"
    partial = dbmod.open_db(other, migrate=False)
    dbmod.migrations.apply(partial, stop_before="m003_users_and_jobs")
    partial.close()
    assert "users" in dbmod.open_db(other).table_names()
