"""Per-request overhead: a server thread keeps its SQLite connection; nothing half-done survives;
a save costs the same in a long article as in a short one."""

import re

from workbench.data import store
from workbench.data.instance import Instance
from workbench.core.segment import segment_text


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


def _statements_of_a_save(app, browser, instance, sentences: list[str]) -> list[str]:
    db = instance.db()
    article_id = store.create_article(db, title="T", byline=None, filename=None, fmt="txt",
                                      segmentation=segment_text("\n".join(sentences) + "\n"))
    segment = store.segments(db, article_id)[3]
    db.close()
    tina = browser()
    url = f"/articles/{article_id}/az/segments/{segment['id']}"
    assert tina.post(url, {"text": "Bakıda 1.", "base_version": 0}).status_code == 200
    app.config["TRACE"] = statements = []
    assert tina.post(url, {"text": "Bakıda 2.", "base_version": 1}).status_code == 200
    app.config["TRACE"] = None
    # Ids, quoted values and savepoint names differ between the runs; the statements must not.
    return sorted(re.sub(r"'[^']*'|\b\d+\b|sqlite_utils_\w+", "?", s) for s in statements)


def test_a_save_runs_the_same_statements_in_a_long_article_as_in_a_short_one(app, browser, instance):
    """The save once read every segment of the article twice to find repetitions (by Python
    comparison of source texts) and the editor page read them all for repetition flags."""
    from flask import g

    @app.before_request
    def trace():
        g.db.conn.set_trace_callback(app.config["TRACE"].append if app.config.get("TRACE") is not None else None)

    short = _statements_of_a_save(app, browser, instance, [f"Talks number {i} were held in Baku." for i in range(8)])
    long = _statements_of_a_save(app, browser, instance, [f"Talks number {i} held in Baku." for i in range(3_000)])
    assert 20 < len(short) < 60
    assert short == long
    assert not any("FROM segments WHERE article_id = ? AND id != ?" in s for s in long)


def test_no_statement_of_a_save_or_an_editor_page_scans_a_table_of_the_whole_instance(app, browser, instance):
    """Every read of a save and of an editor page goes through an index for its article or row.

    SQLite once chose to read an article's translations through the (lang, status) index: every
    translation of the language in the instance, 20 ms a save beside a 50,000-segment article."""
    from flask import g

    @app.before_request
    def trace():
        g.db.conn.set_trace_callback(app.config["TRACE"].append if app.config.get("TRACE") is not None else None)

    db = instance.db()
    article_id = store.create_article(db, title="T", byline=None, filename=None, fmt="txt",
                                      segmentation=segment_text("Talks in Baku.\nTalks in Baku.\nPrices rose.\n"))
    segment = store.segments(db, article_id)[0]
    tina = browser()
    app.config["TRACE"] = statements = []
    url = f"/articles/{article_id}/az/segments/{segment['id']}"
    assert tina.post(url, {"text": "Bakıda danışıqlar.", "base_version": 0}).status_code == 200
    assert tina.get(f"/articles/{article_id}/az/").status_code == 200
    assert tina.get(f"{url}/details", htmx=True).status_code == 200
    app.config["TRACE"] = None
    scans = {}
    for sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        plan = [row[3] for row in db.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
        bad = [step for step in plan
               if re.match(r"SCAN (translations|segments|history|term_findings|qa_findings|tm_units)\b", step)
               or "translations_lang_status (lang=?)" in step]
        if bad:
            scans[sql[:120]] = bad
    db.close()
    assert len(statements) > 30
    assert scans == {}
