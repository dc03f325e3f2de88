"""Issue 21 items 5 and 6 in a real browser: who else is in the article and on which segment, the
soft lock on a segment someone is typing in (warning, explicit take-over, the first person told), and
a colleague's save appearing in an open editor within 5 s without a reload, never over unsaved text."""

from __future__ import annotations


def test_presence_on_a_segment_and_taking_it_over(server, editor_page, seg):
    from playwright.sync_api import expect

    tina = editor_page(server, "tina")
    rita = editor_page(server, "rita")
    tina.get_by_label("Translation of segment 2", exact=True).fill("Rəhimov Bakıda")  # typing, not saved
    expect(seg(rita, 2).locator(".presence-badge")).to_have_text("tina is typing here", timeout=5_000)
    expect(rita.locator("#presence")).to_contain_text("tina, typing in segment 2")
    box = rita.get_by_label("Translation of segment 2", exact=True)
    box.click()
    warning = seg(rita, 2).get_by_role("alert")
    expect(warning).to_contain_text("tina is typing in this segment.")
    expect(box).not_to_be_editable()
    warning.get_by_role("button", name="Take over").click()
    expect(box).to_be_editable()
    expect(rita.locator("#announce")).to_have_text("You took over segment 2 from tina.")
    box.fill("Rəhimov Bakıda rəsmilərlə görüşdü.")
    expect(seg(tina, 2).locator(".taken-note")).to_contain_text(
        "rita took over segment 2; your unsaved text stays in this browser.", timeout=5_000)
    expect(tina.get_by_label("Translation of segment 2", exact=True)).to_have_value("Rəhimov Bakıda")
    expect(seg(tina, 2).locator(".presence-badge")).to_have_text("rita is typing here", timeout=5_000)
    tina.context.close()
    rita.context.close()


def test_a_colleagues_save_appears_live_and_unsaved_text_stays(server, editor_page, seg):
    from playwright.sync_api import expect

    tina = editor_page(server, "tina")
    rita = editor_page(server, "rita")
    tina.get_by_label("Translation of segment 3", exact=True).fill("Onlar razılaşdılar")  # unsaved
    tina.get_by_label("Translation of segment 1", exact=True).focus()  # the caret elsewhere
    rita.get_by_label("Translation of segment 2", exact=True).fill("Rəhimov Bakıda rəsmilərlə görüşdü.")
    rita.get_by_label("Translation of segment 2", exact=True).press("Control+Enter")
    expect(seg(rita, 2).locator(".status")).to_have_text("edited")
    expect(tina.get_by_label("Translation of segment 2", exact=True)).to_have_value(
        "Rəhimov Bakıda rəsmilərlə görüşdü.", timeout=5_000)  # no reload
    expect(seg(tina, 2).locator(".status")).to_have_text("edited")
    expect(tina.locator("#counters")).to_contain_text("1 edited")
    expect(tina.get_by_label("Translation of segment 3", exact=True)).to_have_value("Onlar razılaşdılar")
    # rita also saves segment 3, where tina has unsaved text: flagged there, never overwritten
    rita.get_by_label("Translation of segment 3", exact=True).fill("Onlar razılaşdılar.")
    rita.get_by_label("Translation of segment 3", exact=True).press("Control+Enter")
    expect(seg(tina, 3).locator(".colleague-note")).to_contain_text(
        "rita saved this segment meanwhile (version 1); your text is kept", timeout=5_000)
    expect(tina.get_by_label("Translation of segment 3", exact=True)).to_have_value("Onlar razılaşdılar")
    tina.context.close()
    rita.context.close()
