"""Issue 19 item 5: a story the CMS creates, and the new segments of any story update, get MT
drafts without anyone asking: one job per article, into every language with an installed model."""

from workbench.core.mt import packages

STORY = {"title": "Talks", "text": "Talks in Baku\nThe ministers met in Baku. They signed two agreements.\n",
         "external_id": "cms-1"}


def _statuses(api, article_id, lang):
    body = api("GET", f"/articles/{article_id}/translations/{lang}").get_json()
    return [s["status"] for s in body["segments"]]


def test_api_create_and_update_draft_new_segments_in_installed_languages(api, instance, tiny_packages):
    for pair in ("en_az", "en_tr"):  # no en->ru model: Russian stays untranslated
        packages.install(tiny_packages[pair], instance.models_dir)
    created = api("POST", "/articles", json=STORY)
    assert created.status_code == 201, created.text
    body = created.get_json()
    assert body["job"] is not None
    job = api("GET", f"/jobs/{body['job']}").get_json()
    assert job["status"] == "done" and sorted(job["langs"]) == ["az", "tr"]
    assert _statuses(api, body["article"], "az") == ["MT draft"] * 3
    assert _statuses(api, body["article"], "tr") == ["MT draft"] * 3
    assert _statuses(api, body["article"], "ru") == ["untranslated"] * 3

    update = api("PUT", "/articles/by-external-id/cms-1",
                 json={**STORY, "text": STORY["text"].rstrip("\n") + " Talks resume in May.\n"})
    assert update.status_code == 200, update.text
    updated = update.get_json()
    assert updated["added"] == 1 and updated["job"] not in (None, body["job"])
    assert _statuses(api, body["article"], "az") == ["MT draft"] * 4
    # the same text again: no version, no job
    again = api("PUT", "/articles/by-external-id/cms-1",
                json={**STORY, "text": STORY["text"].rstrip("\n") + " Talks resume in May.\n"})
    assert again.status_code == 200 and again.get_json()["job"] is None


def test_no_model_no_job(api):
    created = api("POST", "/articles", json={**STORY, "external_id": "cms-2"})
    assert created.status_code == 201 and created.get_json()["job"] is None


def test_a_person_importing_starts_mt_when_they_choose(browser, instance, tiny_packages):
    import io
    packages.install(tiny_packages["en_az"], instance.models_dir)
    tina = browser("tina")
    response = tina.post("/articles", htmx=False, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(STORY["text"].encode()), "talks.txt")})
    assert response.status_code in (200, 302)
    db = instance.db()
    assert db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0] == 0
    db.close()
