"""Per-request overhead: a server thread keeps its SQLite connection; nothing half-done survives."""

from workbench.instance import Instance


def test_requests_of_one_thread_share_one_connection(app, browser, monkeypatch):
    tina = browser()  # signs in: a few requests
    opened = []
    real = Instance.db
    monkeypatch.setattr(Instance, "db", lambda self: opened.append(1) or real(self))
    for _ in range(10):
        assert tina.get("/").status_code == 200
    assert opened == []  # this thread's connection was opened at sign-in and reused since


def test_a_request_that_fails_inside_a_transaction_leaves_none_open(app, browser):
    from flask import g

    @app.get("/boom")
    def boom():
        g.db.conn.execute("BEGIN IMMEDIATE")  # a bug: a transaction never finished
        g.db.execute("INSERT INTO meta (key, value) VALUES ('half', '1')")
        raise RuntimeError("bug")

    tina = browser()
    assert tina.get("/boom").status_code == 500
    other = app.config["INSTANCE"].db()
    other.execute("INSERT INTO meta (key, value) VALUES ('other', '1')")  # the write lock was released
    other.conn.commit()
    assert other.execute("SELECT key FROM meta WHERE key IN ('half', 'other')").fetchall() == [("other",)]
