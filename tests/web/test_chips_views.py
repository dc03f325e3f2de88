"""Inline codes in the web views and the API: chips in the source, the history, TM matches and find
previews (never the raw private-use characters on screen), the chip editor's data for segments with
codes only, TM matches renumbered to the segment's codes, and the API's `codes` list."""

from __future__ import annotations

import html
import re

import pytest

from workbench.core import codes
from workbench.data import store, tm
from workbench.services import translations
from workbench.services.actor import Actor

from ..conftest import CODED_SOURCE

O1, C1, O2, C2 = codes.open_char(1), codes.close_char(1), codes.open_char(2), codes.close_char(2)
GOOD = f"{O1}Nazir{C1} {O2}elçi{C2} ilə Bakıda görüşdü."
TINA = Actor.person({"name": "tina", "role": "translator"})


def visible(page: str) -> str:
    """The text a person reads (tags and attribute values left out)."""
    return html.unescape(re.sub(r"<[^>]*>", "", page))


@pytest.fixture
def coded(instance, coded_article):
    db = instance.db()
    article_id = coded_article(db)
    segments = store.segments(db, article_id)
    yield {"db": db, "article": article_id, "segment": segments[1], "plain": segments[2]}
    db.close()


def test_the_editor_shows_codes_as_chips_only_where_a_segment_has_codes(browser, coded):
    page = browser().get(f"/articles/{coded['article']}/az/").text
    assert not codes.has_codes(visible(page))
    assert "The {1}minister{/1} met the {2}envoy{/2} in Baku." in visible(page)
    assert 'aria-label="code 1 bold start"' in page and 'title="link to https://example.org/envoy"' in page
    boxes = re.findall(r"<textarea[^>]*>", page)
    assert len(boxes) == 3
    coded_box = next(b for b in boxes if "Translation of segment 2" in b)
    assert "data-chips=" in coded_box and f'data-source-codes="{O1}{C1}{O2}{C2}"' in coded_box
    assert not [b for b in boxes if "data-chips" in b and "segment 2" not in b]  # the others: plain boxes
    assert f'data-text="{CODED_SOURCE}"' in page  # what "copy source" puts in the box
    assert "Ctrl+Alt+Shift+C" in page  # the keyboard help names the shortcut
    assert "chips.js" in page


def test_history_and_memory_matches_show_chips_and_matches_take_this_segments_codes(browser, coded):
    db, segment = coded["db"], coded["segment"]
    first = translations.save(db, TINA, segment["id"], "az", f"{O1}Nazir{C1} elçi ilə Bakıda.", base_version=0)
    translations.save(db, TINA, segment["id"], "az", GOOD, base_version=first.translation["version"])
    # The same sentence elsewhere, its link and bold numbered 3 and 4: the match gets 1 and 2.
    o3, c3, o4, c4 = codes.open_char(3), codes.close_char(3), codes.open_char(4), codes.close_char(4)
    tm.add_unit(db, f"The {o3}minister{c3} met the {o4}envoy{c4} in Baku.",
                f"{o3}Nazir{c3} {o4}səfir{c4} ilə Bakıda görüşdü.", "az")
    panel = browser().get(f"/articles/{coded['article']}/az/segments/{segment['id']}/details", htmx=True).text
    assert f'data-take="{O1}Nazir{C1} {O2}səfir{C2} ilə Bakıda görüşdü."' in panel
    shown = visible(panel)
    assert not codes.has_codes(shown)
    assert "{1}Nazir{/1} {2}səfir{/2}" in shown  # the match
    assert "{2}elçi{/2}" in shown  # the history's diff
    assert 'aria-label="code 2 link to https://example.org/envoy end"' in panel


def test_an_exact_memory_match_with_other_code_ids_drafts_with_this_segments_codes(coded):
    o3, c3, o4, c4 = codes.open_char(3), codes.close_char(3), codes.open_char(4), codes.close_char(4)
    unit = {"source": f"The {o3}minister{c3} met the {o4}envoy{c4} in Baku.",
            "target": f"{o3}Nazir{c3} {o4}elçi{c4} ilə Bakıda görüşdü."}
    assert tm.target_for(unit, CODED_SOURCE) == GOOD
    # Codes that fit nothing here are left out, never another paragraph's markup brought in.
    other = {"source": f"The minister met the {o3}envoy{c3} in Baku.", "target": f"Nazir {o3}elçi{c3}."}
    assert tm.target_for(other, CODED_SOURCE) == "Nazir elçi."
    assert tm.target_for({"source": "A b.", "target": "C d."}, "A b.") == "C d."


def test_find_previews_show_chips(browser, coded):
    db, segment = coded["db"], coded["segment"]
    translations.save(db, TINA, segment["id"], "az", GOOD, base_version=0)
    page = browser().get(f"/articles/{coded['article']}/az/find/?find=elçi&replace=səfir&scope=target").text
    shown = visible(page)
    assert not codes.has_codes(shown)
    assert "{2}səfir{/2}" in shown and "{1}minister{/1}" in shown  # the preview and the source line


def test_the_api_returns_code_characters_and_lists_each_segments_codes(api, coded):
    body = api("GET", f"/articles/{coded['article']}/translations/az").get_json()
    second, third = body["segments"][1], body["segments"][2]
    assert second["source"] == CODED_SOURCE
    assert second["codes"] == [
        {"id": 1, "kind": "open", "type": "b", "label": "{1}"},
        {"id": 1, "kind": "close", "type": "b", "label": "{/1}"},
        {"id": 2, "kind": "open", "type": "a", "label": "{2}", "href": "https://example.org/envoy"},
        {"id": 2, "kind": "close", "type": "a", "label": "{/2}", "href": "https://example.org/envoy"}]
    assert third["codes"] == []
    # A save through the API keeps the characters as sent; a missing code is a QA error.
    saved = api("PUT", f"/articles/{coded['article']}/translations/az/segments/2",
                json={"target": f"{O1}Nazir{C1} elçi ilə Bakıda görüşdü.", "base_version": 0}).get_json()
    assert saved["target"] == f"{O1}Nazir{C1} elçi ilə Bakıda görüşdü." and saved["codes"] == second["codes"]
    assert [(f["check"], f["severity"]) for f in saved["findings"] if f["kind"] == "qa" and f["check"] == "codes"] \
        == [("codes", "error")]
