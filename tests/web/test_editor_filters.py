"""Editor filters (status, QA severity, text) and counts: the filter line says x of y shown."""

from __future__ import annotations

import re

from workbench.data import store


def _editor(article, query=""):
    return f"/articles/{article['id']}/az/{query}"


def _shown(html):
    return re.search(r'class="filter-line"[^>]*>([^<]*)<', html).group(1).strip()


def _seed(instance, article, save_as):
    db = instance.db()
    one, two, three = (s["id"] for s in article["segments"])
    save_as(db, one, "az", "Bakıda danışıqlar", base_version=0, user="tina")
    save_as(db, two, "az", "Col-Gen Rahimov met officials in Baku.", base_version=0, user="tina")
    save_as(db, three, "az", "Onlar <script>alert(1)</script> planları müzakirə etdilər.", base_version=0, user="rita",
            status="approved")
    db.close()


def test_status_qa_and_text_filters_say_how_many_are_shown(browser, article, instance, save_as):
    _seed(instance, article, save_as)
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


def test_pages_keep_the_filter(browser, article, instance, app, save_as):
    _seed(instance, article, save_as)
    app.config["EDITOR_PAGE_SIZE"] = 1
    page = browser().get(_editor(article, "?status=unapproved")).text
    assert "page=2&amp;status=unapproved" in page or "status=unapproved&amp;page=2" in page


def test_segment_and_article_counts(browser, article, instance, save_as):
    _seed(instance, article, save_as)
    page = browser().get(_editor(article)).text
    # Segment 2: "Col-Gen Rahimov met officials in Baku. They discussed <script>alert(1)</script> plans."
    source = article["segments"][1]["text"]
    from workbench.core import counts
    assert f"{counts.words(source)} words · {len(source)} chars" in page
    assert "2 words · 17 chars" in page  # "Bakıda danışıqlar"
    total_source = sum(counts.words(s["text"]) for s in article["segments"])
    assert f"Source: {total_source} words" in page
    assert "Translation: 16 words" in page  # 2 + 6 + 8


def _keeps(filters, view) -> bool:
    """The filter as the editor applied it to every segment's view before it moved into SQL."""
    from workbench.data.editor_pages import fold

    status = view["status"]
    if filters.status == "unapproved" and status == "approved":
        return False
    if filters.status not in ("", "unapproved") and status != filters.status:
        return False
    severities = {f["severity"] for f in view["qa"]} | {
        "error" if f["status"] == "forbidden" else "warning" for f in view["findings"]}
    if (filters.qa == "any" and not severities) or (filters.qa == "none" and severities):
        return False
    if (filters.qa == "error" and "error" not in severities) or (filters.qa == "warning" and severities != {"warning"}):
        return False
    if filters.text:
        needle = fold(filters.text)
        if needle not in fold(view["segment"]["text"]) and needle not in fold(view["text"] or ""):
            return False
    return not (filters.comments and not view["open_comments"])


def test_the_sql_filters_keep_exactly_what_filtering_every_segment_kept(instance):
    """Status, QA severity, text and open-comment filters, in every combination, on random data."""
    import itertools
    import random

    from workbench.core.segment import segment_text
    from workbench.web.editor_filters import QA_FILTERS, STATUS_FILTERS, Filters, matching_ids

    rng = random.Random(3)
    db = instance.db()
    words = ["Baku", "İSTANBUL", "planları", "talks", "Ilham", "army"]
    sentences = [" ".join(rng.choice(words) for _ in range(4)).capitalize() + "." for _ in range(80)]
    article_id = store.create_article(db, title="F", byline=None, filename=None, fmt="txt",
                                      segmentation=segment_text("\n".join(sentences) + "\n"))
    segments = store.segments(db, article_id)
    for segment in segments:
        status = rng.choice(["none", "mt_draft", "edited", "approved", "source_changed", "untranslated"])
        if status == "none":
            continue
        text = " ".join(rng.choice(words + ["istanbul", "Plan"]) for _ in range(3)) if status != "untranslated" else ""
        db.conn.execute("INSERT INTO translations (segment_id, lang, text, status, updated_at) VALUES (?, 'az', ?, ?, '')",
                        [segment["id"], text, status])
        tid = db.conn.execute("SELECT last_insert_rowid()").fetchone()[0]
        for _ in range(rng.choice([0, 0, 1, 2])):
            db.conn.execute("INSERT INTO qa_findings (translation_id, \"check\", severity, message) VALUES (?, 'x', ?, 'm')",
                            [tid, rng.choice(["error", "warning"])])
        for _ in range(rng.choice([0, 0, 1, 2])):
            db.conn.execute("INSERT INTO term_findings (translation_id, glossary, concept, status, source_text, "
                            "source_start) VALUES (?, 'g', 'c', ?, 's', 0)", [tid, rng.choice(["ok", "missing", "forbidden"])])
    for segment in rng.sample(segments, 20):
        db.conn.execute("INSERT INTO segment_comments (segment_id, lang, author, body, created_at, resolved_at) "
                        "VALUES (?, ?, 'tina', 'b', '', ?)", [segment["id"], rng.choice(["az", "tr"]),
                                                             rng.choice([None, "2026-01-01"])])
    db.conn.commit()
    translations = store.article_translations(db, article_id, "az")
    ids = [t["id"] for t in translations.values()]
    from workbench.data import comments, termbase as store_terms

    terms, qa, tallies = store_terms.findings_for(db, ids), store.qa_findings(db, ids), comments.counts(db, article_id, "az")
    views = []
    for segment in segments:
        t = translations.get(segment["id"])
        views.append({"segment": segment, "status": t["status"] if t else "untranslated", "text": t["text"] if t else "",
                      "qa": qa[t["id"]] if t else [], "findings": [f for f in terms[t["id"]] if f["status"] != "ok"] if t else [],
                      "open_comments": tallies.get(segment["id"], {}).get("open")})
    article = store.get_article(db, article_id)
    tried = 0
    for status, qa_filter, text, open_comments in itertools.product(
            STATUS_FILTERS, QA_FILTERS, ["", "istanbul", "PLANLARI", "ilham"], [False, True]):
        filters = Filters(status=status, qa=qa_filter, text=text, comments=open_comments)
        expected = {v["segment"]["id"] for v in views if _keeps(filters, v)}
        got = matching_ids(db, article, "az", filters)
        assert got == (expected if filters.status or filters.qa or filters.text or filters.comments else None), filters
        tried += bool(expected)
    assert tried > 100  # most combinations keep something: the comparison is not of empty sets
    db.close()
