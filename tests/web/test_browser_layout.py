"""The editor's layout at 1366x768 in a real browser: the active segment never hides under the
sticky header, boxes grow with their text, help and skip link, the favicon, live MT progress."""

from __future__ import annotations

import pytest

from workbench.data import jobs, store
from workbench.services import translations

LONG = ("The minister said that the talks, which began in Baku on Monday and continued in Tbilisi on "
        "Wednesday, had covered energy transit, the security of the pipeline, the reopening of the "
        "border crossings that were closed last year, the exchange of prisoners held since the spring, "
        "and a timetable for the next round of negotiations, which is expected to take place in Ankara "
        "before the end of the year, although no date has been agreed.")
SENTENCES = ["They agreed.", "The talks will resume next week in the capital.", LONG,
             "Officials from both sides met again on Friday and signed a short statement about transit."]
ARTICLE = "Talks in Baku\n" + "\n".join(" ".join(SENTENCES[(i + j) % 4] for j in range(3)) for i in range(10)) + "\n"
# The segment is visible: focused, below the header's bottom edge and above the window's.
IN_VIEW = """(number) => {
  const area = document.activeElement;
  if (!area || area.getAttribute("aria-label") !== `Translation of segment ${number}`) return false;
  const seg = area.closest(".seg").getBoundingClientRect();
  const head = document.querySelector(".editor-head").getBoundingClientRect();
  return seg.top >= head.bottom && seg.bottom <= window.innerHeight;
}"""
TWO_FRAMES = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.fixture
def live(live_article):
    return live_article(ARTICLE)


def _drafts(live):
    db = live["instance"].db()
    segments = store.segments(db, live["article"])
    translations.write_drafts(db, "az", [store.Draft(s["id"], s["text"], "mt:fake", []) for s in segments], force=False)
    db.close()
    return segments


@pytest.fixture
def dashboard(chromium, login):
    """`dashboard(live, name="tina")`: a signed-in page at 1366x768, on the dashboard."""

    def open_dashboard(live, name="tina"):
        page = chromium.new_context(viewport={"width": 1366, "height": 768}).new_page()
        login(page, live["url"], name)
        return page

    return open_dashboard


def _in_view(page, number):
    page.wait_for_function(IN_VIEW, arg=number)
    page.evaluate(TWO_FRAMES)  # and it stays there once the header settled
    assert page.evaluate(IN_VIEW, number), f"segment {number} left the view"


def test_alt_arrows_keep_the_active_segment_below_the_header(live, dashboard, tmp_path):
    segments = _drafts(live)
    page = dashboard(live)
    page.goto(f"{live['url']}/articles/{live['article']}/az/")
    full = page.locator(".editor-head").bounding_box()["height"]
    page.get_by_label("Translation of segment 1", exact=True).focus()
    for number in range(2, len(segments) + 1):
        page.keyboard.press("Alt+ArrowDown")
        _in_view(page, number)
        if number == 8:
            page.screenshot(path=str(tmp_path / "down.png"))
    compact = page.locator(".editor-head").bounding_box()["height"]
    assert compact < 70 < full, (compact, full)  # one line once scrolled
    details = page.locator("#details").bounding_box()
    assert details["y"] >= compact  # the side panel's top is not under the header either
    for number in range(len(segments) - 1, 0, -1):
        page.keyboard.press("Alt+ArrowUp")
        _in_view(page, number)
        if number == len(segments) - 8:
            page.screenshot(path=str(tmp_path / "up.png"))
    print("screenshots in", tmp_path)


def test_translation_boxes_grow_with_their_text(live, dashboard, tmp_path):
    _drafts(live)
    page = dashboard(live)
    page.goto(f"{live['url']}/articles/{live['article']}/az/")
    long_box = page.get_by_label("Translation of segment 4", exact=True)  # paragraph 1's third sentence
    assert long_box.input_value() == LONG
    fits = "(area) => area.scrollHeight <= area.clientHeight + 1"
    assert long_box.evaluate(fits), "the long sentence is clipped"
    short_height = page.get_by_label("Translation of segment 2", exact=True).bounding_box()["height"]
    tall = long_box.bounding_box()["height"]
    assert tall > 2 * short_height
    long_box.focus()
    long_box.press("End")
    page.keyboard.type(" " + LONG)
    page.wait_for_function("(h) => document.activeElement.getBoundingClientRect().height > h * 1.5", arg=tall)
    assert long_box.evaluate(fits)
    page.screenshot(path=str(tmp_path / "grown.png"))


def test_help_from_a_text_box_two_column_help_and_a_skip_link(live, dashboard, tmp_path):
    from playwright.sync_api import expect

    page = dashboard(live)
    page.goto(f"{live['url']}/articles/{live['article']}/az/")
    help_dialog = page.get_by_role("dialog", name="Keyboard help")
    box = page.get_by_label("Translation of segment 2", exact=True)
    box.press("F1")
    expect(help_dialog).to_be_visible()
    # Every key and its description stay on one line each, side by side.
    rows = page.evaluate("""() => Array.from(document.querySelectorAll('#help dt')).map((dt) => {
        const dd = dt.nextElementSibling, line = parseFloat(getComputedStyle(dt).lineHeight);
        return [dt.getBoundingClientRect().height <= line * 1.2, dd.getBoundingClientRect().height <= line * 1.2,
                Math.abs(dt.getBoundingClientRect().top - dd.getBoundingClientRect().top) < 2]; })""")
    assert rows and all(all(row) for row in rows), rows
    page.screenshot(path=str(tmp_path / "help.png"))
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    box.press("Alt+?")
    expect(help_dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(box).to_have_value("")  # neither key typed anything
    # A fresh page: the first Tab reaches the skip link, Enter lands in segment 1.
    page.reload()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to segment 1")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Translation of segment 1", exact=True)).to_be_focused()


def test_every_page_has_an_icon_and_no_404(live, dashboard):
    page = dashboard(live)
    missing = []
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    for path in ("/", f"/articles/{live['article']}/az/", "/glossary/"):
        page.goto(live["url"] + path, wait_until="networkidle")
    assert not missing, missing
    icon = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(live["url"] + icon)
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")


def test_a_second_mt_click_shows_the_running_job_and_bars_move_by_themselves(live, dashboard):
    from playwright.sync_api import expect

    db = live["instance"].db()
    segments = store.segments(db, live["article"])
    job_id = jobs.create_job(db, live["article"], ["az"], "tina")  # as if a worker were on it
    jobs.update_job(db, job_id, status="running", total=len(segments), done=0)
    page = dashboard(live)
    card = page.locator(f"#article-{live['article']}")
    expect(card.locator(".job-status")).to_contain_text(f"MT job {job_id}")  # shown on load
    card.get_by_label("az", exact=True).check()
    card.get_by_role("button", name="Machine-translate pending segments").click()
    expect(card.locator(".job-status")).to_contain_text("Already running for this article")
    expect(card.locator(".job-status")).to_contain_text(f"MT job {job_id}")
    assert db.execute("SELECT COUNT(*) FROM jobs WHERE article_id = ?", [live["article"]]).fetchone()[0] == 1
    # The worker writes drafts: the bars follow without reloading or clicking anything.
    translations.write_drafts(db, "az", [store.Draft(s["id"], "x", "mt:fake", []) for s in segments[:5]], force=False)
    jobs.update_job(db, job_id, done=5)
    expect(card.get_by_role("img").first).to_have_attribute("aria-label", f"0 approved, 0 edited, 5 MT draft, {len(segments) - 5} untranslated of {len(segments)}", timeout=15_000)
    expect(card.locator(".job-status")).to_contain_text(f"5 / {len(segments)} segments")
    jobs.update_job(db, job_id, status="done", message="Translated segments: az: 5")
    expect(card.locator(".job-status")).to_contain_text("done", timeout=15_000)
    expect(card.get_by_role("link", name="Refresh progress")).to_have_count(0)
