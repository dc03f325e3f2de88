"""Editor tools in a real browser: find and replace, concordance, comments, filters and counts."""

from __future__ import annotations

import pytest

from workbench import store

from .test_browser import _login, chromium, paged_server, pytestmark, server  # noqa: F401 (fixtures)


def _translate(instance, article_id, texts: dict[int, str]):
    db = instance.db()
    segments = store.segments(db, article_id)
    for number, text in texts.items():
        store.save_translation(db, segments[number - 1]["id"], "az", text, base_version=0, user="tina")
    db.close()


def test_find_and_replace_across_pages_with_preview_and_undo(paged_server, chromium, instance):
    from playwright.sync_api import expect

    server = paged_server  # two segments a page: segment 3 is not on the first page
    _translate(instance, server["article"], {2: "Rahimov Bakıda rəsmilərlə görüşdü.",
                                             3: "Onlar bakıda razılaşdılar."})
    page = chromium.new_page()
    _login(page, server["url"], "tina")
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


def test_counts_follow_typing_and_filters_apply_on_change(server, chromium, instance):
    from playwright.sync_api import expect

    _translate(instance, server["article"], {1: "Bakıda danışıqlar"})
    page = chromium.new_page()
    _login(page, server["url"], "tina")
    page.goto(f"{server['url']}/articles/{server['article']}/az/")
    expect(page.locator(".filter-line")).to_have_text("3 of 3 segments shown")
    second = page.locator(".seg").nth(1)
    expect(second.locator(".source .seg-counts")).to_have_text("6 words · 38 chars")
    page.get_by_label("Translation of segment 2", exact=True).fill("Rəhimov Bakıda görüşdü.")
    expect(second.locator("[data-target-counts]")).to_have_text("3 words · 23 chars")
    page.get_by_label("Status").select_option("untranslated")  # no button press: applies on change
    expect(page.locator(".filter-line")).to_have_text("2 of 3 segments shown")
    expect(page.locator(".seg")).to_have_count(2)
