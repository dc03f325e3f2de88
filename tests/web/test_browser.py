"""The editor in a real browser: Playwright driving Debian's Chromium against `workbench serve`."""

from __future__ import annotations

import os
import shutil

import pytest

from workbench.data import store, users
from workbench.core.segment import segment_text

from .live import start_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")]
PASSWORD = "correct horse"



def _start(instance, config: str = ""):
    """Accounts, a three-segment article and `workbench serve` on a free port; stops it after."""
    if config:
        (instance.path / "config.py").write_text(config)
    db = instance.db()
    users.add_user(db, "tina", PASSWORD, "translator")
    users.add_user(db, "rita", PASSWORD, "reviewer")
    article_id = store.create_article(
        db, title="Talks in Baku", byline=None, filename="t.txt", fmt="txt",
        segmentation=segment_text("Talks in Baku\nCol-Gen Rahimov met officials in Baku. They agreed.\n"))
    db.close()
    process, url = start_server(instance)
    yield {"url": url, "article": article_id}
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def server(instance):
    yield from _start(instance)


@pytest.fixture
def paged_server(instance):
    yield from _start(instance, "EDITOR_PAGE_SIZE = 2\n")


# Reports every Content-Security-Policy violation as a console error (init scripts run outside
# the page's policy), so the fixture below can fail the test that caused one.
CSP_REPORTER = """document.addEventListener("securitypolicyviolation", (e) => console.error(
    "CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " +
    e.sourceFile + ":" + e.lineNumber));"""


class CSPWatchedBrowser:
    """The Playwright browser, with every page it opens watched for CSP violations."""

    def __init__(self, browser):
        self._browser, self.violations = browser, []

    def _watch(self, context):
        context.add_init_script(CSP_REPORTER)
        context.on("console", self._console)
        return context

    def _console(self, message):
        if "CSP violation" in message.text or "Content Security Policy" in message.text:
            self.violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def new_context(self, **kwargs):
        return self._watch(self._browser.new_context(**kwargs))

    def new_page(self, **kwargs):
        return self.new_context(**kwargs).new_page()

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def chromium():
    """A headless Chromium; the test FAILS if any page it showed reported a CSP violation."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        watched = CSPWatchedBrowser(browser)
        yield watched
        browser.close()
        assert watched.violations == [], "Content-Security-Policy violations:\n" + "\n".join(watched.violations)


def _login(page, url, name):
    page.goto(url + "/login")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + "/")


def test_edit_with_the_keyboard_and_find_it_after_reload(server, chromium, tmp_path):
    from playwright.sync_api import expect

    page = chromium.new_page()
    _login(page, server["url"], "tina")
    page.get_by_role("link", name="az").first.click()
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


def test_copy_source_and_unsaved_draft_survives_a_reload(server, chromium):
    from playwright.sync_api import expect

    page = chromium.new_page()
    _login(page, server["url"], "tina")
    page.goto(f"{server['url']}/articles/{server['article']}/az/")
    third = page.get_by_label("Translation of segment 3")
    third.press("Control+Space")
    expect(third).to_have_value("They agreed.")
    third.fill("Onlar razılaşdılar (yarımçıq)")
    page.reload()
    expect(page.get_by_label("Translation of segment 3")).to_have_value("Onlar razılaşdılar (yarımçıq)")
    expect(page.locator(".seg", has=page.get_by_label("Translation of segment 3")).locator(".draft-note")).to_be_visible()


def test_two_people_editing_the_same_segment_see_a_conflict(server, chromium):
    from playwright.sync_api import expect

    editor_url = f"{server['url']}/articles/{server['article']}/az/"
    tina_page, rita_page = chromium.new_context().new_page(), chromium.new_context().new_page()
    _login(tina_page, server["url"], "tina")
    _login(rita_page, server["url"], "rita")
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


def test_machine_translation_runs_in_the_background_and_reports_progress(server, chromium, cli, tiny_packages):
    from playwright.sync_api import expect

    cli("models", "install", str(tiny_packages["en_az"]))
    page = chromium.new_page()
    _login(page, server["url"], "tina")
    page.get_by_role("button", name="Machine-translate pending segments").first.click()
    job = page.locator(".job-status").first
    expect(job).to_contain_text("MT job")
    expect(job).to_contain_text("done", timeout=60_000)  # the component polled until the worker finished
    # The bars follow the job by themselves (out-of-band updates while it polls): no reload.
    expect(page.locator("#article-" + str(server["article"]))).to_contain_text("3 MT draft")


def test_approving_over_an_error_asks_for_a_reason(server, chromium):
    from playwright.sync_api import expect

    page = chromium.new_page()
    _login(page, server["url"], "rita")
    page.goto(f"{server['url']}/articles/{server['article']}/az/")
    third = page.get_by_label("Translation of segment 3", exact=True)
    third.fill("They agreed.")  # left in English: an error
    third.press("Control+Shift+Enter")
    segment = page.locator(".seg").nth(2)
    expect(segment).to_contain_text("The translation is the same as the English source.")
    segment.get_by_label("Reason for approving it anyway").fill("a quote kept in English")
    segment.get_by_role("button", name="Approve segment 3").click()
    expect(page.locator(".seg").nth(2).locator(".status")).to_have_text("approved")


def test_keyboard_moves_across_pages_of_a_long_article(paged_server, chromium):
    from playwright.sync_api import expect

    server = paged_server
    page = chromium.new_page()
    _login(page, server["url"], "tina")
    page.goto(f"{server['url']}/articles/{server['article']}/az/")
    expect(page.locator(".seg")).to_have_count(2)
    page.get_by_label("Translation of segment 2", exact=True).press("Alt+ArrowDown")
    expect(page.get_by_label("Translation of segment 3", exact=True)).to_be_focused()
    assert "page=2" in page.url
    page.get_by_label("Translation of segment 3", exact=True).press("Alt+ArrowUp")
    expect(page.get_by_label("Translation of segment 2", exact=True)).to_be_focused()


def test_a_csp_violation_is_caught_by_the_fixture(server, chromium):
    """The watcher itself: an inline script added to a page of this server is blocked and reported."""
    page = chromium.new_page()
    _login(page, server["url"], "tina")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';
                             document.body.appendChild(s); }""")
    for _ in range(100):  # wait for the report (console events arrive asynchronously)
        if chromium.violations:
            break
        page.wait_for_timeout(50)
    assert any("script-src" in v for v in chromium.violations), chromium.violations
    assert page.evaluate("() => window.ran") is None
    chromium.violations.clear()  # expected here; any other would fail the test at teardown
