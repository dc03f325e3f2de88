"""The editor's safety and ergonomics in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def live(server):
    """The three-segment article (title and two sentences) on the session's default server."""
    return server


def test_ctrl_enter_on_an_approved_segment_keeps_it_approved(live, editor_page, seg):
    from playwright.sync_api import expect

    page = editor_page(live, "rita")
    second = page.get_by_label("Translation of segment 2", exact=True)
    second.fill("General-polkovnik Rəhimov Bakıda rəsmilərlə görüşdü.")
    second.press("Control+Shift+Enter")
    expect(seg(page, 2).locator(".status")).to_have_text("approved")
    version = seg(page, 2).get_attribute("data-version")
    page.get_by_label("Translation of segment 2", exact=True).press("Control+Enter")  # nothing changed
    expect(page.get_by_label("Translation of segment 3", exact=True)).to_be_focused()  # moved on
    expect(seg(page, 2).locator(".status")).to_have_text("approved")
    assert seg(page, 2).get_attribute("data-version") == version
    # A real change re-opens it, and the reviewer finds it with the filter.
    second = page.get_by_label("Translation of segment 2", exact=True)
    second.fill("General-polkovnik Rəhimov Bakıda nazirlə görüşdü.")
    second.press("Control+Enter")
    expect(seg(page, 2).locator(".status")).to_have_text("edited")
    expect(seg(page, 2)).to_contain_text("changed after approval")
    page.get_by_label("Show").select_option("reopened")
    page.wait_for_url("**only=reopened**")
    expect(page.locator(".seg")).to_have_count(1)
    expect(page.get_by_label("Translation of segment 2", exact=True)).to_be_visible()


def _offline_from_live_updates(page):
    """The page stops hearing of colleagues' changes (a dropped connection to the live poll), so a
    save based on what it shows meets the version check: the conflict path these tests are about.
    With the poll, a colleague's save reaches an idle segment first (tests/web/test_browser_live.py)."""
    page.route(re.compile(r".*/live(\?.*)?$"), lambda route: route.abort())


def test_restore_from_an_old_history_panel_meets_a_conflict(live, editor_page, seg):
    from playwright.sync_api import expect

    tina = editor_page(live, "tina")
    _offline_from_live_updates(tina)
    first = tina.get_by_label("Translation of segment 1", exact=True)
    first.fill("Bakıda danışıqlar")
    first.press("Control+Enter")
    expect(seg(tina, 1).locator(".status")).to_have_text("edited")
    first = tina.get_by_label("Translation of segment 1", exact=True)
    first.fill("Bakıda görüş")
    first.press("Control+Enter")
    expect(seg(tina, 1)).to_have_attribute("data-version", "2")
    tina.get_by_label("Translation of segment 1", exact=True).focus()
    restore = tina.get_by_role("button", name="Restore v1")
    expect(restore).to_be_visible()
    rita = editor_page(live, "rita")  # a colleague saves after tina's panel was drawn
    third = rita.get_by_label("Translation of segment 1", exact=True)
    third.fill("Bakıda danışıqlar aparılıb")
    third.press("Control+Enter")
    expect(seg(rita, 1)).to_have_attribute("data-version", "3")
    restore.click()
    conflict = tina.locator(".seg.conflict")
    expect(conflict).to_contain_text("rita saved this segment")
    expect(conflict.locator(".mine")).to_have_text("Bakıda danışıqlar")
    expect(conflict.locator(".theirs")).to_have_text("Bakıda danışıqlar aparılıb")
    tina.get_by_role("button", name="Keep mine").click()
    expect(tina.get_by_label("Translation of segment 1", exact=True)).to_have_value("Bakıda danışıqlar")
    expect(seg(tina, 1)).to_have_attribute("data-version", "4")


def test_a_failed_save_keeps_focus_and_is_announced(live, editor_page, seg):
    from playwright.sync_api import expect

    tina, rita = editor_page(live, "tina"), editor_page(live, "rita")
    _offline_from_live_updates(tina)
    rita.get_by_label("Translation of segment 2", exact=True).fill("Rəhimov Bakıda görüşdü.")
    rita.get_by_label("Translation of segment 2", exact=True).press("Control+Enter")
    expect(seg(rita, 2).locator(".status")).to_have_text("edited")
    second = tina.get_by_label("Translation of segment 2", exact=True)
    second.fill("Rəhimov Bakıda rəsmilərlə görüşdü.")
    second.press("Control+Enter")  # stale: a conflict
    conflict = tina.locator(".seg.conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_be_focused()  # not the next segment
    expect(tina.get_by_label("Translation of segment 3", exact=True)).not_to_be_focused()
    announce = tina.locator("#announce")
    expect(announce).to_have_text("Segment 2 not saved: rita saved it meanwhile.")
    assert announce.get_attribute("aria-live") == "assertive"
    # A refused approval (an error without a reason) keeps the reviewer on that segment too.
    third = rita.get_by_label("Translation of segment 3", exact=True)
    third.fill("They agreed.")
    third.press("Control+Shift+Enter")
    reason = seg(rita, 3).get_by_label("Reason for approving it anyway")
    expect(reason).to_be_focused()
    expect(rita.locator("#announce")).to_have_text("Segment 3 not approved: it has errors; give a reason.")
