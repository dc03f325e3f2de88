"""The editor computes only the page it shows: same segments per filter and page as filtering the
whole article, but highlighting and findings for the page's segments alone."""

from __future__ import annotations

import pytest

from workbench.data import store
from workbench.data.editor_pages import editor_page
from workbench.core.segment import segment_text
from workbench.web import editor

SENTENCES = [f"Talks number {i} were held in Baku on {i} June." for i in range(23)]


@pytest.fixture
def long_article(instance, save_as):
    db = instance.db()
    article_id = store.create_article(db, title="Long", byline=None, filename=None, fmt="txt",
                                      segmentation=segment_text("\n".join(SENTENCES) + "\n"))
    segments = store.segments(db, article_id)
    for i, segment in enumerate(segments):
        if i % 3 == 0:
            continue  # untranslated
        text = segment["text"] if i % 5 == 0 else f"Bakıda {i} iyunda {i} nömrəli danışıqlar keçirildi."
        save_as(db, segment["id"], "az", text, base_version=0, user="t",
                status="approved" if i % 4 == 0 else "edited")
    db.close()
    return article_id


def _expected(db, article_id, only):
    """The old way: a view of every segment, filtered in Python."""
    translations = store.article_translations(db, article_id, "az")
    out = []
    for segment in store.segments(db, article_id):
        t = translations.get(segment["id"])
        term = [f for f in store.rows_by_translation(db, "term_findings", [t["id"]], "id")[t["id"]]
                if f["status"] != "ok"] if t else []
        qa_rows = store.qa_findings(db, [t["id"]])[t["id"]] if t else []
        status = t["status"] if t else "untranslated"
        if (only == "findings" and not (term or qa_rows)) or (only == "unapproved" and status == "approved"):
            continue
        out.append(segment["id"])
    return out


@pytest.mark.parametrize("only", ["", "findings", "unapproved", "bogus"])
def test_pages_hold_the_same_segments_as_filtering_the_whole_article(instance, long_article, only):
    db = instance.db()
    article = store.get_article(db, long_article)
    expected = _expected(db, long_article, "" if only == "bogus" else only)
    assert 0 < len(expected)
    first = editor_page(db, article, "az", only, 1, 4)
    assert first.pages == -(-len(expected) // 4)
    shown = []
    for number in range(1, first.pages + 1):
        page = editor_page(db, article, "az", only, number, 4)
        assert page.number == number and len(page.rows) <= 4
        shown += [row.segment["id"] for row in page.rows]
        for row in page.rows:
            translation = store.get_translation(db, row.segment["id"], "az")
            assert (row.translation or {}).get("text") == (translation or {}).get("text")
            if translation:
                assert row.qa_findings == store.qa_findings(db, [translation["id"]])[translation["id"]]
    assert shown == expected
    assert editor_page(db, article, "az", only, 10 ** 9, 4).number == first.pages
    assert editor_page(db, article, "az", only, -5, 4).number == 1


def test_the_editor_highlights_only_the_segments_of_its_page(app, browser, long_article, monkeypatch):
    app.config["EDITOR_PAGE_SIZE"] = 5
    calls = []
    real = editor.highlight
    monkeypatch.setattr(editor, "highlight", lambda source, lang: calls.append(source) or real(source, lang))
    tina = browser()
    page = tina.get(f"/articles/{long_article}/az/?page=2")
    assert page.status_code == 200
    assert len(calls) == 5 and calls[0] == SENTENCES[5]
    assert "Talks number 5 were" in page.text and "Talks number 10 were" not in page.text
