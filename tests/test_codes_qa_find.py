"""Inline codes in QA, find & replace, the editor's views and the API: errors for missing, extra,
doubled and crossing codes, searches that never touch a code, texts shown as chips, never as raw
private-use characters."""

from __future__ import annotations

import re

import pytest

from workbench.core import chips, codes, qa
from workbench.core.document import Block
from workbench.core.errors import UserError
from workbench.core.formats.articles import _blocks_to_doc
from workbench.data import store
from workbench.services import approval, articles, find_replace, repetitions, translations
from workbench.services.actor import Actor
from workbench.services.find_replace import Query

from .conftest import CODED_SOURCE

O1, C1, O2, C2 = codes.open_char(1), codes.close_char(1), codes.open_char(2), codes.close_char(2)
GOOD = f"Nazir {O1}nazir{C1} {O2}elçi{C2} ilə Bakıda görüşdü."
REVIEWER = Actor.person({"name": "rita", "role": "reviewer"})


def visible(html) -> str:
    """What a person reads of an HTML fragment (the text between tags)."""
    return re.sub(r"<[^>]*>", "", str(html))


def code_errors(target: str, source: str = CODED_SOURCE) -> list[str]:
    return [f.message for f in qa.check(source, target, "az") if f.check == "codes"]


def test_a_target_with_every_code_once_and_nested_has_no_code_finding():
    assert code_errors(GOOD) == []
    assert all(f.severity != "error" for f in qa.check(CODED_SOURCE, GOOD, "az"))


@pytest.mark.parametrize("target, words", [
    (f"Nazir {O1}nazir{C1} elçi ilə Bakıda görüşdü.", "missing inline codes {2}, {/2}"),
    (f"{O1}Nazir{C1} {O2}elçi{C2} ilə {codes.ph_char(3)} Bakıda.", "inline code {3/} not in the source"),
    (f"{O1}Nazir{C1} {O1}elçi{C1} {O2}x{C2}.", "more than once"),
    (f"{O1}Nazir {O2}elçi{C1} x{C2}.", "cross"),
    (f"{C1}Nazir{O1} {O2}elçi{C2}.", "comes before"),
])
def test_missing_extra_doubled_and_crossing_codes_are_errors(target, words):
    found = [f for f in qa.check(CODED_SOURCE, target, "az") if f.check == "codes"]
    assert len(found) == 1 and found[0].severity == "error"
    assert words in found[0].message.lower()
    assert "Ctrl+Alt+Shift+C" in found[0].message  # says how to fix it


def test_other_checks_read_the_texts_without_codes():
    # Codes at the end do not hide the full stop, nor count as characters or spaces.
    target = f"Nazir {O1}nazir{C1} {O2}elçi{C2} ilə Bakıda görüşdü."
    assert [f.check for f in qa.check(CODED_SOURCE, target, "az") if f.check in ("punctuation", "spaces")] == []
    # A target of codes alone is empty, and says only that.
    assert [(f.check, f.severity) for f in qa.check(CODED_SOURCE, O1 + C1 + O2 + C2, "az")] == [("untranslated", "error")]
    # The source as it is (codes and all) is still "the same as the English source".
    assert "untranslated" in [f.check for f in qa.check(CODED_SOURCE, CODED_SOURCE, "az")]


def test_texts_without_codes_are_checked_as_before():
    source, target = "Officials met 3 envoys in Baku.", "Rəsmilər Bakıda 4 elçi ilə görüşdü"
    found = qa.check(source, target, "az")
    assert [f.check for f in found if f.check in ("numbers", "punctuation")] == ["numbers", "punctuation"]
    assert not [f for f in found if f.check == "codes"]
    assert qa.check_codes(source, target) == []


def test_approving_over_a_missing_code_needs_a_reason(db, coded_article):
    article_id = coded_article(db)
    segment = store.segments(db, article_id)[1]
    assert segment["text"] == CODED_SOURCE
    missing = f"Nazir {O1}nazir{C1} elçi ilə Bakıda görüşdü."
    assert any("missing inline codes {2}, {/2}" in e.lower() for e in approval.blocking_errors(db, segment["text"], missing, "az"))
    with pytest.raises(translations.NeedsReason) as refused:
        translations.save(db, REVIEWER, segment["id"], "az", missing, base_version=0, approve=True)
    assert "missing inline codes" in str(refused.value).lower()
    saved = translations.save(db, REVIEWER, segment["id"], "az", missing, base_version=0, approve=True,
                              reason="the link is dropped on purpose")
    assert saved.translation["status"] == "approved" and saved.translation["text"] == missing
    assert store.history(db, segment["id"], "az")[0]["note"] == "approved despite errors: the link is dropped on purpose"
    # With every code, no reason is needed.
    done = translations.save(db, REVIEWER, segment["id"], "az", GOOD, base_version=saved.translation["version"],
                             approve=True)
    assert done.translation["status"] == "approved" and done.translation["text"] == GOOD


def test_find_never_matches_over_a_code_and_replacing_keeps_codes(db, coded_article):
    article_id = coded_article(db)
    segment = store.segments(db, article_id)[1]
    translations.save(db, REVIEWER, segment["id"], "az", GOOD, base_version=0)
    # The words run across the code {/1}: no match (a match never covers a code).
    assert find_replace.search(db, article_id, "az", Query("nazir elçi")) == []
    assert Query("nazir elçi", "X").apply(GOOD) == GOOD
    hits = find_replace.search(db, article_id, "az", Query("elçi", "səfir"))
    assert [h["number"] for h in hits] == [2]
    # The preview shows chips, never the private-use characters.
    for shown in (hits[0]["before"], hits[0]["after"], hits[0]["marked"]):
        assert not codes.has_codes(visible(shown)) and "{1}" in visible(shown) and "{/2}" in visible(shown)
        assert 'aria-label="code 2 link to https://example.org/envoy end"' in str(shown)
    run = find_replace.replace(db, article_id, "az", Query("elçi", "səfir"), {segment["id"]: hits[0]["version"]},
                               actor=REVIEWER)
    assert run["changed"] == [2]
    stored = store.get_translation(db, segment["id"], "az")["text"]
    assert stored == f"Nazir {O1}nazir{C1} {O2}səfir{C2} ilə Bakıda görüşdü."
    # Whole words end at a code: "nazir" inside {1}nazir{/1} is a whole word.
    assert Query("nazir", "N", whole_word=True, case=True).apply(stored) == \
        f"Nazir {O1}N{C1} {O2}səfir{C2} ilə Bakıda görüşdü."


@pytest.mark.parametrize("find, replace", [(O1, "x"), ("nazir", C1 + "x")])
def test_a_code_character_is_never_searched_nor_put_in(find, replace):
    with pytest.raises(UserError, match="inline code character"):
        Query(find, replace)


def test_chips_say_what_each_code_stands_for():
    marks = {"1": {"type": "b"}, "2": {"type": "a", "attrs": {"href": "https://example.org/envoy"}}}
    html = str(chips.render(CODED_SOURCE, marks))
    assert visible(html) == "The {1}minister{/1} met the {2}envoy{/2} in Baku."
    assert 'aria-label="code 1 bold start"' in html and 'aria-label="code 1 bold end"' in html
    assert 'title="link to https://example.org/envoy"' in html and ">{/2}</span>" in html
    assert 'class="chip chip-c0"' in html and 'class="chip chip-c1"' in html
    assert chips.describe(codes.ph_char(3), {"3": {"type": "br", "paired": False}})["name"] == "code 3 line break"
    assert chips.describe(codes.ph_char(3), marks)["name"] == "code 3 not in the source"
    assert chips.describe(codes.open_char(4), None)["name"] == "code 4 inline markup start"  # marks unknown
    assert chips.render("a < b") == "a &lt; b"  # no codes: escaped text as before
    assert chips.code_list(CODED_SOURCE, marks) == [
        {"id": 1, "kind": "open", "type": "b", "label": "{1}"}, {"id": 1, "kind": "close", "type": "b", "label": "{/1}"},
        {"id": 2, "kind": "open", "type": "a", "label": "{2}", "href": "https://example.org/envoy"},
        {"id": 2, "kind": "close", "type": "a", "label": "{/2}", "href": "https://example.org/envoy"}]


def test_a_repetition_with_other_code_ids_takes_the_edit_with_its_own_codes(db):
    o3, c3 = codes.open_char(3), codes.close_char(3)
    marks = {"1": codes.Mark("b"), "2": codes.Mark("a", {"href": "https://example.org/envoy"}), "3": codes.Mark("i")}
    blocks = [Block("title", "Talks"),
              Block("paragraph", CODED_SOURCE, codes={k: marks[k] for k in ("1", "2")}),
              Block("paragraph", f"The {o3}minister{c3} met the envoy in Baku.", codes={"3": marks["3"]}),
              Block("paragraph", f"The {O1}minister{C1} met the {O2}envoy{C2} in Baku.",
                    codes={k: marks[k] for k in ("1", "2")})]
    made = articles.create_article(db, Actor.person({"name": "t", "role": "translator"}),
                                   _blocks_to_doc(blocks, "html", "r.html"))
    first, other, same = store.segments(db, made["article"])[1:4]
    assert repetitions.for_copy(GOOD, first["text"], same["text"]) == GOOD
    assert repetitions.for_copy(GOOD, first["text"], other["text"]) == "Nazir nazir elçi ilə Bakıda görüşdü."
    translations.save(db, Actor.person({"name": "t", "role": "translator"}), first["id"], "az", GOOD, base_version=0)
    assert store.get_translation(db, same["id"], "az")["text"] == GOOD  # a machine-free copy: it follows
    assert store.get_translation(db, other["id"], "az")["text"] == "Nazir nazir elçi ilə Bakıda görüşdü."
