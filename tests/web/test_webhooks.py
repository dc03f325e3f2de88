"""Webhooks: Standard Webhooks signatures checked by the `standardwebhooks` package on a loopback server,
delivery through the job queue, retries with backoff, the delivery log, the CLI."""

import json
import signal
import threading
import time

import pytest
from standardwebhooks import Webhook

from workbench.core.errors import UserError
from workbench.data import api_tokens
from workbench.data import webhooks
from workbench.queue.delivery import deliver
from workbench.queue.tasks import make_queue
from workbench.services import events, runtime


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
    # Svix's schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after the first attempt (~27 h)
    assert delays == [5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0, None]
    assert webhooks.MAX_ATTEMPTS == 8 and 26 * 3600 < sum(delays[:-1]) < 28 * 3600
    (delivery,) = webhooks.deliveries(db)
    assert (delivery["status"], delivery["attempts"], delivery["error"]) == ("failed", webhooks.MAX_ATTEMPTS, "HTTP 500")
    assert len(receiver.received) == webhooks.MAX_ATTEMPTS
    # the same message id on every attempt, so the receiver can drop duplicates
    assert len({_lower(h)["webhook-id"] for h, _ in receiver.received}) == 1
    assert deliver(db, delivery["id"]) is None and len(receiver.received) == webhooks.MAX_ATTEMPTS


def test_unreachable_url_is_logged_not_raised(instance, free_port):
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


def test_a_redirect_is_a_failed_attempt_not_followed(instance, receiver):
    db = instance.db()
    webhooks.add_webhook(db, receiver.url, ["job.finished"])
    receiver.status, receiver.location = 302, receiver.url.replace("/hooks", "/elsewhere")
    webhooks.emit(db, "job.finished", {"job": 1})
    (delivery,) = webhooks.deliveries(db)
    assert deliver(db, delivery["id"]) == 5.0  # retried like any failure
    (delivery,) = webhooks.deliveries(db)
    assert (delivery["status"], delivery["attempts"], delivery["response_status"]) == ("pending", 1, 302)
    assert "redirect" in delivery["error"] and "not followed" in delivery["error"]
    assert receiver.gets == [] and len(receiver.received) == 1  # no GET to the Location


@pytest.mark.parametrize("url", ["https://cms.example.org/hooks here", "https://cms.example.org/h\r\nX-Evil: 1",
                                 "https://cms.example.org/h\tx", "https://cms.example.org/h\x00", " https://cms.example.org/",
                                 "http://", "https://:80/x", "https://cms.example.org:99999/", "ftp://cms.example.org/"])
def test_webhook_urls_are_checked_on_registration(instance, url):
    with pytest.raises(UserError):
        webhooks.add_webhook(instance.db(), url, ["job.finished"])
    assert webhooks.list_webhooks(instance.db()) == []


def test_a_url_urllib_cannot_use_is_logged_not_crashed(instance):
    db = instance.db()
    hook = webhooks.add_webhook(db, "https://cms.example.org/hooks", ["job.finished"])
    db.execute("UPDATE webhooks SET url = 'http://127.0.0.1:1/a b' WHERE id = ?", [hook["id"]])  # stored by old code
    db.conn.commit()
    webhooks.emit(db, "job.finished", {"job": 1})
    (delivery,) = webhooks.deliveries(db)
    assert deliver(db, delivery["id"]) == 5.0
    (delivery,) = webhooks.deliveries(db)
    assert delivery["attempts"] == 1 and delivery["error"]


def test_removing_a_webhook_cancels_its_pending_deliveries(instance, receiver, cli):
    db = instance.db()
    hook = webhooks.add_webhook(db, receiver.url, ["job.finished"])
    receiver.status = 500
    webhooks.emit(db, "job.finished", {"job": 1})
    (delivery,) = webhooks.deliveries(db)
    assert deliver(db, delivery["id"]) == 5.0
    assert "1 pending deliveries cancelled" in cli("webhooks", "remove", str(hook["id"])).output
    assert deliver(db, delivery["id"]) is None and len(receiver.received) == 1  # no more retries
    (delivery,) = webhooks.deliveries(db)
    assert (delivery["status"], delivery["error"]) == ("failed", webhooks.CANCELLED)
    assert "was removed" in cli("webhooks", "resend", str(delivery["id"]), ok=False).output


def _give_up(db, delivery_id):
    while deliver(db, delivery_id) is not None:
        pass


def test_failed_deliveries_are_listed_and_resent_from_cli_api_and_admin_page(app, instance, receiver, cli, browser):
    db = instance.db()
    hook = webhooks.add_webhook(db, receiver.url, ["job.finished"])
    receiver.status = 500
    for job in (1, 2, 3):
        webhooks.emit(db, "job.finished", {"job": job})
    first, second, third = sorted(d["id"] for d in webhooks.deliveries(db))
    for delivery_id in (first, second, third):
        _give_up(db, delivery_id)
    receiver.status = 200
    received = len(receiver.received)
    admin = api_tokens.add_token(db, "ops", "admin")["token"]
    translator = api_tokens.add_token(db, "cms", "translator")["token"]
    client = app.test_client()
    listed = client.get("/api/v1/webhooks/deliveries?status=failed", headers={"Authorization": f"Bearer {admin}"})
    assert listed.status_code == 200
    assert [(d["id"], d["status"], d["error"], d["attempts"]) for d in listed.json["deliveries"]] == \
        [(i, "failed", "HTTP 500", webhooks.MAX_ATTEMPTS) for i in (third, second, first)]
    assert client.get("/api/v1/webhooks/deliveries", headers={"Authorization": f"Bearer {translator}"}).status_code == 403
    assert client.post(f"/api/v1/webhooks/deliveries/{first}/resend",
                       headers={"Authorization": f"Bearer {translator}"}).status_code == 403
    # the API (the test app's queue runs tasks at once)
    resent = client.post(f"/api/v1/webhooks/deliveries/{first}/resend", headers={"Authorization": f"Bearer {admin}"})
    assert resent.status_code == 202, resent.text
    assert webhooks.get_delivery(db, first)["status"] == "delivered"
    assert client.post("/api/v1/webhooks/deliveries/999/resend",
                       headers={"Authorization": f"Bearer {admin}"}).status_code == 404
    # the admin page
    page = browser("adam").get("/admin/cms/")
    assert f'aria-label="Re-send delivery {second}"' in page.text and "27.6 h" in page.text
    assert browser("adam").post(f"/admin/cms/deliveries/{second}/resend", htmx=False).status_code == 302
    assert webhooks.get_delivery(db, second)["status"] == "delivered"
    assert browser("rita").post(f"/admin/cms/deliveries/{third}/resend", htmx=False).status_code == 403
    # the CLI: queued for the running server or worker
    assert "queued again" in cli("webhooks", "resend", str(third)).output
    assert webhooks.get_delivery(db, third)["status"] == "pending"
    assert "still pending" in cli("webhooks", "resend", str(third), ok=False).output
    assert [d["id"] for d in cli.json("webhooks", "deliveries", "--status", "pending")["deliveries"]] == [third]
    deliver(db, third)
    assert webhooks.get_delivery(db, third)["status"] == "delivered"
    ids = {_lower(h)["webhook-id"] for h, _ in receiver.received[received:]}
    assert len(receiver.received) == received + 3 and len(ids) == 3  # each with its own message id, as before
    spec = client.get("/api/v1/openapi.json").json
    assert "/api/v1/webhooks/deliveries" in spec["paths"]
    assert "/api/v1/webhooks/deliveries/{delivery_id}/resend" in spec["paths"]
    assert hook["secret"] not in listed.text


def test_a_delivery_in_flight_when_the_server_is_killed_is_sent_after_restart(instance, receiver, start_server):
    """kill -9 during the POST: the delivery was queued and never recorded an attempt. The next
    `workbench serve` (or worker) sees the process holding it is gone and sends it again."""
    db = instance.db()
    webhooks.add_webhook(db, receiver.url, ["job.finished"])
    receiver.hold = threading.Event()
    process, _ = start_server(instance)
    try:
        # an event recorded and handed to the server's queue, as a CLI command does
        webhooks.emit(db, "job.finished", {"job": 1})
        runtime.use(make_queue(instance.path))
        assert events.send_pending(db) == 1
        deadline = time.monotonic() + 60
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(receiver.received) == 1  # in flight
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        receiver.hold.set()
        if process.poll() is None:
            process.kill()
    receiver.hold = None
    (delivery,) = webhooks.deliveries(db)
    assert (delivery["status"], delivery["attempts"]) == ("pending", 0)
    process, _ = start_server(instance)
    try:
        deadline = time.monotonic() + 60
        while webhooks.deliveries(db)[0]["status"] != "delivered" and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=10)
    (delivery,) = webhooks.deliveries(db)
    assert (delivery["status"], delivery["attempts"]) == ("delivered", 1)
    assert len({_lower(h)["webhook-id"] for h, _ in receiver.received}) == 1  # the same message, twice


def test_a_delivery_whose_lease_ran_out_is_queued_again(instance, receiver, job_queue):
    """A queued delivery lost by its queue (its lease ran out) is handed out again by recover()."""
    db = instance.db()
    webhooks.add_webhook(db, receiver.url, ["job.finished"])
    webhooks.emit(db, "job.finished", {"job": 1})
    assert webhooks.claim_unqueued(db)  # queued, then the queue lost it
    assert events.requeue_lost(db, job_queue) == 0  # its lease still runs
    db.execute("UPDATE webhook_deliveries SET lease_until = '2000-01-01T00:00:00+00:00'")
    db.conn.commit()
    assert events.requeue_lost(db, job_queue) == 1
    assert events.requeue_lost(db, job_queue) == 0  # leased again
    assert len(job_queue.huey) == 1
