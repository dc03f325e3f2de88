"""Concept suggestions: validated when made, decided once, refused over a later edit; CLI."""

import pytest

from workbench.data import termbase as store_terms, users
from workbench.services import suggestions
from workbench.data.store import NotFound
from workbench.core.terms.model import Concept, GlossaryError, Term
from workbench.core.terms.search import matches

GLOSSARY = "places-organisations"


def ganja():
    return Concept("place.ganja", "place", "az from Wikipedia", terms=[
        Term("en", "Ganja"), Term("az", "Gəncə"), Term("tr", "Gence")])


def test_new_concept_accepted_with_history(db):
    number = suggestions.suggest(db, GLOSSARY, ganja(), user="tina", comment="second city")
    assert [r["status"] for r in suggestions.listing(db, "open")] == ["open"]
    with pytest.raises(NotFound):
        store_terms.get_concept(db, GLOSSARY, "place.ganja")  # nothing changes before a decision
    row = suggestions.decide(db, number, True, user="adam", note="sourced")
    assert (row["status"], row["decided_by"], row["decision_note"]) == ("accepted", "adam", "sourced")
    assert store_terms.get_concept(db, GLOSSARY, "place.ganja").key() == ganja().key()
    history = store_terms.concept_history(db, GLOSSARY, "place.ganja")
    assert history[0]["changed_by"] == "adam" and "suggestion 1 by tina accepted" in history[0]["action"]
    with pytest.raises(suggestions.SuggestionError, match="accepted already by adam"):
        suggestions.decide(db, number, False, user="adam")


def test_change_refused_after_a_later_edit_and_reject_keeps_the_concept(db):
    baku = store_terms.get_concept(db, GLOSSARY, "place.baku")
    changed = Concept(baku.id, baku.domain, baku.note, baku.source, list(baku.terms) + [Term("tr", "Bakuda", "forbidden")])
    first = suggestions.suggest(db, GLOSSARY, changed, user="tina", original_id="place.baku")
    second = suggestions.suggest(db, GLOSSARY, changed, user="tina", original_id="place.baku")
    suggestions.decide(db, first, True, user="adam")
    with pytest.raises(suggestions.SuggestionError, match="changed since suggestion"):
        suggestions.decide(db, second, True, user="adam")
    assert suggestions.decide(db, second, False, user="adam")["status"] == "rejected"
    assert store_terms.get_concept(db, GLOSSARY, "place.baku").terms_in("tr", "forbidden")[0].text == "Bakuda"


def test_suggestions_are_validated_when_made(db):
    with pytest.raises(GlossaryError, match="no English term"):
        suggestions.suggest(db, GLOSSARY, Concept("place.x", "place", terms=[Term("az", "X")]), user="tina")
    with pytest.raises(GlossaryError, match="unknown domain"):
        suggestions.suggest(db, GLOSSARY, Concept("place.x", "planet", terms=[Term("en", "X")]), user="tina")
    with pytest.raises(GlossaryError, match="exists already"):
        suggestions.suggest(db, GLOSSARY, Concept("place.baku", "place", terms=[Term("en", "X")]), user="tina")
    with pytest.raises(GlossaryError, match="nothing changed"):
        suggestions.suggest(db, GLOSSARY, store_terms.get_concept(db, GLOSSARY, "place.baku"), user="tina",
                            original_id="place.baku")
    with pytest.raises(GlossaryError, match="no glossary"):
        suggestions.suggest(db, "nope", ganja(), user="tina")


@pytest.mark.parametrize("query,concept", [("Bakıda", "place.baku"), ("susa", "place.shusha"),
                                            ("ŞUŞA", "place.shusha"), ("Bakü'den", "place.baku"),
                                            ("Азербайджане", "place.azerbaijan"), ("tumgeneral", None)])
def test_search_finds_inflected_and_folded_forms(db, query, concept):
    found = [c.id for c in store_terms.load_concepts(db) if matches(c, query)]
    assert (concept in found) if concept else found == []


def test_cli(cli, instance):
    db = instance.db()
    users.add_user(db, "tina", "correct horse", "translator")
    users.add_user(db, "adam", "correct horse", "admin")
    out = cli("terms", "suggest", "--glossary", GLOSSARY, "--id", "place.ganja", "--domain", "place",
              "--term", "en=Ganja", "--term", "az=Gəncə", "--by", "tina").stdout
    assert "Suggestion 1 stored" in out
    listed = cli.json("terms", "suggestions", "--status", "open")["suggestions"]
    assert [(s["id"], s["created_by"], s["proposed"]["id"]) for s in listed] == [(1, "tina", "place.ganja")]
    refused = cli("terms", "accept", "1", "--by", "tina", ok=False)
    assert refused.exit_code != 0 and "not an admin" in refused.output
    assert "accepted" in cli("terms", "accept", "1", "--by", "adam").stdout
    assert "place.ganja" in cli("terms", "search", "gence").stdout
    found = cli.json("terms", "search", "Bakıda")["concepts"]
    assert [c["id"] for c in found] == ["place.baku"]
    bad = cli("terms", "suggest", "--glossary", GLOSSARY, "--id", "place.x", "--domain", "place",
              "--term", "az=X", "--by", "tina", ok=False)
    assert bad.exit_code != 0 and "no English term" in bad.output and "Traceback" not in bad.output
