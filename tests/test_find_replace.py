"""Find and replace: literal matching, whole-article runs as versioned saves, conflicts, one undo."""

from __future__ import annotations

import pytest

from workbench.services.actor import Actor
from workbench.services import find_replace
from workbench.data import store
from workbench.core.errors import UserError
from workbench.services.find_replace import Query
from workbench.core.segment import segment_text


@pytest.fixture
def article(db):
    text = "\n".join(f"Sentence number {i} is here." for i in range(1, 251)) + "\n"
    article_id = store.create_article(db, title="Long", byline=None, filename=None, fmt="txt",
                                      segmentation=segment_text(text))
    segments = store.segments(db, article_id)
    for seg in segments:
        store.save_translation(db, seg["id"], "az", f"Cümlə {seg['idx']} Bakı bakı burada.",
                               base_version=0, user="tina")
    return {"id": article_id, "segments": segments}


def test_query_options_case_whole_word_and_literal_text():
    assert Query("bakı").apply("Bakı bakı bakılı") == "  lı"  # empty replacement deletes
    assert Query("bakı", "X").apply("bakı bakı bakılı") == "X X Xlı"
    assert Query("bakı", "X", case=True).apply("Bakı bakı") == "Bakı X"
    assert Query("bakı", "X", whole_word=True).apply("bakı bakılı, bakı.") == "X bakılı, X."
    # The search text and the replacement are literal: no regex, no group references.
    assert Query("a.c", r"\1$0").apply("abc a.c") == r"abc \1$0"
    with pytest.raises(UserError):
        Query("")
    with pytest.raises(UserError):
        Query("x", scope="comments")


def test_search_covers_the_whole_article_and_the_source(db, article):
    hits = find_replace.search(db, article["id"], "az", Query("bakı", "Baku", whole_word=True))
    assert len(hits) == 250 and hits[-1]["number"] == 250  # past the editor's 200-segment page
    assert hits[0]["count"] == 2
    assert str(hits[0]["after"]) == "Cümlə 0 <ins>Baku</ins> <ins>Baku</ins> burada."
    source_hits = find_replace.search(db, article["id"], "az", Query("number 25", scope="source",
                                                                       whole_word=True))
    assert [h["number"] for h in source_hits] == [25]
    assert str(source_hits[0]["marked"]) == "Sentence <mark>number 25</mark> is here."


def test_replace_saves_versions_history_and_unapproves(db, article):
    first, second = article["segments"][0]["id"], article["segments"][1]["id"]
    store.save_translation(db, second, "az", "Bakı təsdiq.", base_version=1, user="rita", status="approved")
    hits = find_replace.search(db, article["id"], "az", Query("Bakı", "Baku", case=True))
    picks = {h["segment_id"]: h["version"] for h in hits if h["segment_id"] in (first, second)}
    run = find_replace.replace(db, article["id"], "az", Query("Bakı", "Baku", case=True), picks, actor=Actor.person({"name": "tina", "role": "translator"}))
    assert run["changed"] == [1, 2]
    one, two = store.get_translation(db, first, "az"), store.get_translation(db, second, "az")
    assert (one["text"], one["version"], one["status"]) == ("Cümlə 0 Baku bakı burada.", 2, "edited")
    assert (two["text"], two["status"]) == ("Baku təsdiq.", "edited")  # approved goes back to edited
    assert store.history(db, first, "az")[0]["note"] == f"find and replace #{run['id']}"
    assert store.get_translation(db, article["segments"][2]["id"], "az")["version"] == 1  # not ticked


def test_replace_refuses_whole_when_a_segment_changed_after_the_preview(db, article):
    hits = find_replace.search(db, article["id"], "az", Query("burada", "orada"))
    picks = {h["segment_id"]: h["version"] for h in hits}
    store.save_translation(db, article["segments"][5]["id"], "az", "Başqası burada yazdı.", base_version=1,
                           user="rita")
    with pytest.raises(find_replace.ReplaceConflict) as caught:
        find_replace.replace(db, article["id"], "az", Query("burada", "orada"), picks, actor=Actor.person({"name": "tina", "role": "translator"}))
    assert caught.value.numbers == [6]
    assert store.get_translation(db, article["segments"][0]["id"], "az")["text"].endswith("burada.")
    assert db["replace_batches"].count == 0


def test_undo_restores_every_segment_but_never_a_newer_save(db, article):
    segs = [s["id"] for s in article["segments"][:3]]
    store.save_translation(db, segs[2], "az", "Bakı təsdiq.", base_version=1, user="rita", status="approved")
    picks = {sid: store.get_translation(db, sid, "az")["version"] for sid in segs}
    run = find_replace.replace(db, article["id"], "az", Query("Bakı", "Baku", case=True), picks, actor=Actor.person({"name": "tina", "role": "translator"}))
    store.save_translation(db, segs[1], "az", "Sonra dəyişdi.", base_version=2, user="rita")
    result = find_replace.undo(db, run["id"], actor=Actor.person({"name": "tina", "role": "translator"}))
    assert result["restored"] == [1, 3] and result["skipped"] == [2]
    assert store.get_translation(db, segs[0], "az")["text"] == "Cümlə 0 Bakı bakı burada."
    assert store.get_translation(db, segs[1], "az")["text"] == "Sonra dəyişdi."  # newer save kept
    third = store.get_translation(db, segs[2], "az")
    assert (third["text"], third["status"]) == ("Bakı təsdiq.", "edited")  # a translator does not approve
    with pytest.raises(UserError):
        find_replace.undo(db, run["id"], actor=Actor.person({"name": "tina", "role": "translator"}))


def test_undo_by_a_reviewer_brings_approval_back(db, article):
    sid = article["segments"][0]["id"]
    store.save_translation(db, sid, "az", "Bakı təsdiq.", base_version=1, user="rita", status="approved")
    run = find_replace.replace(db, article["id"], "az", Query("Bakı", "Baku"), {sid: 2}, actor=Actor.person({"name": "rita", "role": "reviewer"}))
    find_replace.undo(db, run["id"], actor=Actor.person({"name": "rita", "role": "reviewer"}))
    assert store.get_translation(db, sid, "az")["status"] == "approved"
