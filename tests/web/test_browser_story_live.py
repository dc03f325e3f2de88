"""Issue 19 items 1-3 in a real browser: a story update under an open editor is announced live,
removed segments turn read-only and keep what is typed, unsaved typing survives a reload."""

from __future__ import annotations

from workbench.core.segment import segment_text
from workbench.services import story_versions

V2 = "Talks in Baku\nCol-Gen Rahimov met officials in Ganja.\n"  # sentence 2 changed, sentence 3 removed


def _update(live):
    db = live["instance"].db()
    story_versions.update_article(db, live["article"], title=None, byline=None, filename="talks-v2.txt", fmt="txt",
                                  segmentation=segment_text(V2), user="cms")
    db.close()


def test_open_editor_learns_of_a_new_version_and_keeps_what_is_typed(server, editor_page, seg):
    from playwright.sync_api import expect

    page = editor_page(server, "tina")
    second = page.get_by_label("Translation of segment 2", exact=True)
    third = page.get_by_label("Translation of segment 3", exact=True)
    second.fill("Rəhimov Bakıda görüşdü.")
    third.fill("Onlar razılaşdılar.")
    _update(server)
    news = page.locator("#story-news")
    expect(news).to_contain_text("The story was updated to version 2 while you worked: 1 changed, 1 removed "
                                 "since version 1.", timeout=10_000)
    expect(news.get_by_role("link", name="see the changes")).to_be_visible()
    expect(third).not_to_be_editable()
    expect(seg(page, 3)).to_contain_text("Removed from the story in version 2")
    expect(seg(page, 2)).to_contain_text("The source of this segment changed in version 2")
    expect(second).to_have_value("Rəhimov Bakıda görüşdü.")  # nothing typed is replaced
    expect(third).to_have_value("Onlar razılaşdılar.")
    third.press("Control+Enter")  # the removed segment's text is kept by the server, said in words
    expect(page.locator(".seg.removed")).to_contain_text(
        "This paragraph was removed from the story in version 2; your text is kept under Removed in version 2.")
    page.goto(page.url.split("#")[0])
    removed = page.get_by_role("region", name="Removed in version 2")
    expect(removed).to_contain_text("They agreed.")
    expect(removed.get_by_label("Text tina typed for removed segment 3")).to_have_value("Onlar razılaşdılar.")
    page.context.close()


def test_unsaved_text_on_a_segment_whose_source_changed_is_offered_back(server, editor_page, seg):
    from playwright.sync_api import expect

    page = editor_page(server, "tina")
    second = page.get_by_label("Translation of segment 2", exact=True)
    second.fill("Rəhimov Bakıda görüşdü.")
    second.press("Control+Enter")
    expect(seg(page, 2).locator(".status")).to_have_text("edited")
    page.get_by_label("Translation of segment 2", exact=True).fill("Rəhimov Bakıda rəsmilərlə görüşdü.")  # not saved
    _update(server)
    page.reload()
    expect(seg(page, 2).locator(".status")).to_have_text("source changed")
    offer = page.get_by_role("group", name="Your unsaved text for segment 2")
    expect(offer).to_contain_text("Rəhimov Bakıda rəsmilərlə görüşdü.")
    second = page.get_by_label("Translation of segment 2", exact=True)
    expect(second).to_have_value("Rəhimov Bakıda görüşdü.")  # the stored draft, until the person chooses
    offer.get_by_role("button", name="Use my unsaved text").click()
    expect(second).to_have_value("Rəhimov Bakıda rəsmilərlə görüşdü.")
    expect(seg(page, 2).locator("[data-target-counts]")).to_have_text("4 words · 34 chars")
    page.reload()  # kept across a reload (a crash) until the server confirms it
    expect(page.get_by_label("Translation of segment 2", exact=True)).to_have_value("Rəhimov Bakıda rəsmilərlə görüşdü.")
    page.get_by_label("Translation of segment 2", exact=True).press("Control+Enter")
    expect(seg(page, 2).locator(".status")).to_have_text("edited")
    page.reload()
    expect(page.get_by_role("group", name="Your unsaved text for segment 2")).to_have_count(0)
    expect(page.locator(".draft-note").first).to_be_hidden()
    page.context.close()
