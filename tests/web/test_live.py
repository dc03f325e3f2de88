"""Issue 21 items 5 and 6 without a browser: the editor's live poll (web/editor.live_news) answers
304 while nothing changed, names colleagues' saves, comments, assignment changes and presence, and a
segment someone is typing in can be taken over explicitly (the first person is told)."""

from __future__ import annotations


from workbench.data import live, users
from workbench.services import assignments, comments
from workbench.services.actor import Actor



def _poll(client, article, since, etag=None, seg=None, typing=False):
    query = f"?since={since}" + (f"&seg={seg}" if seg else "") + ("&typing=1" if typing else "")
    headers = {"If-None-Match": etag} if etag else {}
    return client.client.get(f"/articles/{article['id']}/az/live{query}", headers=headers)


def test_poll_is_304_until_a_colleague_saves_then_names_the_segment(browser, article, instance):
    tina, rita = browser("tina"), browser("rita")
    first = _poll(tina, article, 0)
    assert first.status_code == 200 and first.json["segments"] == {}
    counter, etag = first.json["counter"], first.headers["ETag"]
    assert _poll(tina, article, counter, etag).status_code == 304
    sid = article["segments"][1]["id"]
    saved = rita.post(f"/articles/{article['id']}/az/segments/{sid}", {"text": "Rəhimov görüşdü.", "base_version": 0})
    assert saved.status_code == 200
    news = _poll(tina, article, counter, etag)
    assert news.status_code == 200
    change = news.json["segments"][str(sid)]
    assert change["by"] == "rita" and change["version"] == 1 and "Rəhimov görüşdü." in change["html"]
    assert "1 edited" in news.json["counters"]
    assert news.json["counter"] > counter
    assert _poll(tina, article, news.json["counter"], news.headers["ETag"]).status_code == 304


def test_comments_and_assignments_reach_the_open_editor(browser, article, instance):
    tina = browser("tina")
    first = _poll(tina, article, 0)
    counter = first.json["counter"]
    db = instance.db()
    sid = article["segments"][2]["id"]
    comments.add(db, Actor.person(users.get_user(db, "rita")), sid, "az", "Check the name.")
    assignments.assign(db, Actor.person(users.get_user(db, "rita")), article["id"], "az", translator="tina")
    db.close()
    news = _poll(tina, article, counter, first.headers["ETag"]).json
    assert "1 open comment" in news["segments"][str(sid)]["html"]
    assert "Translator: tina" in news["team"]


def test_presence_and_taking_over_a_segment(browser, article, instance):
    tina, rita = browser("tina"), browser("rita")
    sid = article["segments"][1]["id"]
    _poll(tina, article, 0, seg=sid, typing=True)
    seen = _poll(rita, article, 0).json
    assert seen["others"] == [{"user": "tina", "segment_id": sid, "typing": True}]
    mine = _poll(tina, article, 0, seg=sid, typing=True).json
    assert [p["user"] for p in mine["others"]] == ["rita"]  # nobody sees themselves
    taken = rita.post(f"/articles/{article['id']}/az/live/take-over/{sid}")
    assert taken.json == {"taken_from": ["tina"]}
    told = _poll(tina, article, 0, seg=sid, typing=True).json
    assert told["taken"] == {"by": "rita", "segment_id": sid}
    assert {"user": "rita", "segment_id": sid, "typing": True} in told["others"]
    assert _poll(tina, article, 0, seg=sid).json["taken"] is None  # told once


def test_presence_expires_without_heartbeats(instance, article):
    db = instance.db()
    live.heartbeat(db, article["id"], "az", "tina", None, False, now=1000.0)
    assert [p["user"] for p in live.present(db, article["id"], "az", now=1010.0)] == ["tina"]
    assert live.present(db, article["id"], "az", now=1000.0 + live.PRESENCE_SECONDS + 1) == []
    db.close()


def test_a_new_story_version_reaches_the_open_editor(browser, article, instance):
    from workbench.core.segment import segment_text
    from workbench.services import story_versions

    tina = browser("tina")
    first = _poll(tina, article, 0)
    db = instance.db()
    story_versions.update_article(db, article["id"], title=None, byline=None, filename="t2.txt", fmt="txt",
                                  segmentation=segment_text("Talks in Baku\nCol-Gen Rahimov met officials in Ganja.\n"),
                                  user="cms")
    db.close()
    news = _poll(tina, article, first.json["counter"], first.headers["ETag"]).json
    assert "The story was updated to version 2" in (news["story"] or "")
    assert news["team"] and news["counters"]
