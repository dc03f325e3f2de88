"""Idempotent under races, against the real `workbench serve` (waitress, 8 threads): requests fired
from threads behind a barrier. Creates by external_id make one article (201 for the first, 200 or 409
for the others, never a 5xx); identical concurrent updates make one version and one event."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest

from workbench.data import api_tokens, versions, webhooks


V1 = "Talks in Baku\nThe ministers met in Baku on Monday. They signed 12 agreements.\n"
V2 = "Talks in Baku\nThe ministers met in Baku on Monday. They signed 14 agreements.\nA statement followed.\n"


@pytest.fixture
def server(instance, start_server):
    """The real server, an admin token, and a webhook listening for every event (so that events are
    recorded as deliveries; its address answers nobody, which does not matter here)."""
    db = instance.db()
    token = api_tokens.add_token(db, "cms", "admin")["token"]
    webhooks.add_webhook(db, "http://127.0.0.1:9/hooks", list(webhooks.EVENTS))
    db.close()
    process, url = start_server(instance)
    try:
        yield {"url": url, "token": token, "instance": instance}
    finally:
        process.terminate()
        process.wait(timeout=10)


def _call(server, method: str, path: str, body: dict) -> tuple[int, dict | str]:
    request = urllib.request.Request(server["url"] + path, data=json.dumps(body).encode(), method=method,
                                     headers={"Authorization": f"Bearer {server['token']}",
                                              "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        raw = err.read()
        try:
            return err.code, json.loads(raw)
        except ValueError:
            return err.code, raw.decode(errors="replace")


def _at_once(server, count: int, method: str, path: str, body: dict) -> list[tuple[int, dict | str]]:
    """`count` identical requests, released together by a barrier; their (status, body)."""
    barrier = threading.Barrier(count)
    answers: list = [None] * count

    def one(number: int):
        barrier.wait()
        try:
            answers[number] = _call(server, method, path, body)
        except Exception as err:  # reported by the caller: an assert in a thread would be lost
            answers[number] = (None, repr(err))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _state(server, external_id: str) -> dict:
    db = server["instance"].db()
    try:
        found = [row["id"] for row in db.query("SELECT id FROM articles WHERE external_id = ?", [external_id])]
        return {"articles": found,
                "versions": [v["version"] for a in found for v in versions.versions(db, a)],
                "events": sorted(d["event"] for d in webhooks.deliveries(db, limit=1000))}
    finally:
        db.close()


def test_concurrent_posts_with_one_external_id_make_one_article(server):
    answers = _at_once(server, 8, "POST", "/api/v1/articles",
                       {"title": "Talks in Baku", "text": V1, "format": "txt", "external_id": "story-1"})
    statuses = sorted(status for status, _ in answers)
    assert statuses == [201] + [409] * 7, answers
    assert all(body["detail"] for status, body in answers if status == 409)
    state = _state(server, "story-1")
    assert len(state["articles"]) == 1 and state["versions"] == [1], state
    assert state["events"] == [], state


def test_concurrent_puts_creating_one_external_id_make_one_article(server):
    answers = _at_once(server, 8, "PUT", "/api/v1/articles/by-external-id/story-2",
                       {"title": "Talks in Baku", "text": V1, "format": "txt"})
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * 7 + [201], answers
    state = _state(server, "story-2")
    assert len(state["articles"]) == 1 and state["versions"] == [1], state
    # every answer names the one article at version 1; nothing changed, so no event
    assert {(body["article"], body["version"]) for _, body in answers} == {(state["articles"][0], 1)}
    assert state["events"] == [], state


def test_identical_concurrent_updates_make_one_version_and_one_event(server):
    status, created = _call(server, "PUT", "/api/v1/articles/by-external-id/story-3",
                            {"title": "Talks in Baku", "text": V1, "format": "txt"})
    assert status == 201, created
    answers = _at_once(server, 6, "PUT", "/api/v1/articles/by-external-id/story-3",
                       {"title": "Talks in Baku", "text": V2, "format": "txt"})
    assert sorted(status for status, _ in answers) == [200] * 6, answers
    assert {body["version"] for _, body in answers} == {2}, answers
    # one of them stored version 2 (1 changed, 1 added); the others found it already stored
    assert sorted((b["changed"], b["added"]) for _, b in answers) == [(0, 0)] * 5 + [(1, 1)], answers
    state = _state(server, "story-3")
    assert state["versions"] == [2, 1], state
    assert state["events"] == ["article.updated"], state


def test_identical_concurrent_updates_based_on_a_version_make_one_version(server):
    status, created = _call(server, "PUT", "/api/v1/articles/by-external-id/story-4",
                            {"title": "Talks in Baku", "text": V1, "format": "txt"})
    assert status == 201, created
    answers = _at_once(server, 6, "PUT", "/api/v1/articles/by-external-id/story-4",
                       {"title": "Talks in Baku", "text": V2, "format": "txt", "base_version": 1})
    statuses = sorted(status for status, _ in answers)
    assert all(s in (200, 409) for s in statuses) and statuses.count(200) >= 1, answers
    state = _state(server, "story-4")
    assert state["versions"] == [2, 1], state
    assert state["events"] == ["article.updated"], state
