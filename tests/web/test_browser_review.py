"""A reviewer's and a keyboard user's path through the editor, in a real browser: the reason box
never blocks a plain save, Enter in it approves, Ctrl+Enter carries on across pages and stops
visibly at the end, filters step with the arrow keys, and the counters follow every save."""

from __future__ import annotations

import pytest

TEXT = "Talks in Baku\nCol-Gen Rahimov met officials in Baku. They agreed.\nPrices rose by 3 percent.\n"


@pytest.fixture
def live(live_article):
    """Four segments on the session's server whose editor shows two segments a page."""
    return live_article(TEXT, kind="paged", config="EDITOR_PAGE_SIZE = 2\n")


def _refused_approval(page, number: int, text: str):
    from playwright.sync_api import expect

    area = page.get_by_label(f"Translation of segment {number}", exact=True)
    area.fill(text)
    page.get_by_role("button", name=f"Approve segment {number}").click()
    reason = page.get_by_label("Reason for approving it anyway")
    expect(reason).to_be_focused()
    return reason


def test_a_fix_is_saved_while_the_reason_box_is_open(live, editor_page, seg):
    from playwright.sync_api import expect

    page = editor_page(live, "rita")
    _refused_approval(page, 2, "Col-Gen Rahimov met officials in Baku.")  # left in English: a QA error
    page.get_by_label("Translation of segment 2", exact=True).fill("General-polkovnik Rəhimov Bakıda rəsmilərlə görüşdü.")
    page.get_by_role("button", name="Save segment 2").click()
    expect(seg(page, 2).locator(".status")).to_have_text("edited")
    expect(seg(page, 2)).to_have_attribute("data-version", "1")
    expect(page.get_by_label("Reason for approving it anyway")).to_have_count(0)


def test_enter_in_the_reason_box_approves_with_that_reason(live, editor_page, seg):
    from playwright.sync_api import expect

    page = editor_page(live, "rita")
    reason = _refused_approval(page, 2, "Col-Gen Rahimov met officials in Baku.")
    reason.fill("the desk keeps the English quote")
    reason.press("Enter")
    expect(seg(page, 2).locator(".status")).to_have_text("approved")
    page.get_by_label("Translation of segment 2", exact=True).focus()
    expect(page.locator("#details")).to_contain_text("approved despite errors: the desk keeps the English quote")


def test_ctrl_enter_goes_on_to_the_next_page_and_stops_at_the_last_segment(live, editor_page, seg):
    from playwright.sync_api import expect

    page = editor_page(live, "tina")  # pages of 2: segments 1-2, 3-4
    expect(page.locator(".page-line")).to_have_text("(page 1 of 2: segments 1–2)")
    second = page.get_by_label("Translation of segment 2", exact=True)
    second.fill("General-polkovnik Rəhimov Bakıda rəsmilərlə görüşdü.")
    second.press("Control+Enter")
    page.wait_for_url("**page=2**")
    expect(page.get_by_label("Translation of segment 3", exact=True)).to_be_focused()
    assert "General-polkovnik" not in page.locator(".segments").inner_text()  # page 2 only
    fourth = page.get_by_label("Translation of segment 4", exact=True)
    fourth.fill("Qiymətlər 3 faiz artdı.")
    fourth.press("Control+Enter")
    expect(seg(page, 4).locator(".status")).to_have_text("edited")
    expect(page.get_by_label("Translation of segment 4", exact=True)).to_be_focused()
    expect(page.locator("#announce")).to_have_text("Saved. This is the last segment of the article.")


def test_arrow_keys_step_through_a_filter_and_enter_applies_it(live, editor_page):
    from playwright.sync_api import expect

    page = editor_page(live, "tina")
    before = page.url
    status = page.get_by_label("Status")
    status.focus()
    status.press("ArrowDown")
    status.press("ArrowDown")
    page.wait_for_timeout(300)  # a submit would have started navigating by now
    assert page.url == before
    expect(status).to_be_focused()
    status.press("Enter")
    page.wait_for_url("**status=mt_draft**")
    expect(page.locator(".filter-line")).to_have_text("0 of 4 segments shown")


def test_counters_words_and_export_note_follow_each_save(live, editor_page):
    from playwright.sync_api import expect

    page = editor_page(live, "tina")
    expect(page.locator(".article-counts")).to_contain_text("Translation: 0 words")
    expect(page.locator(".export-warning")).to_contain_text("4 untranslated")
    first = page.get_by_label("Translation of segment 1", exact=True)
    first.fill("Bakıda danışıqlar")
    first.press("Control+Enter")
    expect(page.locator(".article-counts")).to_contain_text("Translation: 2 words")
    expect(page.locator(".export-warning")).to_contain_text("3 untranslated")


def test_f6_reaches_the_side_panel_and_a_memory_match_can_be_undone(live, editor_page):
    from playwright.sync_api import expect

    from workbench.data import tm

    db = live["instance"].db()
    tm.add_unit(db, "Talks in Baku", "Bakıda danışıqlar", "az")
    db.close()
    page = editor_page(live, "tina")
    first = page.get_by_label("Translation of segment 1", exact=True)
    first.fill("Mənim qaralamam")
    use = page.get_by_role("button", name="Use memory match 1")
    expect(use).to_be_visible()
    first.press("F6")
    expect(use).to_be_focused()
    page.keyboard.press("Enter")
    expect(first).to_have_value("Bakıda danışıqlar")
    expect(first).to_be_focused()
    page.keyboard.press("Control+z")
    expect(first).to_have_value("Mənim qaralamam")  # the translator's own text is back
    first.press("F6")
    expect(use).to_be_focused()
    page.keyboard.press("Escape")
    expect(first).to_be_focused()


def test_a_translator_is_told_that_ctrl_shift_enter_only_saved(live, editor_page, seg):
    from playwright.sync_api import expect

    page = editor_page(live, "tina")
    first = page.get_by_label("Translation of segment 1", exact=True)
    first.fill("Bakıda danışıqlar")
    first.press("Control+Shift+Enter")
    expect(seg(page, 1).locator(".status")).to_have_text("edited")
    expect(page.locator("#announce")).to_have_text("Only reviewers approve: saved as edited.")


def test_the_full_header_leaves_most_of_a_laptop_screen_to_the_segments(live, editor_page):
    """At 1366x768 the header was 281 px (a third of the height) before title and languages shared a line."""
    page = editor_page(live, "tina")
    head = page.locator(".editor-head").bounding_box()
    title, languages = page.locator(".editor-head > h1").bounding_box(), page.get_by_label("Languages").bounding_box()
    assert abs(title["y"] - languages["y"]) < title["height"]  # one line
    assert head["height"] < 250
