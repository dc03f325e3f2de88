"""The side panel: order, concept notes, MT quality hints, history credits and diffs, comments."""

from __future__ import annotations

import re

from workbench.services import translations
from workbench.core import hints
from workbench.data import store
from workbench.web.editor_tools import credit


def _url(article, number, lang="az"):
    return f"/articles/{article['id']}/{lang}/segments/{article['segments'][number - 1]['id']}"


def _draft(instance, article, number, lang="az", user="adam"):
    db = instance.db()
    translations.write_drafts(db, lang, [store.Draft(
        article["segments"][number - 1]["id"], "General-polkovnik Rəhimov Bakıda rəsmilərlə görüşdü.",
        "mt:argos-en-az-1.9",
        [{"text": "General-polkovnik Rəhimov Bakıda rəsmilərlə görüşdü.", "score": -2.1, "rank": 0},
         {"text": "Rəhimov Bakıda görüşdü.", "score": -101.9, "rank": 1}])], force=False, user=user)
    db.close()


def test_panel_order_quality_hints_and_concept_note(browser, article, instance):
    _draft(instance, article, 2, lang="tr")
    details = browser().get(_url(article, 2, "tr") + "/details", htmx=True).text
    headings = re.findall(r"<h3>([^<]+)", details)
    assert headings[:5] == ["Translation memory", "Glossary", "Findings", "Consistency", "Machine translation "]
    assert headings[-1] == "History"
    # The concept's note reaches the translator (Col-Gen has no Turkish term on purpose).
    assert "NO Turkish equivalent" in details and 'class="term-note"' in details
    # Plain hints, not raw log-probabilities.
    assert "-101.90" not in details and "(-2.10)" not in details
    assert re.search(r'class="quality quality-good"[^>]*>good<', details)
    assert re.search(r'class="quality quality-weak"[^>]*>weak<', details)


def test_quality_hint_normalises_by_length():
    long = " ".join(["söz"] * 40)
    # The same per-token confidence reads the same for a short and a long sentence.
    assert hints.per_token(-0.3 * 5 ** 0.8, "a b c") == -0.3 * 5 ** 0.8 * 5 ** 0.2 / 5  # 3 words: ~5 tokens
    assert hints.quality(-0.3 * 5 ** 0.8, "a b c")["label"] == "good"
    assert hints.quality(-0.3 * 61 ** 0.8, long)["label"] == "good"  # 40 words: ~61 tokens
    assert hints.quality(-101.9, "Rəhimov Bakıda görüşdü.")["label"] == "weak"
    assert hints.quality(-0.8 * 5 ** 0.8, "a b c")["label"] == "fair"
    assert hints.quality(None, "x") == {"label": "unknown", "per_token": None}


def test_history_credits_the_engine_and_diffs_words(browser, article, instance):
    _draft(instance, article, 2)
    tina = browser()
    tina.post(_url(article, 2), {"text": "General-polkovnik Rəhimov Bakıda rəsmilərlə görüşdu.", "base_version": 1})
    details = tina.get(_url(article, 2) + "/details", htmx=True).text
    history = details[details.index("<h3>History"):]
    assert "machine translation (argos-en-az-1.9), job run by adam" in history
    assert re.search(r'<span class="credit">tina</span>', history)
    # A one-letter change strikes one word, not the sentence.
    assert "<del>görüşdü.</del> <ins>görüşdu.</ins>" in history
    assert "<del>General-polkovnik" not in history
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00">', history)


def test_credit_rules():
    assert credit({"after_status": "mt_draft", "origin": "tm", "changed_by": None}) == \
        "translation memory (exact match)"
    assert credit({"after_status": "edited", "origin": "mt:x", "changed_by": "tina"}) == "tina"
    assert credit({"after_status": "mt_draft", "origin": "mt:x", "changed_by": None}) == "machine translation (x)"
    assert credit({"after_status": "mt_draft", "origin": "mt:x", "changed_by": "MT job 3"}) == \
        "machine translation (x), MT job 3"  # a job credited as the author (Actor.job)


def test_concordance_view_escapes_and_checks_language(browser, instance):
    from workbench.data import tm

    tm.add_unit(instance.db(), "Talks <b>in</b> Baku.", "Bakıda <b>danışıqlar</b>.", "az")
    tina = browser()
    found = tina.get("/memory/concordance?q=talks&lang=az", htmx=True).text
    assert "<mark>Talks</mark> &lt;b&gt;in&lt;/b&gt; Baku." in found and "1 memory unit" in found
    assert tina.get("/memory/concordance?q=talks&lang=xx").status_code == 404
    assert "Concordance" in tina.get("/memory/concordance?q=talks&lang=az").text  # full page without htmx


def test_spelling_warning_or_the_reason_it_was_skipped(browser, article, instance):
    from workbench.core import spelling

    tina = browser()
    az = tina.get(_url(article, 1) + "/details", htmx=True).text
    if spelling.status("az"):
        assert "Spelling not checked: no Hunspell dictionary for az" in az
    if spelling.status("tr") is None:
        tina.post(_url(article, 1, "tr"), {"text": "Bakü'de görüşşmeler", "base_version": 0})
        tr = tina.get(_url(article, 1, "tr") + "/details", htmx=True).text
        assert "Possible misspelling (tr dictionary): “görüşşmeler”." in tr
        assert "Spelling not checked" not in tr
