"""One rule, one place: creating an article and storing a story version behave the same through the
web, the API and the CLI (role, version precondition, identical text, author, events)."""

from __future__ import annotations

import getpass
import io

V1 = "Talks in Baku\nCol-Gen Rahimov met officials in Baku. They discussed plans.\n"
V2 = "Talks in Baku\nCol-Gen Rahimov met officials in Ganja. They discussed plans.\n"


def _articles(instance):
    db = instance.db()
    try:
        return {row["title"]: row for row in db.query(
            "SELECT a.id, a.title, a.version, a.created_by, v.created_by AS version_by FROM articles a "
            "JOIN article_versions v ON v.article_id = a.id AND v.version = a.version")}
    finally:
        db.close()


def _article(instance, article_id):
    return next(a for a in _articles(instance).values() if a["id"] == article_id)


def _events(cli, event):
    return [d for d in cli.json("webhooks", "list")["deliveries"] if d["event"] == event]


def _web_upload(client, article_id, text, base_version):
    return client.post(f"/articles/{article_id}/versions/", htmx=False, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(text.encode()), "v.txt"), "base_version": str(base_version)})


def test_create_article_credits_the_actor_through_every_door(browser, cms_api, cli, tmp_path):
    assert browser("tina").post("/articles", {"text": "Web story\nOne sentence.\n", "format": "txt"},
                                htmx=False).status_code == 302
    assert cms_api.post("/api/v1/articles", json={"text": "Api story\nTwo sentences.\n"}).status_code == 201
    (tmp_path / "a.txt").write_text("Cli story\nThree sentences.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Os story\nFour sentences.\n", encoding="utf-8")
    assert cli.json("import", str(tmp_path / "a.txt"), "--user", "rita")["segments"] == 2
    assert cli.json("import", str(tmp_path / "b.txt"))["segments"] == 2  # no --user: the OS account
    made = {title: (row["created_by"], row["version_by"]) for title, row in _articles(cli.instance).items()}
    assert made == {"Web story": ("tina", "tina"), "Api story": ("api:cms", "api:cms"),
                    "Cli story": ("rita", "rita"), "Os story": (getpass.getuser(), getpass.getuser())}


def test_an_identical_version_is_no_version_through_every_door(browser, cms_api, cli, hook, tmp_path):
    cms_api.put("/api/v1/articles/by-external-id/s1", json={"text": V1})
    article_id = _articles(cli.instance)["Talks in Baku"]["id"]
    tina = browser("tina")
    same = _web_upload(tina, article_id, V1, 1)
    assert same.status_code == 302
    assert "the same text and title as version 1" in tina.get(same.headers["Location"]).text
    (tmp_path / "same.txt").write_text(V1, encoding="utf-8")
    out = cli.json("import", str(tmp_path / "same.txt"), "--update", str(article_id))
    assert (out["version"], out["changed"], out["added"], out["removed"]) == (1, 0, 0, 0)
    again = cms_api.put("/api/v1/articles/by-external-id/s1", json={"text": V1})
    assert again.status_code == 200 and again.json["version"] == 1
    assert _article(cli.instance, article_id)["version"] == 1
    assert _events(cli, "article.updated") == []


def test_a_changed_version_is_credited_to_its_actor_with_one_event_each(browser, cms_api, cli, hook, tmp_path):
    cms_api.put("/api/v1/articles/by-external-id/s1", json={"text": V1})
    article_id = _articles(cli.instance)["Talks in Baku"]["id"]
    assert _web_upload(browser("tina"), article_id, V2, 1).status_code == 302
    assert _article(cli.instance, article_id)["version_by"] == "tina"
    (tmp_path / "v3.txt").write_text(V1, encoding="utf-8")
    cli.json("import", str(tmp_path / "v3.txt"), "--update", str(article_id), "--user", "rita")
    assert _article(cli.instance, article_id)["version_by"] == "rita"
    (tmp_path / "v4.txt").write_text(V2, encoding="utf-8")
    cli.json("import", str(tmp_path / "v4.txt"), "--update", str(article_id))
    assert _article(cli.instance, article_id)["version_by"] == getpass.getuser()
    assert cms_api.put("/api/v1/articles/by-external-id/s1", json={"text": V1}).json["version"] == 5
    assert _article(cli.instance, article_id)["version_by"] == "api:cms"
    assert [e["event"] for e in _events(cli, "article.updated")] == ["article.updated"] * 4


def test_a_stale_base_version_is_a_conflict_through_every_door(browser, cms_api, cli, hook, tmp_path):
    cms_api.put("/api/v1/articles/by-external-id/s1", json={"text": V1})
    article_id = _articles(cli.instance)["Talks in Baku"]["id"]
    assert cms_api.put("/api/v1/articles/by-external-id/s1", json={"text": V2, "base_version": 1}).json["version"] == 2
    stale_web = _web_upload(browser("tina"), article_id, V1, 1)
    assert stale_web.status_code == 409 and "at version 2 now, not 1" in stale_web.text
    (tmp_path / "old.txt").write_text(V1, encoding="utf-8")
    stale_cli = cli("import", str(tmp_path / "old.txt"), "--update", str(article_id), "--base-version", "1",
                    ok=False)
    assert stale_cli.exit_code == 1 and "at version 2 now, not 1" in stale_cli.output
    stale_api = cms_api.put("/api/v1/articles/by-external-id/s1", json={"text": V1, "base_version": 1})
    assert stale_api.status_code == 409 and "at version 2 now, not 1" in stale_api.json["detail"]
    assert _article(cli.instance, article_id)["version"] == 2
    assert len(_events(cli, "article.updated")) == 1
    # The CMS's save without a base version keeps its contract: stored, whatever the version.
    assert cms_api.put("/api/v1/articles/by-external-id/s1", json={"text": V1}).json["version"] == 3


def test_an_unknown_cli_user_is_refused(cli, tmp_path):
    (tmp_path / "a.txt").write_text("Story\nOne.\n", encoding="utf-8")
    refused = cli("import", str(tmp_path / "a.txt"), "--user", "nobody", ok=False)
    assert refused.exit_code != 0 and "nobody" in refused.output and "Traceback" not in refused.output
    assert _articles(cli.instance) == {}
