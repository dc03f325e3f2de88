"""Issue 21 item 4: My work — each person's assigned languages with progress, state, due time
(overdue and due soon marked, sorted by due), open comments and the reason of a send-back, with
filters; everyone's by person and by deadline for reviewers and admins; the start page after
sign-in for people with open work; the same list from the API."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from workbench.core.segment import segment_text
from workbench.data import api_tokens, comments, store, users
from workbench.services import assignments
from workbench.services.actor import Actor

from tests.web.conftest import PASSWORD

RITA = Actor.person({"name": "rita", "role": "reviewer"})


def _at(hours: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(hours=hours)).isoformat(timespec="seconds").replace("+00:00", "Z")


@pytest.fixture
def work(instance, article):
    """tina: az overdue (sent back, one open comment), ru due in 3 hours, tr due in 3 days; rita
    reviews az; a second article's az is adam's; a token owned by tina."""
    db = instance.db()
    aid = article["id"]
    assignments.assign(db, RITA, aid, "az", translator="tina", reviewer="rita", due=_at(-2))
    assignments.assign(db, RITA, aid, "ru", translator="tina", due=_at(3))
    assignments.assign(db, RITA, aid, "tr", translator="tina", due=_at(72))
    assignments.submit(db, Actor.person({"name": "tina", "role": "translator"}), aid, "az")
    assignments.send_back(db, RITA, aid, "az", "Check the rank in segment 2")
    comments.add(db, article["segments"][1]["id"], "az", author="rita", body="Col-Gen is general-colonel")
    other = store.create_article(db, title="Floods in Lankaran", byline=None, filename="f.txt", fmt="txt",
                                 segmentation=segment_text("Floods in Lankaran\nRivers rose.\n"))
    assignments.assign(db, RITA, other, "az", translator="adam", due=_at(1))
    token = api_tokens.add_token(db, "tina-cli", "translator", owner="tina")["token"]
    db.close()
    return {"article": aid, "other": other, "token": token}


def test_my_work_lists_my_languages_by_due_with_marks_and_filters(browser, work):
    tina = browser("tina")
    page = tina.get("/my-work").text
    rows = re.findall(r"<tr class=\"([^\"]*)\">(.*?)</tr>", page, re.S)
    assert [re.search(r"<td>(az|ru|tr)</td>", body).group(1) for _, body in rows] == ["az", "ru", "tr"]
    marks = [cls for cls, _ in rows]
    assert marks == ["overdue", "due-soon", ""]
    az = rows[0][1]
    assert "sent back" in az and "Sent back: Check the rank in segment 2" in az and "1 open comment" in az
    assert "0 approved, 0 edited, 0 MT drafts, 3 untranslated of 3" in az
    assert "Floods in Lankaran" not in page  # adam's; tina sees no team overview
    assert "Everyone's work by deadline" not in page
    only_overdue = tina.get("/my-work?overdue=1").text
    assert "<td>az</td>" in only_overdue and "<td>ru</td>" not in only_overdue
    by_lang = tina.get("/my-work?lang=tr").text
    assert "<td>tr</td>" in by_lang and "<td>az</td>" not in by_lang
    by_state = tina.get("/my-work?state=sent+back").text
    assert "<td>az</td>" in by_state and "<td>tr</td>" not in by_state
    bad = tina.get("/my-work?state=lost", follow_redirects=True).text
    assert "state: no state &#39;lost&#39;" in bad


def test_reviewers_see_everyone_by_person_and_by_deadline(browser, work):
    page = browser("rita").get("/my-work").text
    assert "Everyone's work by deadline" in page and "<h3>adam</h3>" in page and "<h3>tina</h3>" in page
    deadline = page.split("Everyone's work by deadline")[1].split("By person")[0]
    assert deadline.index("Talks in Baku") < deadline.index("Floods in Lankaran")  # az overdue before adam's


def test_people_with_open_work_land_on_my_work(app, instance, work):
    client = app.test_client()
    login = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
    answer = client.post("/login", data={"username": "tina", "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/my-work")
    nav = client.get("/").text
    assert 'href="/my-work"' in nav and "<h1>Articles</h1>" in nav  # the dashboard stays reachable
    db = instance.db()
    users.add_user(db, "tom", PASSWORD, "translator")  # nothing assigned: the dashboard
    db.close()
    other = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', other.get("/login").text).group(1)
    answer = other.post("/login", data={"username": "tom", "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"


def test_the_api_gives_the_token_owner_the_same_list(api, work):
    answer = api("GET", "/my-work", token=work["token"])
    assert answer.status_code == 200, answer.text
    items = answer.get_json()
    assert [(i["lang"], i["state"], i["overdue"], i["due_soon"]) for i in items] == [
        ("az", "sent back", True, False), ("ru", "translating", False, True), ("tr", "translating", False, False)]
    assert items[0]["reason"] == "Check the rank in segment 2" and items[0]["open_comments"] == 1
    assert items[0]["roles"] == ["translator"] and items[0]["progress"]["total"] == 3
    assert [i["lang"] for i in api("GET", "/my-work?overdue=true", token=work["token"]).get_json()] == ["az"]
