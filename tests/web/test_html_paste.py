"""HTML import from the dashboard: the warning about left-out page text, and inline markup."""

from pathlib import Path

from workbench.core.codes import close_char, open_char, plain
from workbench.data import store

NEWS_PAGE = Path(__file__).parent.parent / "data" / "news-page.html"


def test_web_import_shows_the_warning_and_stores_every_block(browser, instance):
    tina = browser("tina")
    response = tina.post("/articles", {"text": NEWS_PAGE.read_text(encoding="utf-8"), "format": "html"},
                         htmx=False, follow_redirects=True)
    assert response.status_code == 200
    assert "Warning: pasted.html: left out 4 piece(s) of page text" in response.text
    db = instance.db()
    [article] = store.list_articles(db)
    texts = [s["text"] for s in store.segments(db, article["id"])]
    assert "Loose text directly in the story body." in texts and "Azerbaijan" in texts
    db.close()


def test_web_paste_of_inline_markup_adds_no_space(browser, instance):
    tina = browser("tina")
    tina.post("/articles", {"text": "<p>The talks end on <b>May 5</b>.</p>", "format": "html"}, htmx=False)
    db = instance.db()
    [article] = store.list_articles(db)
    [segment] = store.segments(db, article["id"])
    assert plain(segment["text"]) == "The talks end on May 5."  # the <b> is an inline code around "May 5"
    assert segment["text"] == f"The talks end on {open_char(1)}May 5{close_char(1)}."
    db.close()
