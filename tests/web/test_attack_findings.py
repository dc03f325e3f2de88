"""Requests an attacker's pass turned into 500s or let through: each is now a clear 4xx."""

from __future__ import annotations

from workbench.services import translations
from workbench.data import store


def test_find_and_replace_on_a_segment_with_no_translation_replaces_nothing(browser, article, instance):
    untranslated = article["segments"][0]["id"]
    tina = browser()
    response = tina.post(f"/articles/{article['id']}/az/find/replace",
                         {"find": "a", "replace": "b", "scope": "target", "pick": f"{untranslated}:0"}, htmx=False)
    assert response.status_code == 302
    assert store.get_translation(instance.db(), untranslated, "az") is None


def test_references_that_are_not_ascii_numbers_are_400s(browser, article):
    tina = browser()
    sid = article["segments"][0]["id"]
    for value in ("²:1", "1:²", "9" * 30 + ":1", "1:-1", ":", "1:2:3"):
        replace = tina.post(f"/articles/{article['id']}/az/find/replace",
                            {"find": "a", "replace": "b", "scope": "target", "pick": value}, htmx=False)
        undo = tina.post(f"/articles/{article['id']}/az/segments/{sid}/propagation/undo", {"copies": value})
        assert (replace.status_code, undo.status_code) == (400, 400), value


def test_propagation_undo_refuses_a_segment_of_another_article(browser, article, instance):
    db = instance.db()
    from workbench.core.segment import segment_text

    other = store.create_article(db, title="Other", byline=None, filename=None, fmt="txt",
                                 segmentation=segment_text("Other talks.\n"))
    foreign = store.segments(db, other)[0]["id"]
    translations.write_drafts(db, "az", [store.Draft(foreign, "Başqa", "mt:x", [])], force=False)
    db.conn.execute("UPDATE translations SET follows = ? WHERE segment_id = ?", [foreign, foreign])
    db.conn.commit()
    version = store.get_translation(db, foreign, "az")["version"]
    db.close()
    sid = article["segments"][0]["id"]
    response = browser().post(f"/articles/{article['id']}/az/segments/{sid}/propagation/undo",
                              {"copies": f"{foreign}:{version}"})
    assert response.status_code == 404
    assert store.get_translation(instance.db(), foreign, "az")["version"] == version
