"""Target checking with morphology: a table of inflected, forbidden, missing and look-alike cases."""

import pytest

from workbench.core.terms.check import TermChecker
from workbench.core.terms.model import Concept, Term
from workbench.core.terms.morphology import find_term, fold, text_words

# (lang, term, text, found?) — attested news forms must be found; look-alike words must not.
CASES = [
    # Azerbaijani: suffixes with vowel harmony and buffer consonants, no apostrophe
    ("az", "Bakı", "Bakıda keçirilən görüş", True),
    ("az", "Bakı", "nümayəndə heyəti Bakıya gəlir", True),
    ("az", "Bakı", "Bakının küçələri", True),
    ("az", "Şuşa", "Şuşaya səfər", True),
    ("az", "Şuşa", "azad edilmiş Şuşada", True),
    ("az", "Ankara", "Ankaradakı park", True),
    ("az", "Türkiyə", "Türkiyənin dəstəyi", True),
    ("az", "Gürcüstan", "Gürcüstandan keçir", True),
    ("az", "Dağlıq Qarabağ", "Dağlıq Qarabağda əməliyyat", True),
    ("az", "general-polkovnik", "rütbəsi general-polkovnikdir", True),
    ("az", "polkovnik", "61 polkovnikə general rütbəsi", True),
    ("az", "Qarabağ", "Qaradağ rayonu", False),
    ("az", "Bakı", "Bakılı jurnalist", False),  # -lı derives only on places (domain given: test_morphology_compounds)
    # Turkish: apostrophe before suffixes on proper nouns (both ' and ’), directly on common nouns
    ("tr", "Bakü", "Bakü’den ham petrol", True),
    ("tr", "Bakü", "Bakü'de toplantı", True),
    ("tr", "Türkiye", "Türkiye'nin desteği", True),
    ("tr", "Şuşa", "Şuşa’yı da içermesi", True),
    ("tr", "Dağlık Karabağ", "Dağlık Karabağ’ın çevresi", True),
    ("tr", "orgeneral", "korgeneral ve orgenerale denir", True),
    ("tr", "Albay", "Albayla görüştü", True),
    ("tr", "Tümgeneral", "bir Tümgeneral'e bağlı", True),
    ("tr", "İstanbul", "ISTANBUL'DA", False),  # dotless I: Turkish case folding keeps them apart
    ("tr", "Ermenistan", "Ermeniler geldi", False),
    ("tr", "Kars", "Karslı yazar", False),  # no domain given: no derivation
    # Russian: every word of a multi-word term and each part of a hyphenated one
    ("ru", "генерал-полковник", "с генерал-полковником Гасановым", True),
    ("ru", "генерал-полковник", "генерала-полковника Закира Гасанова", True),
    ("ru", "Шушинская декларация", "положения Шушинской декларации", True),
    ("ru", "военное положение", "объявление военного положения", True),
    ("ru", "Нагорный Карабах", "город Шуша в Нагорном Карабахе", True),
    ("ru", "Азербайджан", "в Азербайджане", True),
    ("ru", "Турция", "президенты Азербайджана и Турции", True),
    ("ru", "Шуша", "Визит в Шушу", True),
    ("ru", "Баку", "в Баку прибыла", True),
    ("ru", "генерал армии", "с генералом армии Герасимовым", True),
    ("ru", "Карс", "Карсон приехал", False),
    ("ru", "Россия", "россиянин приехал", False),
    ("ru", "Армения", "армянский", False),
]


@pytest.mark.parametrize("lang,term,text,expected", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_inflected_forms(lang, term, text, expected):
    assert bool(find_term(term, text_words(text, lang), lang)) is expected


def test_turkish_case_folding():
    assert fold("İSTANBUL", "tr") == "istanbul" and fold("IĞDIR", "tr") == "ığdır"
    assert fold("ЁЛКА", "ru") == "елка"


@pytest.fixture
def checker():
    concepts = [
        Concept("place.baku", "place", glossary="g", terms=[
            Term("en", "Baku"), Term("az", "Bakı"), Term("tr", "Bakü"), Term("ru", "Баку")]),
        Concept("place.azerbaijan", "place", glossary="g", terms=[
            Term("en", "Azerbaijan"), Term("az", "Azərbaycan"), Term("az", "Azerbaycan", "forbidden"),
            Term("ru", "Азербайджан")]),
        Concept("rank.colonel_general", "rank", glossary="g", terms=[
            Term("en", "Colonel General"), Term("en", "Col-Gen", "admitted"),
            Term("az", "general-polkovnik"), Term("ru", "генерал-полковник")]),
        Concept("org.ssmc", "org", glossary="other", terms=[
            Term("en", "State Service for Mobilization and Conscription"),
            Term("ru", "Государственная служба по мобилизации")]),
    ]
    return TermChecker(concepts)


def _statuses(findings):
    return [(f.concept, f.status, f.target) for f in findings]


def test_ok_missing_forbidden_and_counted_occurrences(checker):
    source = "In Baku, Col. Gen. Rahimov said Azerbaijan's army and Baku agree."
    target = "Bakıda general-polkovnik Rəhimov bildirib ki, Azerbaycan ordusu razıdır."
    assert _statuses(checker.check(source, target, "az")) == [
        ("place.baku", "ok", "Bakıda"),
        ("rank.colonel_general", "ok", "general-polkovnik"),
        ("place.azerbaijan", "forbidden", "Azerbaycan"),
        ("place.baku", "missing", None),  # the second Baku has no counterpart
    ]


def test_forbidden_wins_over_ok(checker):
    found = checker.check("Azerbaijan", "Azərbaycan və Azerbaycan", "az")
    assert [f.status for f in found] == ["forbidden"]


def test_concepts_without_target_terms_are_not_reported(checker):
    found = checker.check("The State Service for Mobilization and Conscription met in Baku.",
                          "Bakü'de toplantı yapıldı.", "tr")
    assert _statuses(found) == [("place.baku", "ok", "Bakü'de")]


def test_glossary_filter(checker):
    source = "The State Service for Mobilization and Conscription met in Baku."
    assert [f.concept for f in checker.check(source, "", "ru", glossary="other")] == ["org.ssmc"]


def test_choice_prefers_the_hypothesis_with_the_glossary_terms(checker):
    from workbench.core.mt.engine import Hypothesis

    hyps = [Hypothesis("Bakuda Azerbaycan ordusu", -0.1), Hypothesis("Bakıda Azərbaycan ordusu", -0.5),
            Hypothesis("Bakıda Azerbaycan ordusu", -0.3)]
    index, why = checker.choose("Azerbaijan's army in Baku", hyps, "az")
    assert index == 1 and "Alternative 2 preferred" in why
    # No concept in the source: the model's order stands.
    assert checker.choose("The army met.", hyps, "az") == (0, None)
    # A tie keeps the model's first choice.
    assert checker.choose("Baku", [Hypothesis("Bakı", -1), Hypothesis("Bakıda", -2)], "az") == (0, None)
