"""Exports say when segments are not approved; --require-approved refuses them."""

from __future__ import annotations

from workbench.data import reports, store
from workbench.core.segment import segment_text


def _article(db):
    article_id = store.create_article(db, title="T", byline=None, filename=None, fmt="txt",
                                      segmentation=segment_text("One.\nTwo.\nThree.\n"))
    return article_id, [s["id"] for s in store.segments(db, article_id)]


def test_unapproved_summary():
    counts = {"untranslated": 2, "mt_draft": 0, "edited": 1, "approved": 2, "source_changed": 0, "total": 5}
    assert reports.unapproved(counts) == "3 of 5 segments are not approved (2 untranslated, 1 edited)"
    assert reports.unapproved({**counts, "untranslated": 0, "edited": 0, "approved": 5}) is None


def test_cli_require_approved_refuses_then_exports(cli, db, tmp_path):
    article_id, ids = _article(db)
    out = tmp_path / "a.txt"
    refused = cli("export", str(article_id), "--lang", "az", "--require-approved", "-o", str(out), ok=False)
    assert refused.exit_code == 1 and not out.exists()
    assert "3 of 3 segments are not approved (3 untranslated)" in refused.output
    assert "Traceback" not in refused.output
    warned = cli("export", str(article_id), "--lang", "az", "-o", str(out))
    assert "Warning: article 1 in az: 3 of 3 segments are not approved" in warned.output and out.exists()
    for sid, text in zip(ids, ["Bir.", "İki.", "Üç."]):
        store.save_translation(db, sid, "az", text, base_version=0, user="rita", status="approved")
    done = cli("export", str(article_id), "--lang", "az", "--require-approved", "-o", str(out))
    assert "Warning" not in done.output and out.read_text(encoding="utf-8").split() == ["Bir.", "İki.", "Üç."]


def test_editor_warns_before_download(browser, instance):
    db = instance.db()
    article_id, ids = _article(db)
    store.save_translation(db, ids[0], "az", "Bir.", base_version=0, user="rita", status="approved")
    db.close()
    page = browser("tina").get(f"/articles/{article_id}/az/").text
    assert "Exports are not final: 2 of 3 segments are not approved (2 untranslated)." in page
    db = instance.db()
    for sid, text in zip(ids[1:], ["İki.", "Üç."]):
        store.save_translation(db, sid, "az", text, base_version=0, user="rita", status="approved")
    db.close()
    assert "Exports are not final" not in browser("tina").get(f"/articles/{article_id}/az/").text
