"""Issue 21 item 7: notifications — the bell and its list, what causes them (assigned, sent back
with the reason, @mention, due within the hour, story updated, approved), mark read, and e-mail
through a real SMTP server (aiosmtpd) after the commit, for the kinds each person chose."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler

from workbench.core.formats.articles import parse_article
from workbench.data import notifications as stored, store
from workbench.services import assignments, story_versions, translations
from workbench.services.actor import Actor

RITA = Actor.person({"name": "rita", "role": "reviewer"})
TINA = Actor.person({"name": "tina", "role": "translator"})
BELL = re.compile(r'aria-label="(Notifications, \d+ unread)"')


def _bell(client) -> str:
    return BELL.search(client.get("/notifications").text).group(1)


def _kinds(instance, person: str) -> list[str]:
    db = instance.db()
    try:
        return [row["kind"] for row in reversed(stored.for_person(db, person))]
    finally:
        db.close()


def test_assignment_send_back_mention_and_approval_reach_the_bell(browser, instance, article):
    rita, tina = browser("rita"), browser("tina")
    assert _bell(tina) == "Notifications, 0 unread"
    url = f"/articles/{article['id']}/az"
    rita.post(f"{url}/assignment", data={"translator": "tina", "reviewer": "rita", "due": ""}, htmx=False)
    assert _kinds(instance, "tina") == ["assigned"]
    assert _kinds(instance, "rita") == []  # nobody is told of their own action
    tina.post(f"{url}/submit", htmx=False)
    rita.post(f"{url}/send-back", data={"reason": "The title reads like a machine's"}, htmx=False)
    seg = article["segments"][1]
    rita.post(f"{url}/segments/{seg['id']}/comments", data={"body": "@tina check the rank, and @nobody"})
    assert _kinds(instance, "tina") == ["assigned", "sent_back", "mentioned"]
    page = tina.get("/notifications").text
    assert "Reason: The title reads like a machine&#39;s" in page or "Reason: The title reads like a machine's" in page
    assert "@tina check the rank" in page and _bell(tina) == "Notifications, 3 unread"
    db = instance.db()
    for s in article["segments"]:  # rita approves every segment: the language is approved
        translations.save(db, RITA, s["id"], "az", s["text"], base_version=0, approve=True,
                          reason="names only")
    db.close()
    assert _kinds(instance, "tina")[-1] == "approved"
    first = stored.for_person(instance.db(), "tina")[-1]
    tina.post(f"/notifications/{first['id']}/read", htmx=False)
    assert _bell(tina) == "Notifications, 3 unread"
    refused = rita.post(f"/notifications/{first['id']}/read", htmx=False, follow_redirects=True)
    assert "that notification is not yours" in refused.text and _bell(tina) == "Notifications, 3 unread"
    tina.post("/notifications/read", htmx=False)
    assert _bell(tina) == "Notifications, 0 unread"


def test_story_update_and_due_within_the_hour(browser, instance, article):
    db = instance.db()
    soon = (datetime.now(timezone.utc) + timedelta(minutes=30)).isoformat(timespec="seconds")
    later = (datetime.now(timezone.utc) + timedelta(hours=5)).isoformat(timespec="seconds")
    assignments.assign(db, RITA, article["id"], "az", translator="tina", due=soon)
    assignments.assign(db, RITA, article["id"], "tr", translator="tina", due=later)
    doc = parse_article(b"Talks in Baku\nCol-Gen Rahimov met officials in Ganja.\n", "t.txt", "txt")
    story_versions.store_version(db, Actor.person({"name": "adam", "role": "admin"}), article["id"], doc)
    db.close()
    tina = browser("tina")
    page = tina.get("/notifications").text
    assert "changed under your az work (version 2)" in page and "changed under your tr work" in page
    assert page.count("Due within the hour") == 1 and "(az) is due at" in page
    tina.get("/notifications")  # shown again: not added twice
    assert _kinds(instance, "tina").count("due_soon") == 1


class _Smtp:
    def __init__(self, port: int):
        self.messages = []
        outer = self

        class Handler(MessageHandler):
            def handle_message(self, message):
                outer.messages.append(message)

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)

    def wait(self, count: int, seconds: float = 5.0) -> list:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def smtp_server(free_port, instance):
    """A real SMTP server (aiosmtpd) on a free port, named in the instance's [mail] settings."""
    port = free_port()
    server = _Smtp(port)
    server.controller.start()
    instance.settings_file.write_text(f'[mail]\nhost = "127.0.0.1"\nport = {port}\nfrom = "desk@example.org"\n')
    yield server
    server.controller.stop()


def test_email_goes_out_after_the_commit_for_the_kinds_chosen(browser, instance, article, smtp_server):
    tina, rita = browser("tina"), browser("rita")
    tina.post("/notifications/settings", data={"email": "tina@example.org", "kinds": ["sent_back"]}, htmx=False)
    settings_page = tina.get("/notifications/settings").text
    assert 'value="tina@example.org"' in settings_page
    url = f"/articles/{article['id']}/ru"
    rita.post(f"{url}/assignment", data={"translator": "tina", "reviewer": "rita"}, htmx=False)
    tina.post(f"{url}/submit", htmx=False)
    rita.post(f"{url}/send-back", data={"reason": "Use the agency's spelling of Rahimov"}, htmx=False)
    messages = smtp_server.wait(1)
    time.sleep(0.3)
    assert len(messages) == 1, [m["Subject"] for m in messages]  # "assigned" was not chosen
    mail = messages[0]
    assert mail["To"] == "tina@example.org" and mail["From"] == "desk@example.org"
    assert mail["Subject"] == "[Workbench] Talks in Baku (ru) was sent back"
    body = mail.get_payload(decode=True).decode()
    assert "“Talks in Baku”" in body and "ru translation" in body and "language ru" in body
    assert "Reason: Use the agency's spelling of Rahimov" in body
    db = instance.db()
    assert [row["mail"] for row in stored.for_person(db, "tina")] == ["sent", None]
    db.close()


def test_bad_address_and_unknown_kind_are_refused(browser, instance):
    tina = browser("tina")
    answer = tina.post("/notifications/settings", data={"email": "tina at example", "kinds": ["assigned"]},
                       htmx=False, follow_redirects=True)
    assert "e-mail: &#39;tina at example&#39; is not an address" in answer.text


def test_the_bell_is_named_with_the_unread_count_in_a_real_browser(chromium, server, login):
    """Chromium's accessibility tree names the bell "Notifications, N unread"; Mark all read empties it."""
    from playwright.sync_api import expect

    db = server["instance"].db()
    stored.add(db, {"person": "tom", "kind": "mentioned", "article_id": server["article"], "lang": "az",
                    "title": "rita mentioned you", "body": "@tom look at segment 2", "by": "rita",
                    "created_at": store.now()}, mail=False)
    db.conn.commit()
    unread = stored.unread(db, "tom")
    db.close()
    page = chromium.new_page()
    login(page, server["url"], "tom")
    bell = page.get_by_role("link", name=re.compile(r"^Notifications, \d+ unread$"))
    expect(bell).to_have_accessible_name(f"Notifications, {unread} unread")
    bell.click()
    expect(page.get_by_text("@tom look at segment 2")).to_be_visible()
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_role("link", name=re.compile("^Notifications"))).to_have_accessible_name("Notifications, 0 unread")
