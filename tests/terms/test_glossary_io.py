"""Glossary import and export: CSV/TSV/TBX, round trips, translate-toolkit, malformed and hostile files."""


import pytest

from workbench.data import termbase as store_terms
from workbench.core.terms.files import read_glossary, write_glossary
from workbench.core.terms.model import GlossaryError

CSV = ("id,domain,note,en,az,tr,ru\n"
       "rank.cg,rank,\"Three-star, post-Soviet\",Colonel General | Col-Gen,general-polkovnik,,генерал-полковник\n"
       "place.baku,place,,Baku,Bakı | !Baki,Bakü,Баку\n")

TBX_2008 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "http://www.ttt.org/oscarstandards/tbx/TBXcoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader>
<text><body>
 <termEntry id="place.baku">
  <descrip type="subjectField">place</descrip>
  <langSet xml:lang="en"><tig><term>Baku</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig></langSet>
  <langSet xml:lang="az">
    <ntig><termGrp><term>Bakı</term><termNote type="partOfSpeech">noun</termNote></termGrp></ntig>
    <tig><term>Baki</term><termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></tig>
  </langSet>
 </termEntry>
</body></text></martif>
"""

TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
<tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader>
<text><body>
 <conceptEntry id="rank.major">
  <descrip type="subjectField">rank</descrip>
  <langSec xml:lang="en"><termSec><term>Major</term></termSec><termSec><term>Maj.</term>
    <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec></langSec>
  <langSec xml:lang="tr"><termSec><term>Binbaşı</term></termSec>
    <termSec><term>Major</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec></langSec>
 </conceptEntry>
</body></text></tbx>
"""


def _terms(concept, lang):
    return [(t.text, t.status) for t in concept.terms_in(lang)]


@pytest.mark.parametrize("variant", ["comma", "semicolon", "tab", "bom"])
def test_csv_variants(variant):
    text = CSV
    if variant == "semicolon":
        text = text.replace(",", ";").replace('"Three-star; post-Soviet"', '"Three-star, post-Soviet"')
    if variant == "tab":
        text = text.replace(",", "\t").replace('"Three-star\t post-Soviet"', "Three-star, post-Soviet")
    data = ("\ufeff" + text).encode() if variant == "bom" else text.encode()
    concepts = read_glossary(data, "g.tsv" if variant == "tab" else "g.csv")
    cg, baku = concepts
    assert cg.id == "rank.cg" and cg.domain == "rank" and cg.note == "Three-star, post-Soviet"
    assert _terms(cg, "en") == [("Colonel General", "preferred"), ("Col-Gen", "admitted")]
    assert _terms(cg, "tr") == []
    assert _terms(baku, "az") == [("Bakı", "preferred"), ("Baki", "forbidden")]


def test_tbx_2008_with_doctype_is_read_without_fetching_the_dtd():
    (baku,) = read_glossary(TBX_2008.encode(), "g.tbx")
    assert baku.id == "place.baku" and baku.domain == "place"
    assert _terms(baku, "az") == [("Bakı", "preferred"), ("Baki", "forbidden")]
    assert baku.terms_in("az")[0].pos == "noun"


def test_tbx_v3():
    (major,) = read_glossary(TBX_V3.encode(), "g.tbx")
    assert _terms(major, "en") == [("Major", "preferred"), ("Maj.", "admitted")]
    assert _terms(major, "tr") == [("Binbaşı", "preferred"), ("Major", "forbidden")]


@pytest.mark.parametrize("data,name,message", [
    (b"id,domain,note,en\nx,nowhere,,Baku\n", "g.csv", "g.csv: line 2: concept 'x': unknown domain 'nowhere'"),
    (b"id,domain,note,English\nx,place,,Baku\n", "g.csv", "g.csv: line 1: column 'English'"),
    (b"domain,note,en\nplace,,Baku\n", "g.csv", "no 'id' column"),
    (b"id,domain,note,en\nx,place,,Baku\nx,place,,Bakuu\n", "g.csv", "concept id 'x' appears twice"),
    (b"id,domain,note,en\nx,place,,\n", "g.csv", "line 2: concept 'x' has no terms"),
    (b"id,domain,note,en\nx,place,,Bak\xff\n", "g.csv", "line 2: not valid UTF-8"),
    (b"<martif><text><body><termEntry id='a'>\n<langSet><tig><term>x</term></tig></langSet>"
     b"</termEntry></body></text></martif>", "g.tbx", "g.tbx: line 2: <langSet> without xml:lang"),
    (b"<martif><text>\n<body><termEntry id='a'></body></text></martif>", "g.tbx", "g.tbx: line 2: not well-formed"),
    (b"<glossary/>", "g.tbx", "root element <glossary>"),
    (b"hello", "g.json", "unknown glossary format '.json'"),
])
def test_malformed_files_name_file_line_and_problem(data, name, message):
    with pytest.raises(GlossaryError) as error:
        read_glossary(data, name)
    assert message in str(error.value)


def test_an_unknown_status_is_a_warning_naming_it_and_reads_as_admitted():
    from workbench.core.terms.files import read_glossary_entries

    read = read_glossary_entries(
        b"<martif><text><body><termEntry id='a'><langSet xml:lang='en'><tig><term>x</term>"
        b"<termNote type='administrativeStatus'>maybe</termNote></tig></langSet></termEntry></body></text></martif>",
        "g.tbx")
    assert read.problems == [] and read.warnings == [
        "g.tbx: line 1: unknown administrativeStatus 'maybe' of the en term 'x', read as admitted"]
    (term,) = read.concepts[0].terms
    assert (term.status, term.status_value) == ("admitted", "maybe")


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<martif><text><body><termEntry id="a"><langSet xml:lang="en"><tig><term>&lol3;</term></tig></langSet></termEntry></body></text></martif>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<martif><text><body><termEntry id="a"><langSet xml:lang="en"><tig><term>&xxe;</term></tig></langSet></termEntry></body></text></martif>"""


@pytest.mark.parametrize("data", [BOMB, XXE], ids=["entity-bomb", "external-entity"])
def test_hostile_xml_is_refused(data):
    with pytest.raises(GlossaryError, match="declares XML entities"):
        read_glossary(data, "evil.tbx")


def test_import_merges_by_id_replaces_and_round_trips(db, tmp_path):
    concepts = read_glossary(CSV.encode(), "g.csv")
    assert store_terms.import_concepts(db, "g", concepts)["added"] == 2
    again = store_terms.import_concepts(db, "g", read_glossary(CSV.encode(), "g.csv"))
    assert (again["added"], again["unchanged"]) == (0, 2)
    extra = read_glossary(b"id,domain,note,en,az\nplace.kars,place,,Kars,Qars\n", "x.csv")
    assert store_terms.import_concepts(db, "g", extra)["added"] == 1
    assert len(store_terms.load_concepts(db, "g")) == 3
    assert store_terms.import_concepts(db, "g", extra, replace=True)["removed"] == 2
    assert [c.id for c in store_terms.load_concepts(db, "g")] == ["place.kars"]

    store_terms.import_concepts(db, "g", concepts + extra, replace=True)
    before = sorted(c.key() for c in store_terms.load_concepts(db, "g"))
    for fmt in ("csv", "tsv", "tbx"):
        exported = write_glossary(store_terms.load_concepts(db, "g"), fmt)
        store_terms.import_concepts(db, f"copy-{fmt}", read_glossary(exported, f"x.{fmt}"))
        assert sorted(c.key() for c in store_terms.load_concepts(db, f"copy-{fmt}")) == before


def test_bad_import_changes_nothing(db):
    store_terms.import_concepts(db, "g", read_glossary(CSV.encode(), "g.csv"))
    concepts = read_glossary(CSV.encode(), "g.csv")
    concepts[1].domain = "nowhere"  # invalid: the check inside the transaction must refuse it
    before = store_terms.load_concepts(db, "g")
    with pytest.raises(GlossaryError, match="unknown domain 'nowhere'"):
        store_terms.save_concept(db, "g", concepts[1], user="x", original_id="place.baku")
    assert [c.key() for c in store_terms.load_concepts(db, "g")] == [c.key() for c in before]


def test_translate_toolkit_reads_our_tbx_with_the_same_terms():
    from translate.storage import tbx

    concepts = read_glossary(CSV.encode(), "g.csv")
    store = tbx.tbxfile.parsestring(write_glossary(concepts, "tbx"))
    assert [u.getid() for u in store.units] == ["rank.cg", "place.baku"]
    for unit, concept in zip(store.units, concepts):
        assert [t.text for t in unit.get_source_terms()] == [t.text for t in concept.terms_in("en")]
        for lang in ("az", "ru"):
            theirs = [(t.text, t.deprecated) for t in unit.get_target_terms(lang)]
            ours = [(t.text, t.status == "forbidden") for t in concept.terms_in(lang)]
            assert theirs == ours


def test_tbx_written_by_translate_toolkit_is_read(tmp_path):
    from translate.storage import tbx

    store = tbx.tbxfile()
    unit = store.addsourceunit("Shusha")
    unit.settarget("Şuşa", lang="az")
    unit.setid("place.shusha")
    (concept,) = read_glossary(bytes(store), "tt.tbx")
    assert concept.id == "place.shusha"
    assert [t.text for t in concept.terms_in("en")] == ["Shusha"]
    assert [t.text for t in concept.terms_in("az")] == ["Şuşa"]


def test_cli_import_export_and_check(cli, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(CSV, encoding="utf-8")
    counts = cli.json("glossary", "import", str(path))
    assert counts["glossary"] == "mine" and counts["added"] == 2
    out = tmp_path / "out.tbx"
    cli("glossary", "export", "--format", "tbx", "--glossary", "mine", "-o", str(out))
    assert b'<termEntry id="rank.cg">' in out.read_bytes()
    result = cli.json("glossary", "check", "--lang", "az", "--glossary", "mine",
                      "--source", "Col-Gen Rahimov arrived in Baku.",
                      "--target", "General-polkovnik Rəhimov Baki şəhərinə gəldi.")
    assert result == {"findings": [
        {"concept": "rank.cg", "status": "ok", "source": "Col-Gen", "target": "General-polkovnik"},
        {"concept": "place.baku", "status": "forbidden", "source": "Baku", "target": "Baki"}]}
    bad = tmp_path / "bad.csv"
    bad.write_text("id,domain,note,en\nx,nowhere,,Baku\n")
    failed = cli("glossary", "import", str(bad), ok=False)
    assert failed.exit_code == 1 and "Traceback" not in failed.output
    assert "bad.csv: 1 invalid entry; nothing was imported" in failed.output
    assert "concept 'x' (line 2): unknown domain 'nowhere'" in failed.output


def test_shipped_glossaries_are_loaded_and_cover_the_sample_names(cli):
    names = {g["name"]: g["concepts"] for g in cli.json("glossary", "list")["glossaries"]}
    assert set(names) == {"military-ranks", "places-organisations", "people-and-media"}
    source = ("A meeting was held in Baku between the head of Azerbaijan’s State Service for Mobilization "
              "and Conscription, Col-Gen Arzu Rahimov, and Turkey's Mehmet Erdogan on the Shusha "
              "Declaration, Nagorno-Karabakh, Armenia, Russia, Georgia, Kars, Tbilisi, Ceyhan and TANAP.")
    found = cli.json("glossary", "check", "--lang", "ru", "--source", source, "--target", "")["findings"]
    assert {f["concept"] for f in found} >= {
        "place.baku", "place.azerbaijan", "org.ssmc", "rank.colonel_general", "person.arzu_rahimov",
        "place.turkey", "person.mehmet_erdogan", "event.shusha_declaration", "place.nagorno_karabakh",
        "place.armenia", "place.russia", "place.georgia", "place.kars", "place.tbilisi", "place.ceyhan",
        "org.tanap"}
    # No invented Turkish equivalent for Colonel General: nothing is reported for tr.
    tr = cli.json("glossary", "check", "--lang", "tr", "--source", "Col-Gen Arzu Rahimov", "--target", "x")
    assert [f["concept"] for f in tr["findings"]] == ["person.arzu_rahimov"]
