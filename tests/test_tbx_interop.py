"""TBX from other tools: TBX 2008/TBX-Basic (MultiTerm style), TBX v3 DCA and DCT. Every term with its
status, part of speech, context, source and notes; definitions per concept and language; the subject
field; language tags with region or script filed under en/az/tr/ru and kept as written; all of it
stored, shown and written back on export. Files: tests/data/interop/ (README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.problems import ImportRefused
from workbench.core.terms.files import read_glossary, read_glossary_entries
from workbench.data import termbase as store_terms
from workbench.services import glossary
from workbench.services.actor import Actor

DATA = Path(__file__).parent / "data" / "interop"
ADMIN = Actor.person({"name": "adam", "role": "admin"})


def _file(name: str) -> bytes:
    return (DATA / name).read_bytes()


def _statuses(concept, lang):
    return [(t.text, t.status, t.status_value) for t in concept.terms_in(lang)]


def test_tbx_basic_every_status_value_maps_and_is_kept():
    read = read_glossary_entries(_file("multiterm-tbx-basic.tbx"), "multiterm-tbx-basic.tbx")
    rank, shusha, no_english = read.concepts
    assert _statuses(rank, "en") == [("Colonel General", "preferred", "standardizedTerm-admn-sts"),
                                     ("Col-Gen", "admitted", None)]
    assert _statuses(rank, "az") == [("general-polkovnik", "preferred", None),
                                     ("general polkovnik", "forbidden", "notRecommendedTerm-admn-sts")]
    assert _statuses(rank, "tr") == [("korgeneral", "preferred", "legalTerm-admn-sts")]
    assert _statuses(rank, "ru") == [("генерал-полковник", "preferred", "regulatedTerm"),
                                     ("генерал полковник", "forbidden", "obsoleteTerm-admn-sts"),
                                     ("генерал-полк.", "admitted", "candidateTerm-admn-sts")]
    assert _statuses(shusha, "ru")[1] == ("Шуши", "forbidden", "supersededTerm-admn-sts")
    assert read.warnings == ["multiterm-tbx-basic.tbx: line 63: unknown administrativeStatus "
                             "'candidateTerm-admn-sts' of the ru-RU term 'генерал-полк.', read as admitted"]
    assert no_english.id == "org.no-english"  # read; the service's rule refuses it (below)
    assert read.problems == [{"kind": "concept", "id": "org.two-terms", "line": 89,
                              "reason": "<tig> must hold exactly one <term>"}]


def test_tbx_basic_language_tags_definitions_subject_contexts_sources_notes():
    (rank, shusha, _) = read_glossary_entries(_file("multiterm-tbx-basic.tbx"), "x.tbx").concepts
    assert {(t.lang, t.tag) for t in rank.terms} == {("en", "en-US"), ("az", "az-Latn-AZ"), ("tr", "tr-TR"),
                                                      ("ru", "ru-RU")}
    assert {(t.lang, t.tag) for t in shusha.terms} == {("en", "en-GB"), ("az", "az-AZ"), ("ru", "ru-RU")}
    assert (rank.domain, rank.subject) == ("other", "Military ranks") and (shusha.domain, shusha.subject) == ("place", None)
    assert rank.definition == "A three-star general officer rank of the post-Soviet armies."
    assert rank.source == "Azerbaijan Armed Forces rank table, 2023" and rank.note == "Checked by the desk, March 2024."
    assert rank.language_info == {"az-Latn-AZ": {"definition": "Üç ulduzlu general rütbəsi."}}
    colonel, col_gen = rank.terms_in("en")
    assert (colonel.pos, colonel.context) == ("noun", "Colonel General Rahimov met the delegation.")
    assert col_gen.note == "Headlines only."
    assert rank.terms_in("az")[0].source == "Müdafiə Nazirliyi"
    assert rank.terms_in("tr")[0].pos == "noun"  # inside the ntig's termGrp


def test_tbx_v3_dca_and_dct_read_the_same():
    dca = read_glossary(_file("tbx3-dca.tbx"), "tbx3-dca.tbx")
    dct = read_glossary(_file("tbx3-dct.tbx"), "tbx3-dct.tbx")
    assert [c.key() for c in dca] == [c.key() for c in dct]
    (ceasefire,) = dct
    assert (ceasefire.subject, ceasefire.definition, ceasefire.source) == (
        "Conflict reporting", "An agreed halt of fighting.", "Agency style book")
    assert ceasefire.language_info["az-Latn-AZ"] == {"definition": "Döyüşlərin razılaşdırılmış dayandırılması.",
                                                     "note": 'Not "sülh", which is peace.'}
    (atəşkəs,) = ceasefire.terms_in("az")
    assert (atəşkəs.tag, atəşkəs.status, atəşkəs.status_value, atəşkəs.pos, atəşkəs.source) == (
        "az-Latn-AZ", "preferred", "standardizedTerm-admn-sts", "noun", "Azərbaycan dilinin orfoqrafiya lüğəti")
    assert ceasefire.terms_in("en")[0].context == "The ceasefire held overnight."
    assert _statuses(ceasefire, "tr")[1] == ("mütareke", "forbidden", "supersededTerm-admn-sts")


@pytest.mark.parametrize("name", ["tbx3-dca.tbx", "tbx3-dct.tbx"])
def test_tbx_v3_is_stored_and_written_back_on_export(db, name):
    counts = glossary.import_file(db, ADMIN, _file(name), name, glossary="events")
    assert (counts["added"], counts["skipped"], counts["warnings"]) == (1, [], [])
    stored = store_terms.load_concepts(db, "events")
    assert [c.key() for c in stored] == [c.key() for c in read_glossary(_file(name), name)]
    exported = glossary_export(db, "events")
    for text in (b'xml:lang="az-Latn-AZ"', b"standardizedTerm-admn-sts", b'<descrip type="subjectField">Conflict reporting',
                 b'<descrip type="definition">An agreed halt of fighting.', b'<descrip type="context">The ceasefire',
                 "<admin type=\"source\">Azərbaycan dilinin".encode()):
        assert text in exported
    again = read_glossary(exported, "again.tbx")
    assert [c.key() for c in again] == [c.key() for c in stored]


def glossary_export(db, name):
    from workbench.core.terms.files import write_glossary

    return write_glossary(store_terms.load_concepts(db, name), "tbx")


def test_a_file_with_invalid_entries_is_refused_whole_naming_each(db):
    with pytest.raises(ImportRefused) as refused:
        glossary.import_file(db, ADMIN, _file("multiterm-tbx-basic.tbx"), "multiterm-tbx-basic.tbx")
    message = str(refused.value)
    assert message.startswith("multiterm-tbx-basic.tbx: 2 invalid entries; nothing was imported")
    assert "concept 'org.no-english' (line 81): the concept has no English term" in message
    assert "concept 'org.two-terms' (line 89): <tig> must hold exactly one <term>" in message
    assert not store_terms.glossary_exists(db, "multiterm-tbx-basic")


def test_skip_invalid_imports_the_valid_entries_with_everything_they_hold(db):
    counts = glossary.import_file(db, ADMIN, _file("multiterm-tbx-basic.tbx"), "multiterm-tbx-basic.tbx",
                                  glossary="defence", skip_invalid=True)
    assert (counts["added"], counts["invalid"]) == (2, 2)
    assert [(p["id"], p["line"]) for p in counts["skipped"]] == [("org.no-english", 81), ("org.two-terms", 89)]
    assert counts["warnings"][0].endswith("unknown administrativeStatus 'candidateTerm-admn-sts' of the ru-RU "
                                          "term 'генерал-полк.', read as admitted")
    rank = store_terms.get_concept(db, "defence", "rank.col-gen")
    expected = read_glossary_entries(_file("multiterm-tbx-basic.tbx"), "x.tbx").concepts[0]
    assert rank.key() == expected.key()
    # the termbase's checker finds az terms filed under az although the file wrote az-Latn-AZ
    assert [t.text for t in rank.terms_in("az", "preferred")] == ["general-polkovnik"]


def test_a_form_edit_keeps_what_the_form_does_not_show(db):
    glossary.import_file(db, ADMIN, _file("tbx3-dct.tbx"), "tbx3-dct.tbx", glossary="events")
    edited = store_terms.get_concept(db, "events", "event.ceasefire")
    from workbench.core.terms.model import Concept, Term

    form = Concept("event.ceasefire", edited.domain, "A new note.", edited.source,
                   [Term(t.lang, t.text, t.status) for t in edited.terms])
    glossary.save_concept(db, ADMIN, "events", form, original_id="event.ceasefire")
    after = store_terms.get_concept(db, "events", "event.ceasefire")
    assert after.note == "A new note."
    assert (after.definition, after.subject, after.language_info) == (edited.definition, edited.subject,
                                                                      edited.language_info)
    assert [t.key() for t in after.terms] == [t.key() for t in edited.terms]


def test_csv_rows_are_checked_one_by_one(db):
    data = ("id,domain,note,en,az\n"
            "place.baku,place,,Baku,Bakı\n"
            "place.x,nowhere,,X,İks\n"           # unknown domain
            "place.ganja,place,\"two\nlines\",Ganja,Gəncə\n"
            "place.az-only,place,,,Qəbələ\n"     # no English term
            "place.baku,place,,Baku again,Bakı\n"  # the id again
            "place.kars,place,,Kars,Qars\n").encode()
    with pytest.raises(ImportRefused) as refused:
        glossary.import_file(db, ADMIN, data, "places.csv")
    assert [(p["id"], p["line"]) for p in refused.value.problems] == [
        ("place.x", 3), ("place.az-only", 6), ("place.baku", 7)]
    assert "concept 'place.x' (line 3): unknown domain 'nowhere'" in str(refused.value)
    assert not store_terms.glossary_exists(db, "places")
    counts = glossary.import_file(db, ADMIN, data, "places.csv", skip_invalid=True)
    assert (counts["added"], counts["invalid"]) == (3, 3)
    assert sorted(c.id for c in store_terms.load_concepts(db, "places")) == ["place.baku", "place.ganja", "place.kars"]
