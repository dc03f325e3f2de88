"""Translation memory, TMX and XLIFF round trips (with translate-toolkit as the other CAT tool), stats."""

import pytest

from workbench.services.actor import Actor
from workbench.services import interchange
from workbench.data import reports, store, tm
from workbench.core.formats.tmx import TMXError
from workbench.core.formats.xliff import XLIFFError
from workbench.services.machine_translation import translate_pending
from workbench.core.segment import segment_text


def _article(db, text):
    article_id = store.create_article(db, title="t", byline=None, filename="a.txt", fmt="txt",
                                      segmentation=segment_text(text))
    return article_id, store.segments(db, article_id)


def test_approval_feeds_the_memory_and_exact_matches_fill_drafts(db, fake_engine, save_as):
    _, segments = _article(db, "Talks in Baku\nThe talks ended on Monday.\n")
    save_as(db, segments[1]["id"], "az", "Danışıqlar bazar ertəsi başa çatdı.",
            base_version=0, user="rita", status="approved")
    assert tm.exact(db, "The  talks ended\non Monday.", "az")["target"] == "Danışıqlar bazar ertəsi başa çatdı."
    second, new_segments = _article(db, "Other news\nThe talks ended on Monday.\n")
    engine = fake_engine("az")
    translate_pending(db, {"az": engine}, article_ids=[second])
    row = store.get_translation(db, new_segments[1]["id"], "az")
    assert (row["origin"], row["text"]) == ("tm", "Danışıqlar bazar ertəsi başa çatdı.")
    assert store.get_translation(db, new_segments[0]["id"], "az")["origin"] == "mt:fake-en_az"


def test_fuzzy_matches_with_score_and_diff(db):
    tm.add_unit(db, "The ceasefire was signed in Moscow on Monday.", "Atəşkəs bazar ertəsi Moskvada imzalandı.", "az")
    tm.add_unit(db, "Completely unrelated sentence about football.", "Futbol.", "az")
    tm.add_unit(db, "The ceasefire was signed in Moscow on Monday.", "Перемирие подписано.", "ru")
    (match,) = tm.fuzzy(db, "The ceasefire was signed in Baku on Monday.", "az")
    assert 80 <= match["score"] < 100 and match["target"].startswith("Atəşkəs")
    assert str(match["diff"]) == "The ceasefire was signed in <del>Moscow</del> <ins>Baku</ins> on Monday."
    assert tm.fuzzy(db, "Nothing in common here", "az") == []


def test_repeated_segments_are_translated_once_and_marked(db, fake_engine):
    article, segments = _article(db, "Title\nFollow us. News here. Follow us.\n")
    engine = fake_engine("az")
    translate_pending(db, {"az": engine})
    assert engine.calls == 1
    repeated = store.get_translation(db, segments[3]["id"], "az")
    assert repeated["text"] == "[az] Follow us." and "Repetition of segment 2" in repeated["choice_note"]


def test_tmx_round_trip_and_translate_toolkit(db, tmp_path):
    from translate.storage import tmx as tt_tmx

    tm.add_unit(db, "Baku talks.", "Bakı danışıqları.", "az", user="rita")
    tm.add_unit(db, "Ankara <b>talks</b> & more.", "Переговоры в Анкаре.", "ru")
    data = interchange.export_tmx(db, None)
    theirs = tt_tmx.tmxfile.parsestring(data)
    assert [(u.source, u.target) for u in theirs.units] == [
        ("Baku talks.", "Bakı danışıqları."), ("Ankara <b>talks</b> & more.", "Переговоры в Анкаре.")]
    # A file written by translate-toolkit comes in with the same units.
    store_ = tt_tmx.tmxfile(sourcelanguage="en", targetlanguage="tr")
    store_.addtranslation("Shusha Declaration", "en", "Şuşa Beyannamesi", "tr")
    counts = interchange.import_tmx(db, bytes(store_), "tt.tmx")
    assert (counts["read"], counts["stored"], counts["merged"], counts["skipped"]) == (1, 1, 0, {})
    assert counts["languages"] == ["tr"]
    assert tm.exact(db, "Shusha Declaration", "tr")["target"] == "Şuşa Beyannamesi"


@pytest.mark.parametrize("data,message", [
    (b"<tmx><body/></tmx>", "no <header>"),
    (b"<tmx><header", "not well-formed"),
    (b"<memory/>", "root element <memory> is not <tmx>"),
])
def test_a_file_that_is_not_tmx_is_refused_and_nothing_imported(db, data, message):
    with pytest.raises(TMXError, match=message):
        interchange.import_tmx(db, data, "bad.tmx")
    assert tm.units(db) == []


@pytest.mark.parametrize("data,message", [
    (b'<tmx version="1.4"><header srclang="en"/><body><tu tuid="7"><tuv xml:lang="az"><seg>x</seg></tuv></tu></body></tmx>',
     "tu '7' (line 1): <tu> has no en variant"),
    (b'<tmx><header srclang="en"/><body><tu>\n<tuv><seg>x</seg></tuv></tu></body></tmx>',
     "tu (line 2): <tuv> without xml:lang"),
])
def test_an_invalid_unit_refuses_the_file_naming_it(db, data, message):
    with pytest.raises(interchange.ImportRefused, match="nothing was imported") as refused:
        interchange.import_tmx(db, data, "bad.tmx")
    assert message in str(refused.value)
    assert tm.units(db) == []

def _xliff_round_trip(db, article_id, edit):
    from translate.storage import xliff as tt_xliff

    data = interchange.export_xliff(db, article_id, "az")
    theirs = tt_xliff.xlifffile.parsestring(data)
    edit(theirs)
    return bytes(theirs)


def test_xliff_export_edit_in_translate_toolkit_and_import(db, fake_engine, save_as):
    article_id, segments = _article(db, "Talks in Baku\nOne sentence. Another one.\n")
    translate_pending(db, {"az": fake_engine("az")})
    save_as(db, segments[2]["id"], "az", "Başqa biri.",
            base_version=store.get_translation(db, segments[2]["id"], "az")["version"], user="tina")
    data = interchange.export_xliff(db, article_id, "az")
    assert b'state="needs-review-translation" state-qualifier="mt-suggestion"' in data
    assert b'state="translated"' in data and b"Term place.baku: missing" in data

    def edit(theirs):
        units = theirs.getunits()
        assert [u.getid().split("\x04")[-1] for u in units] == [str(s["id"]) for s in segments]
        units[1].target = "Bir cümlə."
        units[1].markapproved(True)

    counts = interchange.import_xliff(db, _xliff_round_trip(db, article_id, edit), "edited.xlf",
                                      actor=Actor.person({"name": "rita", "role": "reviewer"}))
    assert (counts["updated"], counts["unchanged"], counts["conflicts"]) == (1, 2, [])
    row = store.get_translation(db, segments[1]["id"], "az")
    assert (row["text"], row["status"]) == ("Bir cümlə.", "approved")
    assert store.history(db, segments[1]["id"], "az")[0]["note"] == "imported from edited.xlf"
    assert store.get_translation(db, segments[2]["id"], "az")["text"] == "Başqa biri."


def test_xliff_with_a_changed_source_is_refused_whole(db, fake_engine):
    article_id, segments = _article(db, "Talks\nOne sentence. Another one.\n")
    translate_pending(db, {"az": fake_engine("az")})

    def edit(theirs):
        units = theirs.getunits()
        units[0].target = "Danışıqlar"
        units[2].source = "Another one, changed."

    data = _xliff_round_trip(db, article_id, edit)
    with pytest.raises(XLIFFError, match="no longer matches segment 3"):
        interchange.import_xliff(db, data, "stale.xlf", actor=Actor.person({"name": "x", "role": "translator"}))
    assert store.get_translation(db, segments[0]["id"], "az")["text"] == "[az] Talks"


def test_xliff_skip_invalid_applies_the_other_units_and_lists_the_invalid_ones(db, fake_engine, cli, tmp_path):
    article_id, segments = _article(db, "Talks\nOne sentence. Another one.\n")
    translate_pending(db, {"az": fake_engine("az")})

    def edit(theirs):
        units = theirs.getunits()
        units[0].target = "Danışıqlar"
        units[1].target = "Bir c\ufdd0ümlə."  # a character no stored text may hold
        units[2].source = "Another one, changed."
        units[2].target = "Başqa biri."

    data = _xliff_round_trip(db, article_id, edit)
    translator = Actor.person({"name": "x", "role": "translator"})
    with pytest.raises(Exception, match="U\\+FDD0|no longer matches"):
        interchange.import_xliff(db, data, "mixed.xlf", actor=translator)
    assert store.get_translation(db, segments[0]["id"], "az")["text"] == "[az] Talks"
    path = tmp_path / "mixed.xlf"
    path.write_bytes(data)
    refused = cli("import-xliff", str(path), ok=False)
    assert refused.exit_code == 1 and store.get_translation(db, segments[0]["id"], "az")["text"] == "[az] Talks"
    counts = cli.json("import-xliff", str(path), "--skip-invalid")
    assert counts["updated"] == 1
    assert [(p["id"], p["line"] is not None) for p in counts["skipped"]] == [
        (str(segments[2]["id"]), True), (str(segments[1]["id"]), True)]
    assert "no longer matches segment 3" in counts["skipped"][0]["reason"]
    assert "U+FDD0" in counts["skipped"][1]["reason"]
    assert store.get_translation(db, segments[0]["id"], "az")["text"] == "Danışıqlar"
    assert store.get_translation(db, segments[1]["id"], "az")["text"] == "[az] One sentence."
    assert store.get_translation(db, segments[2]["id"], "az")["text"] == "[az] Another one."


def test_xliff_never_overwrites_a_segment_changed_since_the_export(db, fake_engine, save_as):
    article_id, segments = _article(db, "Talks\nOne sentence.\n")
    translate_pending(db, {"az": fake_engine("az")})
    data = interchange.export_xliff(db, article_id, "az").replace(b"[az] One sentence.", b"Bir cumle.")
    save_as(db, segments[1]["id"], "az", "Bir cümlə.", base_version=1, user="tina")
    counts = interchange.import_xliff(db, data, "late.xlf", actor=Actor.person({"name": "x", "role": "translator"}))
    assert counts["conflicts"] == [segments[1]["id"]]
    assert store.get_translation(db, segments[1]["id"], "az")["text"] == "Bir cümlə."


def test_qa_report_and_effort_stats(db, fake_engine, cli, save_as):
    article_id, segments = _article(db, "Talks in Baku\nThe 44-day war ended in 2020.\n")
    translate_pending(db, {"az": fake_engine("az")})
    first = store.get_translation(db, segments[0]["id"], "az")
    save_as(db, segments[0]["id"], "az", "Bakıda danışıqlar", base_version=first["version"],
            user="rita", status="approved")
    second = store.get_translation(db, segments[1]["id"], "az")
    save_as(db, segments[1]["id"], "az", "44 günlük müharibə 2021-ci ildə bitdi.",
            base_version=second["version"], user="tina")
    report = cli.json("qa", str(article_id), "--lang", "az")["findings"]
    assert {"segment": 2, "check": "numbers", "severity": "error",
            "message": "The number 2020 from the source is missing in the translation (or was changed)."} in report
    assert all(f["segment"] != 1 for f in report)
    stats = cli.json("stats")["groups"]
    assert stats == [{"lang": "az", "origin": "mt:fake-en_az", "segments": 2, "approved_unchanged": 0,
                      "approved": 1, "mean_edit_distance": stats[0]["mean_edit_distance"], "post_edited": 2,
                      "share_approved_unchanged": 0.0}]
    assert 0.2 < stats[0]["mean_edit_distance"] < 1.0
    assert reports.effort_stats(db) == {"groups": stats}


def test_xliff2_export_edit_in_translate_toolkit_and_import(db, fake_engine):
    from translate.storage import xliff2 as tt_xliff2

    article_id, segments = _article(db, "Talks in Baku\nOne sentence. Another one.\n")
    translate_pending(db, {"az": fake_engine("az")})
    data = interchange.export_xliff(db, article_id, "az", "2.0")
    assert b'version="2.0"' in data and b'state="initial"' in data and b"Term place.baku: missing" in data
    theirs = tt_xliff2.Xliff2File.parsestring(data)
    units = theirs.getunits()
    assert [u.source for u in units] == [s["text"] for s in segments]
    units[2].target = "Başqa biri."
    counts = interchange.import_xliff(db, bytes(theirs), "edited.xlf", actor=Actor.person({"name": "x", "role": "translator"}))
    assert (counts["updated"], counts["unchanged"]) == (1, 2)
    row = store.get_translation(db, segments[2]["id"], "az")
    assert (row["text"], row["status"]) == ("Başqa biri.", "edited")


@pytest.mark.parametrize("lang", ["de", "de-AZ", "az-Arab", "xx", "ru-Latn", "tr-x-private"])
def test_tmx_units_in_other_languages_are_skipped_and_counted(db, lang):
    data = (b'<tmx version="1.4"><header srclang="en"/><body>'
            b'<tu><tuv xml:lang="en"><seg>Baku talks.</seg></tuv><tuv xml:lang="az"><seg>Bak\xc4\xb1.</seg></tuv></tu>\n'
            b'<tu><tuv xml:lang="en"><seg>Talks.</seg></tuv><tuv xml:lang="' + lang.encode() +
            b'"><seg>Gespr\xc3\xa4che.</seg></tuv></tu></body></tmx>')
    counts = interchange.import_tmx(db, data, "mixed.tmx")
    assert (counts["read"], counts["stored"], counts["merged"]) == (2, 1, 0)
    assert counts["skipped"] == {f"language {lang}": 1} and counts["problems"] == []
    assert [(u["source"], u["target"]) for u in tm.units(db)] == [("Baku talks.", "Bakı.")]


def test_tmx_target_tags_are_read_as_bcp47(db):
    data = ('<tmx version="1.4"><header srclang="en-US"/><body>'
            '<tu><tuv xml:lang="EN-us"><seg>Baku talks.</seg></tuv><tuv xml:lang="az-AZ"><seg>Bakı.</seg></tuv>'
            '<tuv xml:lang="tr_TR"><seg>Bakü.</seg></tuv><tuv xml:lang="ru-Cyrl-RU"><seg>Баку.</seg></tuv></tu>'
            '</body></tmx>').encode()
    counts = interchange.import_tmx(db, data, "tags.tmx")
    assert (counts["read"], counts["stored"], counts["languages"]) == (3, 3, ["az", "ru", "tr"])
    assert tm.exact(db, "Baku talks.", "az")["target"] == "Bakı."
