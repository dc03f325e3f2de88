"""One rule, one place: `workbench translate` (the CLI's inline run) follows the job rules of the
dashboard and the API: one active job per article, a job row, job.finished, drafts with an author."""

from __future__ import annotations

import getpass
import re
import socket

from workbench.data import jobs, users


FAST = ("--beam-size", "2", "--hypotheses", "2")


def _history_authors(instance):
    db = instance.db()
    try:
        return {row[0] for row in db.execute("SELECT DISTINCT changed_by FROM history")}
    finally:
        db.close()


def test_cli_translate_waits_for_no_job_and_runs_as_one(cli, tiny_packages, hook, receiver, sent_at_once, demo_article):
    cli.json("import", str(demo_article))
    cli("models", "install", str(tiny_packages["en_az"]))
    db = cli.instance.db()
    running = jobs.create_job(db, 1, ["az"], "tina")
    jobs.update_job(db, running, status="running", worker="elsewhere:1")
    for args in (("--article", "1"), ()):  # the article named, or every article
        refused = cli("translate", "--to", "az", *args, *FAST, ok=False)
        assert refused.exit_code == 1 and f"MT job {running} running" in refused.output
        assert "Traceback" not in refused.output
    assert db.execute("SELECT COUNT(*) FROM translations").fetchone()[0] == 0
    assert [j["id"] for j in cli.json("jobs")["jobs"]] == [running]  # no job row for a refused run
    jobs.update_job(db, running, status="done")
    out = cli.json("translate", "--article", "1", "--to", "az", *FAST)
    assert out["translated"] == 13 and out["languages"]["az"]["pending"] == 13
    job = cli.json("jobs")["jobs"][0]
    assert job["id"] != running and job["article_id"] == 1 and job["status"] == "done"
    assert job["created_by"] == getpass.getuser() and (job["done"], job["total"]) == (13, 13)
    (author,) = _history_authors(cli.instance)  # every draft is credited to the job
    assert author and str(job["id"]) in author
    assert receiver.events() == ["job.finished"]
    # --user names the account that starts it.
    users.add_user(db, "rita", "correct horse", "reviewer")
    cli("translate", "--article", "1", "--to", "az", "--force", "--user", "rita", *FAST)
    assert cli.json("jobs")["jobs"][0]["created_by"] == "rita"
    assert receiver.events() == ["job.finished", "job.finished"]
    db.close()


def test_a_killed_cli_run_does_not_block_the_article(cli, tiny_packages, demo_article):
    cli.json("import", str(demo_article))
    cli("models", "install", str(tiny_packages["en_az"]))
    db = cli.instance.db()
    dead = jobs.create_job(db, 1, ["az"], "ops")
    jobs.update_job(db, dead, status="running", worker=f"cli {socket.gethostname()}:999999999")
    assert cli.json("translate", "--to", "az", *FAST)["translated"] == 13
    assert jobs.get_job(db, dead)["status"] == "failed" and "is gone" in jobs.get_job(db, dead)["message"]
    db.close()


def test_a_cli_xliff_import_that_approves_a_language_sends_the_event(cli, hook, receiver, sent_at_once, tmp_path):
    (tmp_path / "a.txt").write_text("Talks\nOfficials met on Monday. They agreed.\n", encoding="utf-8")
    cli.json("import", str(tmp_path / "a.txt"))
    db = cli.instance.db()
    users.add_user(db, "rita", "correct horse", "reviewer")
    db.close()
    exported = tmp_path / "a.xlf"
    cli("export", "1", "--lang", "az", "--format", "xliff", "-o", str(exported))
    text = exported.read_text(encoding="utf-8")
    # each untranslated unit's target is a copy of its source marked "new": the reviewer's file finals them
    text = re.sub(r'<target state="new">(.*?)</target>', lambda m: f'<target state="final">[az] {m[1]}</target>', text)
    exported.write_text(text, encoding="utf-8")
    counts = cli.json("import-xliff", str(exported), "--user", "rita")
    assert counts["not_approved"] == [], counts
    assert receiver.events() == ["language.approved"]


def test_translate_queue_does_not_coordinate_beside_a_running_job(cli, tiny_packages, monkeypatch, demo_article):
    cli.json("import", str(demo_article))
    cli("models", "install", str(tiny_packages["en_az"]))
    db = cli.instance.db()
    running = jobs.create_job(db, 1, ["az"], "tina")
    jobs.update_job(db, running, status="running", worker="elsewhere:1")
    monkeypatch.setenv("WORKBENCH_REDIS_URL", "redis://127.0.0.1:9/0")  # refused before any connection
    refused = cli("translate", "--to", "az", "--queue", ok=False)
    assert refused.exit_code == 1 and f"MT job {running} running" in refused.output
    assert [j["id"] for j in cli.json("jobs")["jobs"]] == [running]
    db.close()
