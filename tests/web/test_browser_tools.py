"""Editor tools in a real browser: find and replace, concordance, comments, filters and counts."""

from __future__ import annotations

from workbench.data import store


def _translate(instance, article_id, texts: dict[int, str]):
    db = instance.db()
    segments = store.segments(db, article_id)
    for number, text in texts.items():
        store.save_translation(db, segments[number - 1]["id"], "az", text, base_version=0, user="tina")
    db.close()


def test_find_and_replace_across_pages_with_preview_and_undo(paged_server, chromium, login):
    from playwright.sync_api import expect

    server = paged_server  # two segments a page: segment 3 is not on the first page
    _translate(server["instance"], server["article"], {2: "Rahimov Bakıda rəsmilərlə görüşdü.",
                                             3: "Onlar bakıda razılaşdılar."})
    page = chromium.new_page()
    login(page, server["url"], "tina")
    page.goto(f"{server['url']}/articles/{server['article']}/az/")
    expect(page.locator(".seg")).to_have_count(2)
    page.get_by_role("link", name="Find and replace").click()
    page.get_by_label("Find", exact=True).fill("bakıda")
    page.get_by_label("Replace with").fill("Bakı şəhərində")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".find-summary")).to_have_text("2 matches in 2 segments (whole article).")
    third = page.locator(".find-hit").nth(1)
    expect(third.locator("del")).to_have_text("bakıda")
    expect(third.locator("ins")).to_have_text("Bakı şəhərində")
    # Match case leaves the capitalised one out.
    page.get_by_label("Match case").check()
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".find-summary")).to_have_text("1 match in 1 segment (whole article).")
    page.get_by_label("Match case").uncheck()
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_label("Replace in segment 3")).to_be_checked()
    page.get_by_role("button", name="Replace in ticked segments").click()
    expect(page.locator("#flash")).to_contain_text("Replaced in 2 segments (2, 3).")

    page.goto(f"{server['url']}/articles/{server['article']}/az/?page=2")
    third_box = page.get_by_label("Translation of segment 3", exact=True)
    expect(third_box).to_have_value("Onlar Bakı şəhərində razılaşdılar.")
    third_box.focus()
    expect(page.locator("#details")).to_contain_text("find and replace #")

    page.goto(f"{server['url']}/articles/{server['article']}/az/find/")
    page.get_by_role("button", name="Undo last replace").click()
    expect(page.locator("#flash")).to_contain_text("Undid the replace in 2 segments.")
    page.goto(f"{server['url']}/articles/{server['article']}/az/?page=2")
    expect(page.get_by_label("Translation of segment 3", exact=True)).to_have_value("Onlar bakıda razılaşdılar.")


def test_counts_follow_typing_and_filters_apply_on_change(server, chromium, login):
    from playwright.sync_api import expect

    _translate(server["instance"], server["article"], {1: "Bakıda danışıqlar"})
    page = chromium.new_page()
    login(page, server["url"], "tina")
    page.goto(f"{server['url']}/articles/{server['article']}/az/")
    expect(page.locator(".filter-line")).to_have_text("3 of 3 segments shown")
    second = page.locator(".seg").nth(1)
    expect(second.locator(".source .seg-counts")).to_have_text("6 words · 38 chars")
    page.get_by_label("Translation of segment 2", exact=True).fill("Rəhimov Bakıda görüşdü.")
    expect(second.locator("[data-target-counts]")).to_have_text("3 words · 23 chars")
    page.get_by_label("Status").select_option("untranslated")  # no button press: applies on change
    expect(page.locator(".filter-line")).to_have_text("2 of 3 segments shown")
    expect(page.locator(".seg")).to_have_count(2)


def test_comments_in_the_panel_update_the_segment_badge(server, chromium, login):
    from playwright.sync_api import expect

    _translate(server["instance"], server["article"], {2: "Rəhimov Bakıda görüşdü."})
    page = chromium.new_page()
    login(page, server["url"], "rita")
    page.goto(f"{server['url']}/articles/{server['article']}/az/")
    page.get_by_label("Translation of segment 2", exact=True).focus()
    box = page.get_by_label("Comment on segment 2")
    box.fill("Title: general-polkovnik, please.")
    page.get_by_role("button", name="Add comment").click()
    badge = page.locator(".seg").nth(1).locator(".comment-badge")
    expect(badge).to_have_text("1 open comment")
    # History and comment times are shown in local time, with the UTC stamp kept in the tooltip.
    stamp = page.locator("#details .comment time")
    expect(stamp).to_have_attribute("data-localised", "true")
    assert "T" not in stamp.text_content() and "+00:00" in stamp.get_attribute("title")
    page.get_by_role("button", name="Resolve comment 1").click()
    expect(page.locator("#details .comment-state")).to_have_text("resolved by rita")
    expect(badge).to_have_text("1 resolved comment")


def test_side_panel_starts_at_its_top_for_each_segment(server, chromium, login):
    from playwright.sync_api import expect

    _translate(server["instance"], server["article"], {n: f"Versiya {n}." for n in (1, 2, 3)})
    page = chromium.new_page()
    page.set_viewport_size({"width": 1366, "height": 500})
    login(page, server["url"], "tina")
    page.goto(f"{server['url']}/articles/{server['article']}/az/")
    page.get_by_label("Translation of segment 2", exact=True).focus()
    expect(page.locator("#details h2")).to_have_text("Segment 2")
    page.locator("#details").evaluate("node => { node.scrollTop = node.scrollHeight; }")
    assert page.locator("#details").evaluate("node => node.scrollTop") > 0
    page.get_by_label("Translation of segment 3", exact=True).focus()
    expect(page.locator("#details h2")).to_have_text("Segment 3")
    expect(page.locator("#details")).to_have_js_property("scrollTop", 0)


def test_concordance_from_selected_source_words_with_ctrl_k(live_article, chromium, login):
    from playwright.sync_api import expect

    from workbench.data import tm

    # A server of its own: the counts of memory hits below are of this memory alone, without the
    # units that other tests' approvals add on the shared server.
    server = live_article(kind="memory")
    db = server["instance"].db()
    tm.add_unit(db, "Col-Gen Rahimov met officials in Ganja.", "General-polkovnik Rəhimov Gəncədə rəsmilərlə görüşdü.", "az")
    tm.add_unit(db, "Officials met in Baku.", "Rəsmilər Bakıda görüşdü.", "az")
    db.close()
    page = chromium.new_page()
    login(page, server["url"], "tina")
    page.goto(f"{server['url']}/articles/{server['article']}/az/")
    page.get_by_label("Translation of segment 2", exact=True).focus()
    page.evaluate("""() => {
        const source = document.querySelectorAll('.seg .source-text')[1];
        const walker = document.createTreeWalker(source, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode()) && !node.data.includes('met officials')) {}
        const start = node.data.indexOf('met officials');
        const range = document.createRange();
        range.setStart(node, start); range.setEnd(node, start + 'met officials'.length);
        document.activeElement.blur();
        window.getSelection().removeAllRanges(); window.getSelection().addRange(range);
    }""")
    page.keyboard.press("Control+k")
    dialog = page.get_by_role("dialog", name="Concordance search")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Words to look up")).to_have_value("met officials")
    expect(dialog.locator(".concordance-list li")).to_have_count(1)  # the phrase, not both words anywhere
    expect(dialog.locator("mark")).to_have_text(["met", "officials"])
    # Typed words work too, and "Use" takes the unit's translation into the active segment.
    dialog.get_by_label("Words to look up").fill("Bakıda")
    dialog.get_by_role("button", name="Search memory").click()
    expect(dialog.locator(".concordance-list li")).to_have_count(1)
    expect(dialog.locator("mark")).to_have_text(["Bakıda"])
    page.keyboard.press("Escape")
    page.get_by_label("Translation of segment 2", exact=True).fill("Mənim qaralamam")
    page.keyboard.press("Control+k")
    dialog.get_by_role("button", name="Use memory unit 1").click()
    expect(dialog).to_be_hidden()
    second = page.get_by_label("Translation of segment 2", exact=True)
    expect(second).to_have_value("Rəsmilər Bakıda görüşdü.")
    expect(second).to_be_focused()
    page.keyboard.press("Control+z")  # the translator's own text comes back
    expect(second).to_have_value("Mənim qaralamam")
