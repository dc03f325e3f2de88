"""Concordance search in the translation memory."""

from __future__ import annotations

from workbench.data import concordance, tm


def _memory(db):
    tm.add_unit(db, "Col-Gen Rahimov met officials in Ganja.", "General-polkovnik Rəhimov Gəncədə görüşdü.", "az")
    tm.add_unit(db, "Officials met in Baku.", "Rəsmilər Bakıda görüşdü.", "az")
    tm.add_unit(db, "Rahimov met officials.", "Rahimov yetkililerle görüştü.", "tr")
    tm.add_unit(db, "They met officials in Baku.", "Onlar Bakıda rəsmilərlə görüşdülər.", "az")


def test_source_phrase_with_words_marked(db):
    _memory(db)
    units = concordance.search(db, "met officials", "az")
    assert sorted(u["source"] for u in units) == ["Col-Gen Rahimov met officials in Ganja.",
                                                  "They met officials in Baku."]  # not "Officials met"
    assert str(units[0]["source_marked"]).count("<mark>") == 2
    assert "<mark>met</mark> <mark>officials</mark>" in str(units[0]["source_marked"])


def test_target_words_and_hostile_input(db):
    _memory(db)
    units = concordance.search(db, "Bakıda", "az")
    assert {u["target"] for u in units} == {"Rəsmilər Bakıda görüşdü.", "Onlar Bakıda rəsmilərlə görüşdülər."}
    assert "<mark>Bakıda</mark>" in str(units[0]["target_marked"])
    assert concordance.search(db, '" OR * NEAR(', "az") == []  # FTS syntax is never passed through
    assert concordance.search(db, "100%_", "az") == []
    assert concordance.search(db, "<script>", "az") == []
