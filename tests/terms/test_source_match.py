"""English source matching: variants, possessives, compounds, longest match, capitals."""

from workbench.core.terms.source_match import SourceMatcher


def _matcher():
    m = SourceMatcher()
    for term, concept in [("Colonel General", "cg"), ("Col-Gen", "cg"), ("Col. Gen.", "cg"),
                          ("Baku", "baku"), ("Tbilisi", "tbilisi"), ("Azerbaijan", "az"),
                          ("Baku-Tbilisi-Ceyhan pipeline", "btc"), ("Major", "major"),
                          ("General", "general"), ("U.S.", "us")]:
        m.add(term, concept)
    return m


def _found(text):
    return [(f.concept, f.text) for f in _matcher().find(text)]


def test_hyphen_space_and_dot_variants():
    assert _found("Col-Gen Rahimov") == [("cg", "Col-Gen")]
    assert _found("Col. Gen. Rahimov") == [("cg", "Col. Gen")]
    assert _found("the colonel general said") == [("cg", "colonel general")]
    assert _found("Col Gen Rahimov") == [("cg", "Col Gen")]


def test_longest_match_first_and_possessives():
    assert _found("Colonel General Smith") == [("cg", "Colonel General")]
    assert _found("Azerbaijan's army and Azerbaijan’s navy") == [("az", "Azerbaijan's"), ("az", "Azerbaijan’s")]


def test_inside_hyphenated_compounds():
    assert _found("the Baku-Tbilisi-Ceyhan and Baku-Tbilisi-Kars lines") == [
        ("baku", "Baku"), ("tbilisi", "Tbilisi"), ("baku", "Baku"), ("tbilisi", "Tbilisi")]
    assert _found("the Baku-Tbilisi-Ceyhan pipeline") == [("btc", "Baku-Tbilisi-Ceyhan pipeline")]


def test_word_boundaries_and_capitalised_single_words():
    assert _found("Bakuvian Azerbaijani") == []
    assert _found("a major step") == []
    assert _found("Major Aliyev") == [("major", "Major")]
    assert _found("the U.S. Army") == [("us", "U.S")]


def test_scales_to_tens_of_thousands_of_terms():
    m = SourceMatcher()
    for i in range(30000):
        m.add(f"Term{i} Word{i % 97}", f"c{i}")
    found = m.find("We met Term29999 Word26 and term5 word5 today.")
    assert [f.concept for f in found] == ["c29999", "c5"]
