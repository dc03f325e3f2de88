"""Story updates: alignment of article versions, what carries over, CLI --update, XLIFF from old versions."""


import pytest

from workbench.services.actor import Actor
from workbench.services import story_versions as article_versions, interchange
from workbench.data import db as dbmod, store, tm
from workbench.core.formats.xliff import XLIFFError
from tests.test_xliff_versions import export as xliff_export
from workbench.services.machine_translation import translate_pending
from workbench.core.segment import segment_text
from workbench.core.alignment import align, normalise, summary

V1 = ("Talks in Baku\n"
      "The ministers met in Baku on Monday. They signed 12 agreements. "
      "The talks lasted three hours. A joint statement followed.\n")
# kept: title, "The ministers...", "A joint statement"; changed: 12 -> 14; removed: "three hours";
# added: a new sentence at the end.
V2 = ("Talks in Baku\n"
      "The ministers met in Baku on Monday. They signed 14 agreements. "
      "A joint statement followed. Another round is planned for May.\n")


def test_normalise_ignores_whitespace_and_quote_styles():
    assert normalise("He said “yes”  today.\n") == normalise('He said "yes" today.')
    assert normalise("It’s  here") == "It's here"


def test_alignment_is_by_sequence_not_by_index():
    old = ["Alpha one two three.", "Beta four five six.", "Gamma seven eight nine."]
    new = ["A brand new opening sentence here.", "Alpha one two three.", "Beta four five six!",
           "Gamma seven eight nine."]
    ops = align(old, new)
    assert [(op.kind, op.old, op.new) for op in ops] == [
        ("added", None, 0), ("kept", 0, 1), ("changed", 1, 2), ("kept", 2, 3)]
    assert summary(ops) == {"kept": 2, "changed": 1, "added": 1, "removed": 0}


def test_a_replaced_sentence_is_removed_and_added_not_changed():
    ops = align(["The talks ended on Monday.", "Fighting resumed near the border overnight."],
                ["The talks ended on Monday.", "Oil prices rose sharply in London trading."])
    assert [op.kind for op in ops] == ["kept", "removed", "added"]


def _translated_article(db, fake_engine):
    article_id = store.create_article(db, title="Talks in Baku", byline=None, filename="v1.txt", fmt="txt",
                                      segmentation=segment_text(V1))
    translate_pending(db, {"az": fake_engine("az")})
    segs = store.segments(db, article_id)
    for seg in segs:  # a reviewer approves everything
        row = store.get_translation(db, seg["id"], "az")
        store.save_translation(db, seg["id"], "az", row["text"] + " ✓", base_version=row["version"],
                               user="rita", status="approved")
    return article_id, segs


def test_update_keeps_work_marks_changed_adds_and_archives(db, fake_engine):
    article_id, old = _translated_article(db, fake_engine)
    before = {s["text"]: store.get_translation(db, s["id"], "az") for s in old}
    result = article_versions.update_article(db, article_id, title=None, byline=None, filename="v2.txt",
                                             fmt="txt", segmentation=segment_text(V2), user="cms")
    assert result == {"article": article_id, "version": 2, "kept": 3, "changed": 1, "added": 1, "removed": 1}
    new = store.segments(db, article_id)
    assert [s["text"] for s in new] == [s.text for s in segment_text(V2).segments]
    assert [s["idx"] for s in new] == list(range(len(new)))
    by_text = {s["text"]: s for s in new}
    # kept: same translation row, same version, still approved, history untouched
    kept = store.get_translation(db, by_text["A joint statement followed."]["id"], "az")
    assert kept == before["A joint statement followed."]
    # changed: the old translation is the draft, status source_changed, a history entry says why
    changed_seg = by_text["They signed 14 agreements."]
    changed = store.get_translation(db, changed_seg["id"], "az")
    assert changed["status"] == "source_changed" and changed["text"] == "[az] They signed 12 agreements. ✓"
    assert changed["version"] == before["They signed 12 agreements."]["version"] + 1
    assert "source changed in version 2" in store.history(db, changed_seg["id"], "az")[0]["note"]
    assert changed_seg["previous_text"] == "They signed 12 agreements." and changed_seg["changed_in"] == 2
    # QA ran again: 14 is in the source, 12 in the draft
    assert any(f["check"] == "numbers" for f in store.qa_findings(db, [changed["id"]])[changed["id"]])
    # added: untranslated, and translate picks it up (nothing else)
    added = by_text["Another round is planned for May."]
    assert store.get_translation(db, added["id"], "az") is None and added["changed_in"] == 2
    assert [p["id"] for p in store.pending_segments(db, "az", [article_id])] == [added["id"]]
    # removed: archived with translation and history, offered as a fuzzy match only if not approved
    (gone,) = article_versions.removed_segments(db, article_id)
    assert gone["text"] == "The talks lasted three hours." and gone["removed_in"] == 2
    assert gone["translations"]["az"]["status"] == "approved" and gone["translations"]["az"]["history"]
    assert tm.fuzzy(db, "The talks lasted three hours.", "az")[0]["target"] == "[az] The talks lasted three hours. ✓"
    # progress: source changed is not done
    progress = store.progress(db, article_id, "az")
    assert (progress["approved"], progress["source_changed"], progress["untranslated"]) == (3, 1, 1)
    (latest, first) = article_versions.article_versions(db, article_id)
    assert (latest["version"], first["version"]) == (2, 1)
    assert article_versions.banner_text(article_versions.latest_change(db, article_id)) == \
        "version 2: 1 changed, 1 added, 1 removed since version 1"
    assert store.get_article(db, article_id)["source_text"] == V2


def test_orphans_are_offered_never_taken_as_exact_drafts(db):
    tm.add_orphan(db, "A sentence to cut later.", "Sonra silinəcək cümlə.", "az", status="approved")
    (match,) = tm.fuzzy(db, "A sentence to cut later.", "az")
    assert match["orphan"] == 1 and match["target"] == "Sonra silinəcək cümlə."
    assert tm.exact(db, "A sentence to cut later.", "az") is None
    assert tm.units(db, "az") == []  # orphans stay out of TMX exports
    for status in ("mt_draft", "edited", "source_changed", "untranslated"):
        tm.add_orphan(db, "Fishing boats returned to the harbour.", "Balıqçı qayıqları qayıtdı.", "az",
                      status=status)
    assert tm.fuzzy(db, "Fishing boats returned to the harbour.", "az") == []


def test_a_removed_approved_segment_stays_offered(db, fake_engine):
    article_id = store.create_article(db, title="t", byline=None, filename=None, fmt="txt",
                                      segmentation=segment_text("Title\nA sentence to cut later. Stays here.\n"))
    translate_pending(db, {"az": fake_engine("az")})
    seg = next(s for s in store.segments(db, article_id) if s["text"] == "A sentence to cut later.")
    row = store.get_translation(db, seg["id"], "az")
    store.save_translation(db, seg["id"], "az", "Sonra silinəcək cümlə.", base_version=row["version"],
                           user="rita", status="approved")
    article_versions.update_article(db, article_id, title=None, byline=None, filename=None, fmt="txt",
                                    segmentation=segment_text("Title\nStays here.\n"))
    (match,) = tm.fuzzy(db, "A sentence to cut later.", "az")
    assert match["target"] == "Sonra silinəcək cümlə."


def test_removed_unapproved_drafts_never_enter_the_memory(db, fake_engine):
    """The memory holds approved units only: a removed segment's MT draft, an unreviewed edit or
    a source-changed draft is archived with the version but not offered as an orphan."""
    text = "Title\nA machine draft to cut. An unreviewed edit to cut. A sentence that stays.\n"
    article_id = store.create_article(db, title="t", byline=None, filename=None, fmt="txt",
                                      segmentation=segment_text(text))
    translate_pending(db, {"az": fake_engine("az")})  # MT drafts only
    seg = next(s for s in store.segments(db, article_id) if s["text"] == "An unreviewed edit to cut.")
    row = store.get_translation(db, seg["id"], "az")
    store.save_translation(db, seg["id"], "az", "Baxılmamış düzəliş.", base_version=row["version"],
                           user="rita", status="edited")
    article_versions.update_article(db, article_id, title=None, byline=None, filename=None, fmt="txt",
                                    segmentation=segment_text("Title\nA sentence that stays.\n"))
    assert len(article_versions.removed_segments(db, article_id)) == 2  # archived with their drafts
    assert tm.fuzzy(db, "A machine draft to cut.", "az") == []
    assert tm.fuzzy(db, "An unreviewed edit to cut.", "az") == []
    assert db.execute("SELECT COUNT(*) FROM tm_units").fetchone()[0] == 0


def test_approving_a_source_changed_segment(db, fake_engine):
    article_id, _ = _translated_article(db, fake_engine)
    article_versions.update_article(db, article_id, title=None, byline=None, filename=None, fmt="txt",
                                    segmentation=segment_text(V2))
    seg = next(s for s in store.segments(db, article_id) if s["text"] == "They signed 14 agreements.")
    row = store.get_translation(db, seg["id"], "az")
    with pytest.raises(store.VersionConflict):  # an editor opened before the update must reload
        store.save_translation(db, seg["id"], "az", "x", base_version=row["version"] - 1, user="rita")
    saved = store.save_translation(db, seg["id"], "az", "14 saziş imzaladılar.", base_version=row["version"],
                                   user="rita", status="approved")
    assert saved["status"] == "approved"


def test_cli_import_update_prints_the_contract(cli, tmp_path):
    (tmp_path / "v1.txt").write_text(V1, encoding="utf-8")
    (tmp_path / "v2.txt").write_text(V2, encoding="utf-8")
    first = cli.json("import", str(tmp_path / "v1.txt"))
    out = cli.json("import", str(tmp_path / "v2.txt"), "--update", str(first["article"]))
    assert out == {"article": first["article"], "version": 2, "kept": 3, "changed": 1, "added": 1, "removed": 1}
    assert list(out) == ["article", "version", "kept", "changed", "added", "removed"]
    missing = cli("import", str(tmp_path / "v2.txt"), "--update", "99", ok=False)
    assert missing.exit_code == 1 and "article 99 does not exist" in missing.output
    assert "Traceback" not in missing.output
    two = cli("import", str(tmp_path / "v1.txt"), str(tmp_path / "v2.txt"), "--update", "1", ok=False)
    assert two.exit_code == 2 and "exactly one file" in two.output


@pytest.mark.parametrize("xliff", ["1.2", "1.2-previous"])  # the earlier 1.2 export: wb:article-version
def test_xliff_from_an_older_version_applies_kept_and_names_the_rest(db, fake_engine, xliff):
    article_id, _ = _translated_article(db, fake_engine)
    old_file = xliff_export(db, article_id, xliff)
    edited = old_file.replace("[az] A joint statement followed. ✓".encode(), "Birgə bəyanat verildi.".encode())
    edited = edited.replace("[az] They signed 12 agreements. ✓".encode(), "12 saziş.".encode())
    edited = edited.replace("[az] The talks lasted three hours. ✓".encode(), "Üç saat.".encode())
    article_versions.update_article(db, article_id, title=None, byline=None, filename=None, fmt="txt",
                                    segmentation=segment_text(V2))
    counts = interchange.import_xliff(db, edited, "old.xlf", actor=Actor.person({"name": "x", "role": "translator"}))
    assert counts["updated"] == 1
    assert len(counts["refused"]) == 2
    assert "segment 3 (source changed in version 2)" in counts["refused"]
    assert any("The talks lasted three hours." in r and "removed" in r for r in counts["refused"])
    seg = next(s for s in store.segments(db, article_id) if s["text"] == "A joint statement followed.")
    assert store.get_translation(db, seg["id"], "az")["text"] == "Birgə bəyanat verildi."
    changed = next(s for s in store.segments(db, article_id) if s["text"] == "They signed 14 agreements.")
    assert store.get_translation(db, changed["id"], "az")["status"] == "source_changed"
    assert "segment 3 (source changed in version 2)" in interchange.xliff_summary(counts)
    # a file made from the current version whose source was tampered with is still refused whole
    current = interchange.export_xliff(db, article_id, "az").replace(b"Another round", b"Another ROUND")
    with pytest.raises(XLIFFError, match="no longer matches"):
        interchange.import_xliff(db, current, "tampered.xlf", actor=Actor.person({"name": "x", "role": "translator"}))


def test_status_migration_keeps_rows_and_their_children(tmp_path, fake_engine):
    """m018 rebuilds the translations table: history and findings must survive it."""
    database = dbmod.open_db(tmp_path, migrate=False)
    dbmod.migrations.apply(database, stop_before="m017_article_versions")
    article_id = database["articles"].insert({"title": "t", "format": "txt", "source_text": "Hello world.\n",
                                              "created_at": "now"}).last_pk
    database["paragraphs"].insert({"article_id": article_id, "idx": 0, "start": 0, "end": 12, "kind": "body"})
    segment_id = database["segments"].insert({"article_id": article_id, "paragraph_idx": 0, "idx": 0,
                                              "start": 0, "end": 12, "text": "Hello world."}).last_pk
    tid = database["translations"].insert({"segment_id": segment_id, "lang": "az", "text": "Salam 5.",
                                           "status": "edited", "updated_at": "now"}).last_pk
    database["history"].insert({"translation_id": tid, "version": 1, "after_text": "Salam 5.",
                                "after_status": "edited", "changed_at": "now"})
    database["qa_findings"].insert({"translation_id": tid, "check": "numbers", "severity": "error",
                                    "message": "m"})
    dbmod.migrations.apply(database)
    assert database.execute("SELECT COUNT(*) FROM history").fetchone()[0] == 1
    assert database.execute("SELECT COUNT(*) FROM qa_findings").fetchone()[0] == 1
    assert database.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    database["translations"].update(tid, {"status": "source_changed"})
    with pytest.raises(Exception, match="CHECK"):
        database["translations"].update(tid, {"status": "bogus"})
    assert database.execute("SELECT version FROM article_versions").fetchall() == [(1,)]
    database.execute("DELETE FROM articles")  # the cascade still works through the rebuilt table
    assert database.execute("SELECT COUNT(*) FROM history").fetchone()[0] == 0
