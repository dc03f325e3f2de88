"""Inline codes as chips in a real browser (Playwright driving Debian's Chromium): a segment with a
bold and a link, chips placed with the keyboard shortcut, one moved by dragging, the stored text
carrying exactly the code characters, and an approval over a missing code that needs a reason."""

from __future__ import annotations

import pytest

from workbench.core import codes
from workbench.data import store

from ..conftest import CODED_SOURCE

O1, C1, O2, C2 = codes.open_char(1), codes.close_char(1), codes.open_char(2), codes.close_char(2)
SHORTCUT = "Control+Alt+Shift+KeyC"


@pytest.fixture
def coded(live_servers, coded_article):
    """The coded article (segment 2: "The {1}minister{/1} met the {2}envoy{/2} in Baku.") on the
    session's default server."""
    server = live_servers.get()
    db = server["instance"].db()
    article_id = coded_article(db)
    db.close()
    return {**server, "article": article_id}


def stored(live, number: int) -> dict:
    db = live["instance"].db()
    try:
        segment = store.segment_by_number(db, live["article"], number)
        return {**store.get_translation(db, segment["id"], "az"),
                "history": store.history(db, segment["id"], "az")}
    finally:
        db.close()


def drop_point(box, word: str) -> dict:
    """Where, inside the box, the caret goes right after `word` (for a drop)."""
    return box.evaluate("""(box, word) => {
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const node = walker.currentNode, at = node.data.indexOf(word);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at + word.length - 1);
            range.setEnd(node, at + word.length);
            const r = range.getBoundingClientRect(), b = box.getBoundingClientRect();
            return {x: r.right - b.left + 0.5, y: r.top + r.height / 2 - b.top};
        }
        return null;
    }""", word)


def test_chips_placed_by_shortcut_moved_by_drag_saved_and_approved_over_a_missing_one(coded, editor_page, seg):
    from playwright.sync_api import expect

    page = editor_page(coded, "rita")
    row = seg(page, 2)
    # The source shows chips that say what they stand for, never the private-use characters.
    source = row.locator(".source-text")
    expect(source).to_contain_text("The {1}minister{/1} met the {2}envoy{/2} in Baku.")
    expect(source.get_by_role("img", name="code 1 bold start")).to_have_attribute("title", "bold")
    expect(source.get_by_role("img", name="code 2 link to https://example.org/envoy end")).to_be_visible()
    # The segment without codes keeps its plain text box.
    expect(seg(page, 3).locator("textarea")).to_be_visible()
    expect(seg(page, 3).locator(".chip-editor")).to_have_count(0)

    box = page.get_by_label("Translation of segment 2", exact=True)
    expect(box).to_have_attribute("contenteditable", "true")
    box.click()
    page.keyboard.type("Nazir elçi ilə Bakıda görüşdü.")
    # The shortcut puts the next code the translation lacks at the caret: {1} … {/1} round "Nazir".
    page.keyboard.press("Home")
    page.keyboard.press(SHORTCUT)
    expect(box.get_by_role("img", name="code 1 bold start")).to_be_visible()
    for _ in "Nazir":
        page.keyboard.press("ArrowRight")
    page.keyboard.press(SHORTCUT)
    page.keyboard.press("ArrowRight")  # the space
    page.keyboard.press(SHORTCUT)      # {2} before "elçi"
    page.keyboard.press("End")
    page.keyboard.press(SHORTCUT)      # {/2} at the end: in the wrong place
    closing = box.get_by_role("img", name="code 2 link to https://example.org/envoy end")
    expect(closing).to_have_attribute("title", "link to https://example.org/envoy")
    area = row.locator("textarea")
    expect(area).to_have_value(f"{O1}Nazir{C1} {O2}elçi ilə Bakıda görüşdü.{C2}")
    # Every code is in now: the shortcut says so and adds nothing.
    page.keyboard.press(SHORTCUT)
    expect(page.locator("#announce")).to_have_text("Every inline code of the source is in the translation.")
    # Drag {/2} to right after "elçi": it moves whole (one chip, none left behind).
    closing.drag_to(box, target_position=drop_point(box, "elçi"))
    expect(area).to_have_value(f"{O1}Nazir{C1} {O2}elçi{C2} ilə Bakıda görüşdü.")
    expect(box.locator(".chip")).to_have_count(4)
    expect(row.locator(".code-palette .missing")).to_have_count(0)
    # Cut and paste carry the chips whole: "ilə Bakıda görüşdü." cut, then pasted back before "Nazir".
    box.focus()
    page.keyboard.press("End")
    for _ in "ilə Bakıda görüşdü.":
        page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Control+x")
    expect(area).to_have_value(f"{O1}Nazir{C1} {O2}elçi{C2} ")
    page.keyboard.press("Control+a")
    page.keyboard.press("Control+x")
    expect(area).to_have_value("")
    page.keyboard.press("Control+v")
    expect(area).to_have_value(f"{O1}Nazir{C1} {O2}elçi{C2} ")
    page.keyboard.press("End")
    page.keyboard.type("ilə Bakıda görüşdü.")
    expect(area).to_have_value(f"{O1}Nazir{C1} {O2}elçi{C2} ilə Bakıda görüşdü.")

    box.press("Control+Enter")
    expect(row.locator(".status")).to_have_text("edited")
    assert stored(coded, 2)["text"] == f"{O1}Nazir{C1} {O2}elçi{C2} ilə Bakıda görüşdü."
    # The history shows chips, never the raw characters.
    box = page.get_by_label("Translation of segment 2", exact=True)
    expect(box).to_have_attribute("contenteditable", "true")  # the new segment has its chips again
    box.click()
    history = page.locator("#details .history .diff").first
    expect(history).to_contain_text("{1}Nazir{/1} {2}elçi{/2}")
    assert not codes.has_codes(history.inner_text())

    # Copy source (Ctrl+Space) brings the source's chips along.
    box.press("Control+Space")
    expect(row.locator("textarea")).to_have_value(CODED_SOURCE)
    expect(box.locator(".chip")).to_have_count(4)
    # A glossary term goes in at the caret, the chips stay.
    page.keyboard.press("End")
    page.keyboard.type(" ")
    page.locator("#details").get_by_role("button", name="Insert Bakı").click()
    expect(row.locator("textarea")).to_have_value(CODED_SOURCE + " Bakı")
    expect(box.locator(".chip")).to_have_count(4)
    # A chip dragged from the source moves the translation's own one there (never a second one).
    source.get_by_role("img", name="code 2 link to https://example.org/envoy start").drag_to(
        box, target_position=drop_point(box, "Bakı"))
    expect(row.locator("textarea")).to_have_value(CODED_SOURCE.replace(O2, "") + " Bakı" + O2)
    expect(box.locator(".chip")).to_have_count(4)

    # Without its codes the translation cannot be approved without a reason.
    box.fill("Nazir elçi ilə Bakıda görüşdü.")
    expect(row.locator(".code-palette .missing")).to_have_count(4)
    box.press("Control+Shift+Enter")
    reason = page.get_by_label("Reason for approving it anyway")
    expect(reason).to_be_focused()
    expect(row.locator(".need-reason")).to_contain_text("Missing inline codes {1}, {/1}, {2}, {/2}")
    assert stored(coded, 2)["status"] == "edited"
    reason.fill("the CMS adds the link itself")
    reason.press("Enter")
    expect(row.locator(".status")).to_have_text("approved")
    saved = stored(coded, 2)
    assert saved["status"] == "approved" and saved["text"] == "Nazir elçi ilə Bakıda görüşdü."
    assert saved["history"][0]["note"] == "approved despite errors: the CMS adds the link itself"
