"""One running MT job per article: the server keeps it, the dashboard shows it and its progress."""

from __future__ import annotations

import re

from workbench.services import translations
from workbench.data import store
from workbench.data import jobs


def _running_job(instance, article_id):
    db = instance.db()
    job_id = jobs.create_job(db, article_id, ["az"], "tina")
    jobs.update_job(db, job_id, status="running", total=3, done=1)
    db.close()
    return job_id


def test_a_second_start_shows_the_running_job(app, browser, article, instance, monkeypatch):
    started = []
    monkeypatch.setattr(app.extensions["workbench-queue"], "translate", lambda path, job_id: started.append(job_id))
    monkeypatch.setattr("workbench.services.machine_translation.engines_for", lambda *args, **kwargs: {})
    tina = browser("tina")
    url = f"/articles/{article['id']}/translate"
    first = tina.post(url, {"lang": ["az", "ru"]})
    assert first.status_code == 200 and started == [1] and "MT job 1 queued" in first.text
    second = tina.post(url, {"lang": ["az"]})  # the job has not even started: still only one
    assert second.status_code == 200 and started == [1]
    assert "Already running for this article:" in second.text and "MT job 1 queued" in second.text
    db = instance.db()
    assert db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0] == 1
    # The dashboard shows the running job (polling) where the button's answer goes.
    dashboard = tina.get("/").text
    assert re.search(r'<div class="job" aria-live="polite"><div class="job-status" id="job-1"\s+hx-get="/jobs/1"', dashboard)
    # Once it ended, the next click starts a new one.
    jobs.update_job(db, 1, status="done", message="Translated segments: az: 3")
    assert "MT job 2 queued" in tina.post(url, {"lang": ["az"]}).text and started == [1, 2]


def test_an_abandoned_job_does_not_block_the_article_forever(app, browser, article, instance, monkeypatch):
    monkeypatch.setattr(app.extensions["workbench-queue"], "translate", lambda path, job_id: None)
    monkeypatch.setattr("workbench.services.machine_translation.engines_for", lambda *args, **kwargs: {})
    job_id = _running_job(instance, article["id"])
    db = instance.db()
    db["jobs"].update(job_id, {"updated_at": "2020-01-01T00:00:00+00:00"})  # its worker died long ago
    answer = browser("tina").post(f"/articles/{article['id']}/translate", {"lang": ["az"]})
    assert f"MT job {job_id + 1} queued" in answer.text
    old = jobs.get_job(db, job_id)
    assert (old["status"], old["message"]) == ("failed", "abandoned: its worker sent no heartbeat for 120 s")
    # A worker reaching the abandoned job later does not run it.
    monkeypatch.undo()
    app.extensions["workbench-queue"].translate_task.call_local(str(instance.path), job_id)
    assert jobs.get_job(db, job_id)["message"] == "abandoned: its worker sent no heartbeat for 120 s"


def test_job_progress_carries_the_articles_bars_out_of_band(browser, article, instance):
    job_id = _running_job(instance, article["id"])
    db = instance.db()
    translations.write_drafts(db, "az", [store.Draft(article["segments"][0]["id"], "Bakıda danışıqlar", "mt:fake", [])],
                       force=False)
    poll = browser("tina").get(f"/jobs/{job_id}", htmx=True).text
    assert 'hx-get="/jobs/1" hx-trigger="load delay:1s"' in poll and "1 / 3 segments" in poll
    assert f'<table class="progress" id="progress-{article["id"]}" hx-swap-oob="true">' in poll
    assert "1 MT draft" in poll and "Refresh progress" not in poll


def test_the_favicon_is_public_and_linked(app, browser):
    client = app.test_client()
    icon = client.get("/favicon.ico")
    assert icon.status_code == 302 and icon.headers["Location"].endswith("/static/favicon.svg")
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in browser("tina").get("/").text


def test_two_api_starts_give_one_active_job_as_the_dashboard_does(app, cms_api, browser, article, instance, monkeypatch):
    """Before the MT service, two `POST …/translate` made two active jobs for one article."""
    started = []
    monkeypatch.setattr(app.extensions["workbench-queue"], "translate", lambda path, job_id: started.append(job_id))
    monkeypatch.setattr("workbench.services.machine_translation.engines_for", lambda *args, **kwargs: {})
    url = f"/api/v1/articles/{article['id']}/translate"
    first = cms_api.post(url, json={"langs": ["az"]})
    second = cms_api.post(url, json={"langs": ["az", "tr"]})
    assert first.status_code == second.status_code == 202
    assert first.get_json()["job"] == second.get_json()["job"] and started == [first.get_json()["job"]]
    # The dashboard's button meets the same job.
    page = browser("tina").post(f"/articles/{article['id']}/translate", {"lang": ["ru"]})
    assert "Already running for this article:" in page.text and started == [first.get_json()["job"]]
    db = instance.db()
    assert db.execute("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')").fetchone()[0] == 1
    db.close()
