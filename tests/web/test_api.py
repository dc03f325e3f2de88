"""The REST API through Flask's test client: tokens, roles, problem+json, endpoints, OpenAPI, rate limit."""

import io
import re

import pytest
from openapi_spec_validator import validate

from workbench.data import api_tokens, store
from workbench.services import translations

ARTICLE = {"title": "Talks in Baku", "text": "Talks in Baku\nThe ministers met in Baku on Monday. "
           "They signed 12 agreements.\n", "format": "txt", "external_id": "cms-1"}


def test_tokens_cli_contract_list_and_revoke(cli):
    out = cli.json("tokens", "add", "cms", "--role", "reviewer")
    assert list(out) == ["name", "role", "token"] and (out["name"], out["role"]) == ("cms", "reviewer")
    db = cli.instance.db()
    assert out["token"] not in str(list(db.query("SELECT * FROM api_tokens")))  # only a hash is stored
    assert api_tokens.authenticate(db, out["token"])["role"] == "reviewer"
    listed = cli("tokens", "list").output
    assert "cms" in listed and out["token"] not in listed
    assert "exists already" in cli("tokens", "add", "cms", "--role", "admin", ok=False).output
    cli("tokens", "revoke", "cms")
    assert api_tokens.authenticate(db, out["token"]) is None
    assert "no live token" in cli("tokens", "revoke", "cms", ok=False).output


def test_missing_wrong_and_revoked_tokens_get_401(api, instance, tokens, problem):
    problem(api("GET", "/articles/1", token=None), 401)
    problem(api("GET", "/articles/1", token="wbt_not-a-real-token"), 401)
    db = instance.db()
    api_tokens.revoke_token(db, "t-translator")
    body = problem(api("GET", "/articles/1"), 401)
    assert "revoked" in body["detail"]


def test_a_session_cookie_is_no_credential_and_needs_no_csrf(app, browser, problem):
    tina = browser("tina")  # signed in through the web form: has a session cookie
    response = tina.client.post("/api/v1/articles", json=ARTICLE)
    problem(response, 401)
    assert "Set-Cookie" not in response.headers


def test_create_get_and_role_checks(api, problem):
    created = api("POST", "/articles", json=ARTICLE)  # no CSRF token: the API takes none
    assert created.status_code == 201 and created.get_json() == {
        "article": 1, "version": 1, "segments": 3, "job": None, "warnings": [],
        "source_language": {"detected": None, "declared": None}}  # too short to tell
    duplicate = problem(api("POST", "/articles", json=ARTICLE), 409)
    assert "by-external-id/cms-1" in duplicate["detail"]
    info = api("GET", "/articles/1").get_json()
    assert info["version"] == 1 and info["title"] == "Talks in Baku"
    assert info["languages"]["az"] == {"untranslated": 3, "MT draft": 0, "edited": 0, "approved": 0,
                                       "source changed": 0, "needs review": 0, "total": 3}
    bad = problem(api("POST", "/articles", json={"text": "", "format": "pdf"}), 422)
    assert "format" in bad["detail"] and "text" in bad["detail"]
    problem(api("GET", "/articles/99"), 404)
    denied = problem(api("PUT", "/articles/1/translations/az/segments/1",
                          json={"target": "x", "status": "approved", "base_target": ""}), 403)
    assert "reviewer" in denied["detail"]


def test_multipart_upload(api):
    response = api("POST", "/articles", data={"file": (io.BytesIO(b"Title\nOne. Two.\n"), "story.txt"),
                                              "external_id": "cms-up"}, content_type="multipart/form-data")
    assert response.status_code == 201 and response.get_json()["segments"] == 3


def test_put_by_external_id_creates_then_versions_idempotently(api):
    first = api("PUT", "/articles/by-external-id/cms-9", json=ARTICLE)
    assert first.status_code == 201 and first.get_json()["version"] == 1
    again = api("PUT", "/articles/by-external-id/cms-9", json=ARTICLE)
    assert again.status_code == 200 and again.get_json()["version"] == 1  # same text: no new version
    changed = dict(ARTICLE, text=ARTICLE["text"].replace("12", "14"))
    second = api("PUT", "/articles/by-external-id/cms-9", json=changed).get_json()
    assert second == {"article": 1, "version": 2, "segments": 3, "kept": 2, "changed": 1, "added": 0, "removed": 0,
                      "job": None, "warnings": [], "source_language": {"detected": None, "declared": None}}


def test_translations_json_shape_and_formats_and_segment_saves(api, instance, problem):
    api("POST", "/articles", json=ARTICLE)
    saved = api("PUT", "/articles/1/translations/az/segments/3", token="reviewer",
                json={"target": "12 saziş imzaladılar.", "status": "approved", "base_target": ""})
    assert saved.status_code == 200 and saved.get_json()["status"] == "approved"
    stale = problem(api("PUT", "/articles/1/translations/az/segments/3", token="reviewer",
                         json={"target": "other", "base_target": ""}), 409)
    assert "changed since you read it" in stale["detail"]
    body = api("GET", "/articles/1/translations/az").get_json()
    assert set(body) == {"article", "lang", "version", "segments"}
    assert (body["article"], body["lang"], body["version"]) == (1, "az", 1)
    assert [s["index"] for s in body["segments"]] == [1, 2, 3]
    assert set(body["segments"][2]) == {"index", "source", "codes", "target", "status", "version", "findings"}
    assert body["segments"][2]["codes"] == []  # a sentence without inline markup
    assert body["segments"][2]["status"] == "approved" and body["segments"][0]["status"] == "untranslated"
    text = api("GET", "/articles/1/translations/az?format=txt")
    assert text.mimetype == "text/plain" and "12 saziş imzaladılar." in text.text
    problem(api("GET", "/articles/1/translations/az?format=pdf"), 422)
    problem(api("GET", "/articles/1/translations/xx"), 404)


def test_translate_job_and_check(api, instance, tiny_packages, cli, problem):
    api("POST", "/articles", json=ARTICLE)
    missing = problem(api("POST", "/articles/1/translate", json={"langs": ["az"]}), 409)
    assert "en" in missing["detail"] and "az" in missing["detail"]
    cli("models", "install", str(tiny_packages["en_az"]))
    job = api("POST", "/articles/1/translate", json={"langs": ["az"]})
    assert job.status_code == 202
    status = api("GET", f"/jobs/{job.get_json()['job']}").get_json()
    assert status["status"] == "done" and status["done"] == status["total"] == 3
    found = api("POST", "/check", json={"lang": "az", "source": "They signed 12 agreements in Baku.",
                                         "target": "Onlar Moskvada 13 saziş imzaladılar."}).get_json()["findings"]
    assert any(f["kind"] == "qa" and f["check"] == "numbers" for f in found)
    assert any(f["kind"] == "term" and f["status"] == "missing" for f in found)


def test_openapi_document_is_valid_3_1_and_the_reference_page_works_offline(app):
    client = app.test_client()
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    validate(spec)  # openapi-spec-validator picks the 3.1 validator from the document
    for path in ["/api/v1/articles", "/api/v1/articles/by-external-id/{external_id}", "/api/v1/articles/{article_id}",
                 "/api/v1/articles/{article_id}/translate", "/api/v1/jobs/{job_id}",
                 "/api/v1/articles/{article_id}/translations/{lang}", "/api/v1/check"]:
        assert path in spec["paths"], path
    assert "TranslationOut" in spec["components"]["schemas"]
    page = client.get("/api/v1/")
    assert page.status_code == 200 and "POST /api/v1/articles" in page.text
    assert not re.search(r"<script", page.text) and "https://" not in page.text  # nothing from a CDN


def test_rate_limit_per_token(app, api, problem):
    app.config["API_RATE_LIMIT"] = 3
    for _ in range(3):
        assert api("GET", "/articles/1").status_code == 404
    limited = problem(api("GET", "/articles/1"), 429)
    assert 1 <= int(api("GET", "/articles/1").headers["Retry-After"]) <= 60
    assert "3 requests a minute" in limited["detail"]
    assert api("GET", "/articles/1", token="reviewer").status_code == 404  # other tokens are not affected


def test_other_routes_keep_csrf(browser):
    tina = browser("tina")
    response = tina.post("/articles", data={"text": "x", "format": "txt"}, csrf=False, htmx=False)
    assert response.status_code == 400
    assert store  # the web route refused without a CSRF token


def test_unknown_api_urls_answer_problem_json(api, problem):
    body = problem(api("GET", "/nothing-here"), 404)
    assert body["instance"] == "/api/v1/nothing-here"
    problem(api("DELETE", "/check"), 405)


def test_approving_over_errors_needs_a_reason_as_in_the_editor(api, instance, problem):
    api("POST", "/articles", json=ARTICLE)
    refused = problem(api("PUT", "/articles/1/translations/az/segments/3", token="reviewer",
                           json={"target": "13 saziş imzaladılar.", "status": "approved", "base_target": ""}), 422)
    assert "12" in refused["detail"] and "reason" in refused["detail"]
    ok = api("PUT", "/articles/1/translations/az/segments/3", token="reviewer",
             json={"target": "13 saziş imzaladılar.", "status": "approved", "base_target": "",
                   "reason": "the CMS corrected the figure"})
    assert ok.status_code == 200
    db = instance.db()
    segment_id = store.segments(db, 1)[2]["id"]
    assert store.history(db, segment_id, "az")[0]["note"] == "approved despite errors: the CMS corrected the figure"


def test_a_json_body_nested_too_deeply_is_a_400_not_a_500(api, problem):
    body = problem(api("PUT", "/articles/1/translations/az/segments/1", data="[" * 100_000,
                        content_type="application/json"), 400)
    assert "nested too deeply" in body["detail"]


SEGMENT_3 = "/articles/1/translations/az/segments/3"


def test_reads_carry_versions_and_a_save_based_on_an_old_one_is_a_409_naming_who(api, problem):
    api("POST", "/articles", json=ARTICLE)
    read = api("GET", SEGMENT_3)
    assert read.status_code == 200 and read.headers["ETag"] == '"v0"'
    assert read.get_json() == {"index": 3, "source": "They signed 12 agreements.", "codes": [], "target": "",
                               "status": "untranslated", "version": 0, "findings": []}
    saved = api("PUT", SEGMENT_3, json={"target": "12 saziş imzaladılar.", "base_version": 0})
    assert saved.status_code == 200 and saved.get_json()["version"] == 1 and saved.headers["ETag"] == '"v1"'
    # A reviewer approves the same text (If-Match carries the version as the ETag).
    approved = api("PUT", SEGMENT_3, token="reviewer", headers={"If-Match": '"v1"'},
                   json={"target": "12 saziş imzaladılar.", "status": "approved"})
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"
    # A client that read version 1, before the approval, sends new text: refused, the approval stays.
    stale = problem(api("PUT", SEGMENT_3, json={"target": "On iki saziş imzaladılar.", "base_version": 1}), 409)
    assert "changed since you read it" in stale["detail"] and "api:t-reviewer" in stale["detail"]
    assert (stale["changed_by"], stale["current_version"], stale["current_status"]) == ("api:t-reviewer", 2,
                                                                                        "approved")
    problem(api("PUT", SEGMENT_3, headers={"If-Match": '"v1"'}, json={"target": "On iki saziş imzaladılar."}), 409)
    body = api("GET", "/articles/1/translations/az").get_json()
    assert [(s["status"], s["version"]) for s in body["segments"]] == [
        ("untranslated", 0), ("untranslated", 0), ("approved", 2)]
    # Without any precondition a save is refused; an ETag we did not give is refused too.
    assert "base_version" in problem(api("PUT", SEGMENT_3, json={"target": "x"}), 428)["detail"]
    problem(api("PUT", SEGMENT_3, headers={"If-Match": '"abc"'}, json={"target": "x"}), 412)


@pytest.fixture
def drafted(api, instance):
    """An article sent by the CMS and machine-drafted into az; segments 2 and 4 are one sentence.
    The requests below send `base_target` only, as clients did before versions: the rules of every
    other door hold for them too."""
    text = "Talks in Baku\nThe ministers met in Baku. They signed 12 agreements.\nThe ministers met in Baku.\n"
    api("POST", "/articles", json={"title": "Talks", "text": text, "format": "txt"})
    db = instance.db()
    ids = [s["id"] for s in store.segments(db, 1)]
    drafts = ["Danışıqlar", "Nazirlər Bakıda görüşdülər.", "Onlar 12 saziş imzaladılar.", "Nazirlər Bakıda görüşdülər."]
    translations.write_drafts(db, "az", [store.Draft(sid, draft, "mt:x", []) for sid, draft in zip(ids, drafts)],
                              force=False)
    yield db, ids, drafts
    db.close()


def test_sending_the_same_text_again_keeps_an_approval(api, drafted):
    db, ids, drafts = drafted
    assert api("PUT", SEGMENT_3, token="reviewer", json={"target": drafts[2], "status": "approved",
                                                         "base_target": drafts[2]}).status_code == 200
    again = api("PUT", SEGMENT_3, json={"target": drafts[2], "base_target": drafts[2]})
    assert again.status_code == 200 and again.get_json()["status"] == "approved"
    row = store.get_translation(db, ids[2], "az")
    assert (row["status"], row["version"]) == ("approved", 2)  # no new version


def test_an_api_save_reaches_the_repetition_still_a_machine_draft(api, drafted):
    db, ids, drafts = drafted
    edited = api("PUT", "/articles/1/translations/az/segments/2", json={"target": "Nazirlər görüşdü.",
                                                                         "base_target": drafts[1]})
    assert edited.status_code == 200
    copy = store.get_translation(db, ids[3], "az")
    assert (copy["text"], copy["status"], copy["follows"]) == ("Nazirlər görüşdü.", "edited", ids[1])


def test_an_empty_target_is_untranslated_not_done(api, drafted):
    db, ids, drafts = drafted
    emptied = api("PUT", "/articles/1/translations/az/segments/1", json={"target": "", "base_target": drafts[0]})
    assert emptied.status_code == 200 and emptied.get_json()["status"] == "untranslated"
    counts = store.progress(db, 1, "az")
    assert (counts["untranslated"], counts["edited"]) == (1, 0)


def test_a_save_based_on_a_version_before_an_approval_is_refused(api, drafted, problem):
    db, ids, drafts = drafted
    assert api("PUT", SEGMENT_3, token="reviewer", json={"target": drafts[2], "status": "approved",
                                                         "base_version": 1}).status_code == 200
    stale = problem(api("PUT", SEGMENT_3, json={"target": "On iki saziş.", "base_version": 1}), 409)
    assert stale["changed_by"] == "api:t-reviewer"
    assert store.get_translation(db, ids[2], "az")["status"] == "approved"
