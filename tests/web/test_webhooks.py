"""Webhooks: Standard Webhooks signatures checked by the `standardwebhooks` package on a loopback server,
delivery through the job queue, retries with backoff, the delivery log, the CLI."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from standardwebhooks import Webhook

from tests.conftest import free_port
from workbench.data import api_tokens
from workbench.data import webhooks
from workbench.queue.delivery import deliver


class Receiver:
    """A loopback HTTP server recording each POST; answers `status` (200 unless told otherwise)."""

    def __init__(self):
        self.received, self.status = [], 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _lower(headers: dict) -> dict:
    return {k.lower(): v for k, v in headers.items()}


def test_language_approved_arrives_signed_and_is_logged(app, instance, receiver, browser):
    db = instance.db()
    hook = webhooks.add_webhook(db, receiver.url, ["language.approved", "article.updated"])
    token = api_tokens.add_token(db, "cms", "reviewer")["token"]
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    client.put("/api/v1/articles/by-external-id/s1", headers=auth,
               json={"text": "Title\nOne sentence. Two sentences.\n", "format": "txt"})
    for index in (1, 2, 3):
        assert client.put(f"/api/v1/articles/1/translations/az/segments/{index}", headers=auth,
                          json={"target": f"Cümlə {index}.", "status": "approved", "base_target": ""}).status_code == 200
        if index < 3:
            assert receiver.received == []  # not yet: the language is complete only with the last one
    ((headers, body),) = receiver.received
    payload = Webhook(hook["secret"]).verify(body, _lower(headers))  # raises on a bad signature
    assert payload["type"] == "language.approved"
    assert payload["data"] == {"article": 1, "external_id": "s1", "lang": "az", "version": 1, "segments": 3}
    assert _lower(headers)["webhook-signature"].startswith("v1,")
    with pytest.raises(Exception):  # a tampered body fails verification
        Webhook(hook["secret"]).verify(body.replace(b'"az"', b'"tr"'), _lower(headers))
    client.put("/api/v1/articles/by-external-id/s1", headers=auth,
               json={"text": "Title\nOne sentence. Three sentences.\n", "format": "txt"})
    updated = Webhook(hook["secret"]).verify(receiver.received[-1][1], _lower(receiver.received[-1][0]))
    assert updated["type"] == "article.updated" and updated["data"]["changed"] == 1
    (latest, first) = webhooks.deliveries(db)[:2]
    assert (first["event"], first["status"], first["attempts"], first["response_status"]) == \
        ("language.approved", "delivered", 1, 200)
    admin_page = browser("adam").get("/admin/cms/")
    assert "language.approved" in admin_page.text and "delivered" in admin_page.text
    assert hook["secret"] not in admin_page.text and token not in admin_page.text
    assert browser("rita").get("/admin/cms/").status_code == 403


def test_failed_deliveries_are_retried_with_backoff_then_given_up(instance, receiver, monkeypatch):
    db = instance.db()
    webhooks.add_webhook(db, receiver.url, ["job.finished"])
    receiver.status = 500
    webhooks.emit(db, "job.finished", {"job": 1})
    (delivery,) = webhooks.deliveries(db)
    delays = [deliver(db, delivery["id"]) for _ in range(webhooks.MAX_ATTEMPTS)]
    assert delays[:3] == [5.0, 25.0, 125.0] and delays[-1] is None
    (delivery,) = webhooks.deliveries(db)
    assert (delivery["status"], delivery["attempts"], delivery["error"]) == ("failed", webhooks.MAX_ATTEMPTS, "HTTP 500")
    assert len(receiver.received) == webhooks.MAX_ATTEMPTS
    # the same message id on every attempt, so the receiver can drop duplicates
    assert len({_lower(h)["webhook-id"] for h, _ in receiver.received}) == 1
    assert deliver(db, delivery["id"]) is None and len(receiver.received) == webhooks.MAX_ATTEMPTS


def test_unreachable_url_is_logged_not_raised(instance):
    db = instance.db()
    webhooks.add_webhook(db, f"http://127.0.0.1:{free_port()}/gone", ["job.finished"])
    webhooks.emit(db, "job.finished", {"job": 1})
    (delivery,) = webhooks.deliveries(db)
    assert deliver(db, delivery["id"]) == 5.0
    (delivery,) = webhooks.deliveries(db)
    assert delivery["status"] == "pending" and delivery["attempts"] == 1 and delivery["error"]


def test_webhooks_cli(cli):
    out = cli.json("webhooks", "add", "https://cms.example.org/hooks", "--events",
                   "language.approved,article.updated,job.finished")
    assert out["secret"].startswith("whsec_") and out["events"] == ["language.approved", "article.updated",
                                                                      "job.finished"]
    bad = cli("webhooks", "add", "https://cms.example.org/hooks", "--events", "language.done", ok=False)
    assert bad.exit_code == 1 and "unknown event" in bad.output and "Traceback" not in bad.output
    assert "is not an http(s) URL" in cli("webhooks", "add", "file:///etc/passwd", "--events", "job.finished",
                                          ok=False).output
    listed = json.loads(cli("webhooks", "list", "--json").stdout)
    assert listed["webhooks"][0]["url"] == "https://cms.example.org/hooks" and "secret" not in listed["webhooks"][0]
    cli("webhooks", "remove", str(out["id"]))
    assert "no active webhook" in cli("webhooks", "remove", str(out["id"]), ok=False).output
