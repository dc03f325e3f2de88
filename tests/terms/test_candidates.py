"""Term candidates: names outside the glossary, counted, with their renderings; precision first."""

from workbench.services.candidates import candidates
from workbench.core.terms.names import source_names


def _texts(text, common=frozenset()):
    return [n.text for n in source_names(text, frozenset(common))]


def test_source_names_precision():
    assert _texts("Officials met Vusal Mammadli in Ganja.") == ["Vusal Mammadli", "Ganja"]
    # a lone sentence-initial capital is not a name; an acronym is
    assert _texts("Officials met. Reports said so.") == []
    assert _texts("NATO met. OSCE too.") == ["NATO", "OSCE"]
    # connectors join a multi-word name; stop words and weekdays are not names
    assert _texts("He visited the State Service for Mobilization and Conscription on Monday.") == [
        "State Service for Mobilization and Conscription"]
    # titles alone are common nouns; a capitalised word the archive writes in lower case is too
    assert _texts("They met the President and the Delegation.", {"delegation"}) == []
    # a sentence-initial common word is dropped from the front of a name
    assert _texts("Envoy Elnur Qasimli spoke.", {"envoy"}) == ["Elnur Qasimli"]


def test_candidates_counts_and_renderings(db, candidates_seed):
    first, _ = candidates_seed(db)
    found = candidates(db)
    assert found[0] == {"source": "Vusal Mammadli", "count": 3, "renderings": {
        "az": ["Vüsal Məmmədli"], "tr": ["Vusal Memmedli"], "ru": []}}
    sources = [c["source"] for c in found]
    # glossary terms (Baku, Col-Gen, Ankara) and "Rahimov" beside the rank; "Officials" starts a sentence
    assert "Baku" not in sources and "Ankara" not in sources and "Officials" not in sources
    assert "Caspian Energy Forum" in sources
    assert [c["source"] for c in candidates(db, first)][:1] == ["Vusal Mammadli"]
    assert candidates(db, first)[0]["count"] == 2
    only_tr = candidates(db, lang="tr")[0]["renderings"]
    assert only_tr == {"az": [], "tr": ["Vusal Memmedli"], "ru": []}


def test_cli_json_shape(cli, instance, candidates_seed):
    candidates_seed(instance.db())
    data = cli.json("terms", "candidates")
    assert list(data) == ["candidates"]
    counts = [c["count"] for c in data["candidates"]]
    assert counts == sorted(counts, reverse=True)
    for item in data["candidates"]:
        assert list(item) == ["source", "count", "renderings"]
        assert list(item["renderings"]) == ["az", "tr", "ru"]
    assert "Vusal Mammadli" in cli("terms", "candidates", "--article", "2").stdout
    missing = cli("terms", "candidates", "--article", "99", ok=False)
    assert missing.exit_code != 0 and "Traceback" not in missing.output
