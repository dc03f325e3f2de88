"""The editor in a real browser: Playwright driving Debian's Chromium against `workbench serve`.

The server, the browser and the login helper are fixtures (tests/web/conftest.py)."""

from __future__ import annotations


def test_edit_with_the_keyboard_and_find_it_after_reload(server, chromium, tmp_path, login):
    from playwright.sync_api import expect

    page = chromium.new_page()
    login(page, server["url"], "tina")
    page.locator(f"#article-{server['article']}").get_by_role("link", name="az").click()
    second = page.get_by_label("Translation of segment 2")
    second.fill("General-polkovnik Rəhimov Bakıda rəsmilərlə görüşdü.")
    second.press("Control+Enter")
    segment = page.locator(".seg", has=page.get_by_label("Translation of segment 2"))
    expect(segment.locator(".status")).to_have_text("edited")
    expect(page.locator("#counters")).to_contain_text("1 edited")
    expect(page.locator("#counters")).to_contain_text("2 untranslated")
    expect(page.get_by_label("Translation of segment 3")).to_be_focused()  # moved on
    page.get_by_label("Translation of segment 3").press("Alt+ArrowUp")
    expect(page.get_by_label("Translation of segment 2")).to_be_focused()
    page.screenshot(path=str(tmp_path / "editor.png"), full_page=True)
    page.reload()
    expect(page.get_by_label("Translation of segment 2")).to_have_value(
        "General-polkovnik Rəhimov Bakıda rəsmilərlə görüşdü.")
    expect(page.get_by_role("button", name="Save segment 2")).to_be_visible()


def test_copy_source_and_unsaved_draft_survives_a_reload(server, chromium, login):
    from playwright.sync_api import expect

    page = chromium.new_page()
    login(page, server["url"], "tina")
    page.goto(f"{server['url']}/articles/{server['article']}/az/")
    third = page.get_by_label("Translation of segment 3")
    third.press("Control+Space")
    expect(third).to_have_value("They agreed.")
    third.fill("Onlar razılaşdılar (yarımçıq)")
    page.reload()
    expect(page.get_by_label("Translation of segment 3")).to_have_value("Onlar razılaşdılar (yarımçıq)")
    expect(page.locator(".seg", has=page.get_by_label("Translation of segment 3")).locator(".draft-note")).to_be_visible()


def test_two_people_editing_the_same_segment_see_a_conflict(server, chromium, login):
    from playwright.sync_api import expect

    editor_url = f"{server['url']}/articles/{server['article']}/az/"
    tina_page, rita_page = chromium.new_context().new_page(), chromium.new_context().new_page()
    login(tina_page, server["url"], "tina")
    login(rita_page, server["url"], "rita")
    tina_page.goto(editor_url)
    rita_page.goto(editor_url)
    tina_page.get_by_label("Translation of segment 1").fill("Bakıda danışıqlar")
    tina_page.get_by_role("button", name="Save segment 1").click()
    expect(tina_page.locator(".seg").first.locator(".status")).to_have_text("edited")
    rita_page.get_by_label("Translation of segment 1").fill("Bakıda görüş")
    rita_page.get_by_role("button", name="Save segment 1").click()
    conflict = rita_page.locator(".seg.conflict")
    expect(conflict).to_contain_text("tina saved this segment")
    expect(conflict.locator(".mine")).to_have_text("Bakıda görüş")
    expect(conflict.locator(".theirs")).to_have_text("Bakıda danışıqlar")
    rita_page.get_by_role("button", name="Take theirs").click()
    expect(rita_page.get_by_label("Translation of segment 1")).to_have_value("Bakıda danışıqlar")
    # Reviewers approve with Ctrl+Shift+Enter.
    rita_page.get_by_label("Translation of segment 1").press("Control+Shift+Enter")
    expect(rita_page.locator(".seg").first.locator(".status")).to_have_text("approved")


def test_machine_translation_runs_in_the_background_and_reports_progress(live_article, chromium, cli_on, tiny_packages,
                                                                        login):
    from playwright.sync_api import expect

    server = live_article(kind="mt")  # a server of its own: the model installed here stays installed
    cli_on(server["instance"])("models", "install", str(tiny_packages["en_az"]))
    page = chromium.new_page()
    login(page, server["url"], "tina")
    card = page.locator(f"#article-{server['article']}")
    card.get_by_role("button", name="Machine-translate pending segments").click()
    job = card.locator(".job-status")
    expect(job).to_contain_text("MT job")
    expect(job).to_contain_text("done", timeout=60_000)  # the component polled until the worker finished
    # The bars follow the job by themselves (out-of-band updates while it polls): no reload.
    expect(page.locator("#article-" + str(server["article"]))).to_contain_text("3 MT draft")


def test_approving_over_an_error_asks_for_a_reason(server, chromium, login):
    from playwright.sync_api import expect

    page = chromium.new_page()
    login(page, server["url"], "rita")
    page.goto(f"{server['url']}/articles/{server['article']}/az/")
    third = page.get_by_label("Translation of segment 3", exact=True)
    third.fill("They agreed.")  # left in English: an error
    third.press("Control+Shift+Enter")
    segment = page.locator(".seg").nth(2)
    expect(segment).to_contain_text("The translation is the same as the English source.")
    segment.get_by_label("Reason for approving it anyway").fill("a quote kept in English")
    segment.get_by_role("button", name="Approve segment 3").click()
    expect(page.locator(".seg").nth(2).locator(".status")).to_have_text("approved")


def test_keyboard_moves_across_pages_of_a_long_article(paged_server, chromium, login):
    from playwright.sync_api import expect

    server = paged_server
    page = chromium.new_page()
    login(page, server["url"], "tina")
    page.goto(f"{server['url']}/articles/{server['article']}/az/")
    expect(page.locator(".seg")).to_have_count(2)
    page.get_by_label("Translation of segment 2", exact=True).press("Alt+ArrowDown")
    expect(page.get_by_label("Translation of segment 3", exact=True)).to_be_focused()
    assert "page=2" in page.url
    page.get_by_label("Translation of segment 3", exact=True).press("Alt+ArrowUp")
    expect(page.get_by_label("Translation of segment 2", exact=True)).to_be_focused()


def test_a_csp_violation_is_caught_by_the_fixture(server, chromium, login):
    """The watcher itself: an inline script added to a page of this server is blocked and reported."""
    page = chromium.new_page()
    login(page, server["url"], "tina")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';
                             document.body.appendChild(s); }""")
    for _ in range(100):  # wait for the report (console events arrive asynchronously)
        if chromium.violations:
            break
        page.wait_for_timeout(50)
    assert any("script-src" in v for v in chromium.violations), chromium.violations
    assert page.evaluate("() => window.ran") is None
    chromium.violations.clear()  # expected here; any other would fail the test at teardown
