"""Editor filters (status, QA severity, text) and counts: the filter line says x of y shown."""

from __future__ import annotations

import re

from workbench import store


def _editor(article, query=""):
    return f"/articles/{article['id']}/az/{query}"


def _shown(html):
    return re.search(r'class="filter-line"[^>]*>([^<]*)<', html).group(1).strip()


def _seed(instance, article):
    db = instance.db()
    one, two, three = (s["id"] for s in article["segments"])
    store.save_translation(db, one, "az", "Bakıda danışıqlar", base_version=0, user="tina")
    store.save_translation(db, two, "az", "Col-Gen Rahimov met officials in Baku.", base_version=0, user="tina")
    store.save_translation(db, three, "az", "Onlar <script>alert(1)</script> planları müzakirə etdilər.", base_version=0, user="rita",
                           status="approved")
    db.close()


def test_status_qa_and_text_filters_say_how_many_are_shown(browser, article, instance):
    _seed(instance, article)
    tina = browser()
    page = tina.get(_editor(article)).text
    assert _shown(page) == "3 of 3 segments shown"
    approved = tina.get(_editor(article, "?status=approved")).text
    assert _shown(approved) == "1 of 3 segments shown" and approved.count('class="seg ') == 1
    assert _shown(tina.get(_editor(article, "?status=unapproved")).text) == "2 of 3 segments shown"
    # Segment 2 was left in English: a QA error.
    errors = tina.get(_editor(article, "?qa=error")).text
    assert _shown(errors) == "1 of 3 segments shown" and 'aria-label="Translation of segment 2"' in errors
    clean = tina.get(_editor(article, "?qa=none")).text
    assert 'aria-label="Translation of segment 2"' not in clean
    # Text matches source or translation, ignoring case.
    text = tina.get(_editor(article, "?text=PLANLARI")).text
    assert _shown(text) == "1 of 3 segments shown" and 'aria-label="Translation of segment 3"' in text
    combined = tina.get(_editor(article, "?status=approved&text=baku")).text
    assert _shown(combined) == "0 of 3 segments shown"
    # Unknown values are ignored rather than failing.
    assert _shown(tina.get(_editor(article, "?status=bogus&qa=x")).text) == "3 of 3 segments shown"


def test_pages_keep_the_filter(browser, article, instance, app):
    _seed(instance, article)
    app.config["EDITOR_PAGE_SIZE"] = 1
    page = browser().get(_editor(article, "?status=unapproved")).text
    assert "page=2&amp;status=unapproved" in page or "status=unapproved&amp;page=2" in page


def test_segment_and_article_counts(browser, article, instance):
    _seed(instance, article)
    page = browser().get(_editor(article)).text
    # Segment 2: "Col-Gen Rahimov met officials in Baku. They discussed <script>alert(1)</script> plans."
    source = article["segments"][1]["text"]
    from workbench import counts
    assert f"{counts.words(source)} words · {len(source)} chars" in page
    assert "2 words · 17 chars" in page  # "Bakıda danışıqlar"
    total_source = sum(counts.words(s["text"]) for s in article["segments"])
    assert f"Source: {total_source} words" in page
    assert "Translation: 16 words" in page  # 2 + 6 + 8
