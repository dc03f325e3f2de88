"""The stored columns that let an editor page and a save read only what they show (issue 12, item 18).

The timing targets live in bench/web_latency.py; these tests pin what can be checked exactly: the
repetition key and word counts are kept with every text, and flags computed for a page's segments
alone equal the flags computed over the whole article. (tests/web/test_request_overhead.py checks
that a save runs the same statements in a long article as in a short one.)
"""

from __future__ import annotations

import random

from workbench.services import translations
from workbench.services import repetitions
from workbench.data import store
from workbench.core.counts import words
from workbench.data.db import rows
from workbench.core.segment import segment_text, source_key

SENTENCES = ["Talks were held in Baku.", "The minister spoke.", "Talks  were held in Baku.",
             "Col-Gen Rahimov met officials.", "The minister spoke.", "Prices rose by 3 percent."]


def _article(db, sentences: list[str]) -> int:
    return store.create_article(db, title="T", byline=None, filename=None, fmt="txt",
                                segmentation=segment_text("\n".join(sentences) + "\n"))


def _assert_derived_columns_match(db, article_id: int):
    for row in rows(db, "SELECT text, source_key, words FROM segments WHERE article_id = ?", [article_id]):
        assert (row["source_key"], row["words"]) == (source_key(row["text"]), words(row["text"]))
    for row in rows(db, "SELECT t.text, t.words FROM translations t JOIN segments s ON s.id = t.segment_id "
                    "WHERE s.article_id = ?", [article_id]):
        assert row["words"] == words(row["text"])


def test_stored_keys_and_word_counts_follow_every_write(db):
    article_id = _article(db, SENTENCES)
    segments = store.segments(db, article_id)
    store.save_translation(db, segments[0]["id"], "az", "Bakıda danışıqlar keçirildi.", base_version=0, user="t")
    store.save_translation(db, segments[0]["id"], "az", "Bakıda uzun danışıqlar oldu.", base_version=1, user="t")
    translations.write_drafts(db, "tr", [store.Draft(segments[1]["id"], "Bakan konuştu.", "mt:x", [])], force=False)
    _assert_derived_columns_match(db, article_id)
    from workbench.services import story_versions as article_versions

    article_versions.update_article(db, article_id, title=None, byline=None, filename=None, fmt="txt",
                                    segmentation=segment_text("\n".join(
                                        ["Talks were held in Baku today.", *SENTENCES[1:], "A new line here."]) + "\n"))
    _assert_derived_columns_match(db, article_id)


def test_the_migration_fills_the_columns_of_existing_rows(db):
    article_id = _article(db, SENTENCES)
    store.save_translation(db, store.segments(db, article_id)[0]["id"], "az", "Bir iki üç.", base_version=0, user="t")
    db.conn.execute("UPDATE segments SET source_key = NULL, words = NULL")
    db.conn.execute("UPDATE translations SET words = NULL")
    from workbench.data.schema import m024_segment_keys_and_word_counts

    db.conn.execute("DROP INDEX segments_article_source_key")
    db.conn.execute("DROP INDEX term_findings_concept")
    for column in ("source_key", "words"):
        db.conn.execute(f"ALTER TABLE segments DROP COLUMN {column}")
    db.conn.execute("ALTER TABLE translations DROP COLUMN words")
    m024_segment_keys_and_word_counts(db)
    _assert_derived_columns_match(db, article_id)


def test_flags_of_some_segments_equal_the_flags_computed_over_the_whole_article(db):
    """flags_for reads only the groups of the asked segments; it must agree with the whole-article
    computation, for every subset, following and inconsistent copies included."""
    rng = random.Random(5)
    sentences = [rng.choice(SENTENCES) for _ in range(60)]
    article_id = _article(db, sentences)
    segments = store.segments(db, article_id)
    for segment in segments:
        roll = rng.random()
        if roll < 0.3:
            continue
        text = rng.choice(["Bakıda danışıqlar.", "Nazir danışdı.", "Qiymətlər artdı."])
        if roll < 0.6:
            translations.write_drafts(db, "az", [store.Draft(segment["id"], text, "mt:x", [])], force=True)
        else:
            current = store.get_translation(db, segment["id"], "az")
            store.save_translation(db, segment["id"], "az", text, base_version=current["version"] if current else 0,
                                   user="t")
            repetitions.follow(db, article_id, segment, "az", text, "t")
    whole = repetitions.flags(store.segments(db, article_id), store.article_translations(db, article_id, "az"))
    assert any(f["follows"] for f in whole.values()) and any(f["inconsistent"] for f in whole.values())
    ids = [s["id"] for s in segments]
    for size in (1, 7, 60):
        for start in range(0, len(ids), size):
            chunk = ids[start:start + size]
            assert repetitions.flags_for(db, article_id, "az", chunk) == {i: whole[i] for i in chunk if i in whole}


def _direct_totals(db, article_id: int, lang: str) -> dict:
    source = [s["text"] for s in store.segments(db, article_id)]
    target = [t["text"] for t in store.article_translations(db, article_id, lang).values()]
    return {"source": {"words": sum(map(words, source)), "chars": sum(map(len, source))},
            "target": {"words": sum(map(words, target)), "chars": sum(map(len, target))}}


def test_the_editor_counters_equal_counting_every_row_and_follow_a_new_version(db):
    from workbench.data import counters as article_counts
    from workbench.services import story_versions as article_versions

    article_id = _article(db, SENTENCES)
    segments = store.segments(db, article_id)
    store.save_translation(db, segments[0]["id"], "az", "Bakıda danışıqlar keçirildi.", base_version=0, user="t")
    store.save_translation(db, segments[1]["id"], "az", "Nazir danışdı.", base_version=0, user="t", status="approved")
    translations.write_drafts(db, "az", [store.Draft(segments[2]["id"], "Bakı, 3 faiz.", "mt:x", [])], force=False)
    for _ in range(2):  # the second time from the cache
        got = article_counts.counters(db, article_id, "az")
        assert got == {"counts": store.progress(db, article_id, "az"), "totals": _direct_totals(db, article_id, "az")}
    article_versions.update_article(db, article_id, title=None, byline=None, filename=None, fmt="txt",
                                    segmentation=segment_text("\n".join([*SENTENCES, "A new line."]) + "\n"))
    got = article_counts.counters(db, article_id, "az")
    assert got == {"counts": store.progress(db, article_id, "az"), "totals": _direct_totals(db, article_id, "az")}
    assert got["counts"]["total"] == len(SENTENCES) + 1
