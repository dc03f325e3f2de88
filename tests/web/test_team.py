"""Issue 21 items 1, 2, 3 and 8: assignments, who may write, hand-over and send-back, archive and
delete — the same through the API, the CLI and the web."""

from __future__ import annotations

import json

import pytest

from workbench.data import api_tokens, store, users, webhooks
from workbench.services import assignments, translations
from workbench.services.actor import Actor


ASSIGNMENT = {"translator": "tina", "reviewer": "rita", "due": "2026-12-03T18:00:00Z"}


@pytest.fixture
def team(instance, app, password):
    """tom (a second translator), a webhook for the team events, and tokens owned by tom and rita."""
    db = instance.db()
    users.add_user(db, "tom", password, "translator")
    webhooks.add_webhook(db, "https://cms.example/hook", list(webhooks.EVENTS))
    made = {"tom": api_tokens.add_token(db, "tom-cli", "translator", owner="tom")["token"],
            "rita": api_tokens.add_token(db, "rita-cli", "reviewer", owner="rita")["token"]}
    db.close()
    return made


def _events(instance):
    db = instance.db()
    found = [(event, json.loads(payload)["data"]) for event, payload in
             db.execute("SELECT event, payload FROM webhook_deliveries ORDER BY id")]
    db.close()
    return found


def test_assignment_through_the_api_and_the_cli_is_one_object(api, cli, article, team):
    url = f"/articles/{article['id']}/languages/az/assignment"
    put = api("PUT", url, token=team["rita"], json=ASSIGNMENT)
    assert put.status_code == 200, put.text
    expected = {"article": article["id"], "lang": "az", **ASSIGNMENT, "state": "translating", "reason": None}
    assert put.get_json() == expected
    assert api("GET", url).get_json() == expected
    assert cli.json("assign", str(article["id"]), "--lang", "az") == expected
    changed = cli.json("assign", str(article["id"]), "--lang", "az", "--reviewer", "adam", "--due", "")
    assert changed == {**expected, "reviewer": "adam", "due": None}
    refused = api("PUT", url, token=team["tom"], json={"translator": "tom"})  # az is tina's
    assert refused.status_code == 403 and "assign" in refused.get_json()["detail"]
    bad_due = api("PUT", url, token=team["rita"], json={"due": "tomorrow"})
    assert bad_due.status_code == 422 and "due" in str(bad_due.get_json()["errors"])
    no_one = api("PUT", url, token=team["rita"], json={"translator": "nobody"})
    assert no_one.status_code == 422 and "no active account 'nobody'" in no_one.get_json()["detail"]


def test_only_the_assigned_translator_its_reviewer_and_reviewers_write(api, browser, instance, article, team):
    db = instance.db()
    assignments.assign(db, Actor.person({"name": "rita", "role": "reviewer"}), article["id"], "az", **ASSIGNMENT)
    db.close()
    seg = article["segments"][1]
    tom = browser("tom")
    page = tom.get(f"/articles/{article['id']}/az/")
    assert "Read-only: assigned to tina." in page.text and 'readonly title="Read-only: assigned to tina"' in page.text
    refused = tom.post(f"/articles/{article['id']}/az/segments/{seg['id']}", data={"text": "x", "base_version": "0"})
    assert refused.status_code == 403 and "assigned to tina" in refused.text
    via_api = api("PUT", f"/articles/{article['id']}/translations/az/segments/2", token=team["tom"],
                  json={"target": "x", "base_version": 0})
    assert via_api.status_code == 403 and "assigned to tina" in via_api.get_json()["detail"]
    assert browser("tina").post(f"/articles/{article['id']}/az/segments/{seg['id']}",
                                data={"text": "Rəhimov", "base_version": "0"}).status_code == 200
    assert browser("rita").post(f"/articles/{article['id']}/az/segments/{seg['id']}",
                                data={"text": "Rəhimov Bakıda", "base_version": "1"}).status_code == 200
    # other languages are free for tom
    assert tom.post(f"/articles/{article['id']}/tr/segments/{seg['id']}",
                    data={"text": "Rahimov", "base_version": "0"}).status_code == 200


def test_take_send_to_review_send_back_and_approval(browser, instance, article, team):
    tom = browser("tom")
    taken = tom.post(f"/articles/{article['id']}/tr/assignment", data={"take": "1"}, htmx=False)
    assert taken.status_code == 302
    db = instance.db()
    assert assignments.view(db, article["id"], "tr")["translator"] == "tom"
    db.close()
    tina = browser("tina")
    tina.post(f"/articles/{article['id']}/tr/assignment", data={"take": "1"}, htmx=False)
    db = instance.db()
    assert assignments.view(db, article["id"], "tr")["translator"] == "tom"  # taken already: tina can't
    db.close()
    editor = tom.get(f"/articles/{article['id']}/tr/")
    assert "Send to review" in editor.text
    assert tom.post(f"/articles/{article['id']}/tr/submit", data={"next": "editor"}, htmx=False).status_code == 302
    rita = browser("rita")
    review = rita.get(f"/articles/{article['id']}/tr/")
    assert "in review" in review.text and ">Send back</button>" in review.text
    rita.post(f"/articles/{article['id']}/tr/send-back", data={"reason": ""}, htmx=False)
    db = instance.db()
    assert assignments.view(db, article["id"], "tr")["state"] == "in review"  # a reason is required
    db.close()
    rita.post(f"/articles/{article['id']}/tr/send-back", data={"reason": "Use the official titles."}, htmx=False)
    db = instance.db()
    view = assignments.view(db, article["id"], "tr")
    assert (view["state"], view["reason"]) == ("sent back", "Use the official titles.")
    rita_actor = Actor.person({"name": "rita", "role": "reviewer"})
    for seg in store.segments(db, article["id"]):
        translations.save(db, rita_actor, seg["id"], "tr", f"çeviri {seg['idx']}", base_version=0, approve=True,
                          reason="test")
    assert assignments.view(db, article["id"], "tr")["state"] == "approved"
    db.close()
    events = [e for e, _ in _events(instance)]
    assert events == ["language.submitted", "language.sent_back", "language.approved"]
    sent_back = [d for e, d in _events(instance) if e == "language.sent_back"][0]
    assert sent_back["reason"] == "Use the official titles." and sent_back["lang"] == "tr"


def test_archive_through_the_api_restore_and_delete_through_the_cli(api, cli, browser, instance, article, team):
    assert "Talks in Baku" in browser("tina").get("/").text
    archived = api("DELETE", f"/articles/{article['id']}", token=team["rita"])
    assert archived.status_code == 200 and archived.get_json() == {"article": article["id"], "archived": True}
    assert api("DELETE", f"/articles/{article['id']}", token=team["tom"]).status_code == 403
    assert "Talks in Baku" not in browser("tina").get("/").text  # hidden from lists
    cli("archive", str(article["id"]), "--restore")
    assert "Talks in Baku" in browser("tina").get("/").text
    db = instance.db()
    rita = Actor.person({"name": "rita", "role": "reviewer"})
    seg = article["segments"][1]
    translations.save(db, rita, seg["id"], "az", "Rəhimov Bakıda görüşdü.", base_version=0, approve=True, reason="t")
    db.close()
    refused = cli("delete", str(article["id"]), "--yes", "--user", "rita", ok=False)
    assert refused.exit_code == 1 and "may not delete" in refused.output
    cli("delete", str(article["id"]), "--yes")
    db = instance.db()
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM tm_units WHERE target = ?", ["Rəhimov Bakıda görüşdü."]).fetchone()[0] == 1
    db.close()
    assert [e for e, _ in _events(instance)] == ["article.archived", "article.restored", "article.deleted"]
