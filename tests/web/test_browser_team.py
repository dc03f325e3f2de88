"""Issue 21 in a real browser: a reviewer assigns a language on the dashboard, another translator
finds it read-only, the assigned translator sends it to review, the reviewer sends it back with a
reason, and the translator's bell and notifications say so."""

from __future__ import annotations

import re


def test_assign_read_only_send_to_review_send_back_and_the_notification(server, chromium, login, seg):
    from playwright.sync_api import expect

    url, article = server["url"], server["article"]

    def page_of(name):
        page = chromium.new_context(viewport={"width": 1366, "height": 900}).new_page()
        login(page, url, name)
        return page

    rita = page_of("rita")
    rita.goto(f"{url}/#article-{article}")
    card = rita.locator(f"#article-{article}")
    card.locator("details.team > summary").click()
    row = card.locator("tr", has=rita.get_by_role("rowheader", name="az", exact=True))
    row.get_by_label("Translator").select_option("tina")
    row.get_by_label("Reviewer").select_option("rita")
    row.get_by_role("button", name=re.compile("^Assign az")).click()
    expect(rita.locator(".flash").first).to_contain_text("Assignment of the az translation saved.")

    tom = page_of("tom")
    tom.goto(f"{url}/articles/{article}/az/")
    expect(tom.get_by_text("Read-only: assigned to tina.")).to_be_visible()
    expect(tom.get_by_label("Translation of segment 2", exact=True)).not_to_be_editable()

    tina = page_of("tina")
    tina.goto(f"{url}/articles/{article}/az/")
    expect(tina.get_by_label("Translation of segment 2", exact=True)).to_be_editable()
    tina.get_by_role("button", name="Send to review").click()
    expect(tina.get_by_role("group", name="Assignment")).to_contain_text("in review")

    rita.goto(f"{url}/articles/{article}/az/")
    rita.get_by_label("Reason").fill("Use the official rank: general-polkovnik.")
    rita.get_by_role("button", name="Send back").click()
    expect(rita.get_by_role("group", name="Assignment")).to_contain_text("sent back: Use the official rank")

    tina.goto(f"{url}/articles/{article}/az/")
    bell = tina.get_by_role("link", name=re.compile(r"^Notifications, [1-9]\d* unread$"))
    expect(bell).to_be_visible()
    bell.click()
    expect(tina.get_by_text(re.compile(r"\(az\) was sent back"))).to_be_visible()
    expect(tina.get_by_text("Reason: Use the official rank: general-polkovnik.")).to_be_visible()
    for page in (rita, tom, tina):
        page.context.close()
