"""The editor's safety and ergonomics in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import pytest

from .live import PASSWORD, serve
from .test_browser import CHROMIUM, chromium  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="Debian's chromium is not installed")]
SHORT = "Talks in Baku\nCol-Gen Rahimov met officials in Baku. They agreed.\n"


@pytest.fixture
def live(instance):
    yield from serve(instance, SHORT)


def _page(chromium, live, name, width=1366, height=768):  # noqa: F811
    page = chromium.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(live["url"] + "/login")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live["url"] + "/")
    page.goto(f"{live['url']}/articles/{live['article']}/az/")
    return page


def _seg(page, number):
    return page.locator(".seg", has=page.get_by_label(f"Translation of segment {number}", exact=True))


def test_ctrl_enter_on_an_approved_segment_keeps_it_approved(live, chromium):  # noqa: F811
    from playwright.sync_api import expect

    page = _page(chromium, live, "rita")
    second = page.get_by_label("Translation of segment 2", exact=True)
    second.fill("General-polkovnik Rəhimov Bakıda rəsmilərlə görüşdü.")
    second.press("Control+Shift+Enter")
    expect(_seg(page, 2).locator(".status")).to_have_text("approved")
    version = _seg(page, 2).get_attribute("data-version")
    page.get_by_label("Translation of segment 2", exact=True).press("Control+Enter")  # nothing changed
    expect(page.get_by_label("Translation of segment 3", exact=True)).to_be_focused()  # moved on
    expect(_seg(page, 2).locator(".status")).to_have_text("approved")
    assert _seg(page, 2).get_attribute("data-version") == version
    # A real change re-opens it, and the reviewer finds it with the filter.
    second = page.get_by_label("Translation of segment 2", exact=True)
    second.fill("General-polkovnik Rəhimov Bakıda nazirlə görüşdü.")
    second.press("Control+Enter")
    expect(_seg(page, 2).locator(".status")).to_have_text("edited")
    expect(_seg(page, 2)).to_contain_text("changed after approval")
    page.get_by_label("Show").select_option("reopened")
    page.wait_for_url("**only=reopened**")
    expect(page.locator(".seg")).to_have_count(1)
    expect(page.get_by_label("Translation of segment 2", exact=True)).to_be_visible()


def test_restore_from_an_old_history_panel_meets_a_conflict(live, chromium):  # noqa: F811
    from playwright.sync_api import expect

    tina = _page(chromium, live, "tina")
    first = tina.get_by_label("Translation of segment 1", exact=True)
    first.fill("Bakıda danışıqlar")
    first.press("Control+Enter")
    expect(_seg(tina, 1).locator(".status")).to_have_text("edited")
    first = tina.get_by_label("Translation of segment 1", exact=True)
    first.fill("Bakıda görüş")
    first.press("Control+Enter")
    expect(_seg(tina, 1)).to_have_attribute("data-version", "2")
    tina.get_by_label("Translation of segment 1", exact=True).focus()
    restore = tina.get_by_role("button", name="Restore v1")
    expect(restore).to_be_visible()
    rita = _page(chromium, live, "rita")  # a colleague saves after tina's panel was drawn
    third = rita.get_by_label("Translation of segment 1", exact=True)
    third.fill("Bakıda danışıqlar aparılıb")
    third.press("Control+Enter")
    expect(_seg(rita, 1)).to_have_attribute("data-version", "3")
    restore.click()
    conflict = tina.locator(".seg.conflict")
    expect(conflict).to_contain_text("rita saved this segment")
    expect(conflict.locator(".mine")).to_have_text("Bakıda danışıqlar")
    expect(conflict.locator(".theirs")).to_have_text("Bakıda danışıqlar aparılıb")
    tina.get_by_role("button", name="Keep mine").click()
    expect(tina.get_by_label("Translation of segment 1", exact=True)).to_have_value("Bakıda danışıqlar")
    expect(_seg(tina, 1)).to_have_attribute("data-version", "4")


def test_a_failed_save_keeps_focus_and_is_announced(live, chromium):  # noqa: F811
    from playwright.sync_api import expect

    tina, rita = _page(chromium, live, "tina"), _page(chromium, live, "rita")
    rita.get_by_label("Translation of segment 2", exact=True).fill("Rəhimov Bakıda görüşdü.")
    rita.get_by_label("Translation of segment 2", exact=True).press("Control+Enter")
    expect(_seg(rita, 2).locator(".status")).to_have_text("edited")
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
    reason = _seg(rita, 3).get_by_label("Reason for approving it anyway")
    expect(reason).to_be_focused()
    expect(rita.locator("#announce")).to_have_text("Segment 3 not approved: it has errors; give a reason.")
