"""The page tells the truth, in a real browser (Chromium at 1366x768): the mouse wheel leaves the
top of a page with the version banner, focus comes back to the segment after Add comment, Take
theirs and Restore, the filters stay reachable when scrolled, long URLs break inside their
column, the spelling note follows the dictionaries installed, and the side panel does not call
consistent renderings inconsistent."""

from __future__ import annotations

import pytest

from workbench.core.segment import segment_text
from workbench.data import store, users
from workbench.services import story_versions

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
V1 = "Talks in Baku\n" + " ".join(f"Officials met in Baku on {DAYS[i % 7]} of week {w}." for w in
                                  ("one", "two") for i in range(7)) + "\n"
V2 = V1.replace("on Friday of week one.", "on Friday of week one, briefly.").replace(
    "Officials met in Baku on Monday of week two. ", "") + "A new closing line.\n"
URL = "https://www.example.org/news/2026/12/07/" + "defence-ministers-met-in-baku-" * 6 + "index.html"
TAG = "#" + "AzerbaijanTurkeyDefenceTalks" * 5


@pytest.fixture
def live(live_article):
    return live_article(V1)


def _area(page, number: int):
    return page.get_by_label(f"Translation of segment {number}", exact=True)


def _settled(page):
    """htmx has swapped, settled and processed everything (a control swapped in a moment ago does
    nothing until it is processed)."""
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def _translate(live, texts: dict[int, str], status: str = "edited", user: str = "tom"):
    """Save `texts` (segment number -> text) as `user`, straight into the database."""
    db = live["instance"].db()
    segments = store.segments(db, live["article"])
    for number, text in texts.items():
        current = store.get_translation(db, segments[number - 1]["id"], "az")
        store.save_translation(db, segments[number - 1]["id"], "az", text, user=user, status=status,
                               base_version=current["version"] if current else None)
    db.close()


def test_the_mouse_wheel_leaves_the_top_of_a_page_with_the_version_banner(live, editor_page, tmp_path):
    """The compact header used to change the page's height under the wheel: the page went back to
    the top, the header turned full again, and the next turn of the wheel did the same."""
    db = live["instance"].db()
    story_versions.update_article(db, live["article"], title=None, byline=None, filename=None, fmt="txt",
                                  segmentation=segment_text(V2))
    db.close()
    page = editor_page(live, "tina")
    assert page.locator(".version-banner").is_visible()
    full = page.locator(".editor-head").bounding_box()["height"]
    page.mouse.move(400, 500)
    positions = []
    for _ in range(10):
        page.mouse.wheel(0, 100)
        page.wait_for_timeout(120)
        positions.append(page.evaluate("window.scrollY"))
    page.screenshot(path=str(tmp_path / "wheel.png"))
    assert positions == sorted(positions) and positions[-1] >= 800, positions
    compact = page.locator(".editor-head").bounding_box()["height"]
    assert compact < 70 < full, (compact, full)
    for _ in range(12):  # and back up: the full header (with the banner) returns at the top
        page.mouse.wheel(0, -100)
        page.wait_for_timeout(120)
    assert page.evaluate("window.scrollY") == 0
    assert page.locator(".version-banner").is_visible()


def test_the_filters_can_be_reached_when_the_page_is_scrolled(live, editor_page, tmp_path):
    _translate(live, {3: "Rəsmilər Bakıda görüşüb."})
    page = editor_page(live, "tina")
    _area(page, 15).focus()  # far down the page
    page.wait_for_function("window.scrollY > 400")
    page.wait_for_function("document.querySelector('.editor').classList.contains('compact')")
    page.screenshot(path=str(tmp_path / "filters.png"))
    status = page.get_by_label("Status")
    assert status.is_visible()
    box, head = status.bounding_box(), page.locator(".editor-head").bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= head["y"] + head["height"]  # in the sticky header
    assert page.evaluate("""() => { const s = document.getElementById('f-status').getBoundingClientRect();
        return document.elementFromPoint(s.x + s.width / 2, s.y + s.height / 2).id; }""") == "f-status"
    status.focus()  # and it works from there: the keyboard chooses, Enter applies
    status.select_option("edited")
    page.wait_for_url("**status=edited**")
    assert page.locator(".seg").count() == 1


def test_long_urls_and_hashtags_break_inside_their_column(live_article, editor_page, tmp_path):
    live = live_article(f"Links\nRead more at {URL} today. The tag {TAG} trended.\n")
    _translate(live, {2: f"Ətraflı: {URL} bu gün.", 3: f"{TAG} teqi trendə çıxıb."})
    page = editor_page(live, "tina")
    _area(page, 2).focus()
    page.locator("#details h2").wait_for()
    page.screenshot(path=str(tmp_path / "long.png"), full_page=True)
    overflow = page.evaluate("""() => {
        const out = [];
        for (const el of document.querySelectorAll('.seg, .seg .source, .seg textarea, #details')) {
            if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.className || el.id}: ${el.scrollWidth} > ${el.clientWidth}`);
        }
        for (const seg of document.querySelectorAll('.seg')) {
            const right = seg.getBoundingClientRect().right;
            for (const child of seg.querySelectorAll('.source, form')) {
                if (child.getBoundingClientRect().right > right + 1) out.push(`${child.className} sticks out of its segment`);
            }
        }
        if (document.documentElement.scrollWidth > window.innerWidth) out.push('the page scrolls sideways');
        return out; }""")
    assert overflow == []


def test_focus_comes_back_to_the_segment_after_add_comment(live, editor_page):
    from playwright.sync_api import expect

    page = editor_page(live, "tina")
    _area(page, 2).focus()
    page.get_by_label("Comment on segment 2").fill("Check the name's spelling.")
    _settled(page)
    page.get_by_role("button", name="Add comment").focus()
    page.keyboard.press("Enter")  # the form is replaced by the new list and a new form
    expect(page.locator("#details .comment-list")).to_contain_text("Check the name's spelling.")
    expect(_area(page, 2)).to_be_focused()


def test_focus_comes_back_to_the_segment_after_restore(live, editor_page):
    from playwright.sync_api import expect

    _translate(live, {2: "Birinci variant."})
    _translate(live, {2: "İkinci variant."})
    page = editor_page(live, "tina")
    _area(page, 2).focus()
    page.get_by_label("Comment on segment 2").wait_for()  # the panel is loaded, comments too
    _settled(page)
    page.get_by_role("button", name="Restore v1").focus()  # in the side panel's history
    page.keyboard.press("Enter")
    expect(_area(page, 2)).to_have_value("Birinci variant.")
    expect(_area(page, 2)).to_be_focused()


def test_focus_comes_back_to_the_segment_after_take_theirs(live, editor_page):
    from playwright.sync_api import expect

    _translate(live, {4: "Dördüncü."})
    page = editor_page(live, "tina")
    _area(page, 4).focus()
    _area(page, 4).fill("Mənim dördüncüm.")
    _translate(live, {4: "Onların dördüncüsü."})  # someone else saves meanwhile
    page.get_by_role("button", name="Save segment 4").click()
    page.get_by_role("button", name="Take theirs").wait_for()
    _settled(page)
    page.get_by_role("button", name="Take theirs").focus()
    page.keyboard.press("Enter")
    expect(_area(page, 4)).to_have_value("Onların dördüncüsü.")
    expect(_area(page, 4)).to_be_focused()


def test_the_spelling_note_follows_the_dictionaries_installed(instance, editor_page, tmp_path, monkeypatch,
                                                              start_server, password):
    folder = tmp_path / "hunspell"
    folder.mkdir()
    monkeypatch.setenv("WORKBENCH_HUNSPELL_PATH", str(folder))  # read by the server started below
    db = instance.db()  # a server of its own: it reads the dictionary folder from its environment
    users.add_user(db, "tina", password, "translator")
    article = store.create_article(db, title="Talks in Baku", byline=None, filename="t.txt", fmt="txt",
                                   segmentation=segment_text(V1))
    db.close()
    process, url = start_server(instance)
    live = {"url": url, "article": article, "instance": instance}
    try:
        page = editor_page(live, "tina")
        _area(page, 1).focus()
        note = page.locator("#details .spelling-status")
        note.wait_for()
        assert note.inner_text().startswith("Spelling not checked")
        # the server's own az dictionary is installed while it runs
        (folder / "az.aff").write_text("SET UTF-8\n", encoding="utf-8")
        (folder / "az.dic").write_text("3\nrəsmilər\nbakıda\ngörüşüb\n", encoding="utf-8")
        _area(page, 2).focus()  # another segment: the panel is asked for again
        page.locator("#details h2", has_text="Segment 2").wait_for()
        assert page.locator("#details .spelling-status").count() == 0
        (folder / "az.dic").unlink()  # and removed again: the note comes back
        _area(page, 3).focus()
        page.locator("#details h2", has_text="Segment 3").wait_for()
        assert page.locator("#details .spelling-status").count() == 1
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_side_panel_calls_case_only_differences_consistent(live_article, editor_page):
    # A server of its own: the consistency check reads every article's approved renderings.
    live = live_article(V1, kind="archive")
    db = live["instance"].db()
    other = store.create_article(db, title="Headlines", byline=None, filename=None, fmt="txt",
                                 segmentation=segment_text("OFFICIALS MET\nTalks in Baku\n"))
    segment = store.segments(db, other)[1]
    store.save_translation(db, segment["id"], "az", "BAKIDA DANIŞIQLAR", base_version=None, user="rita",
                           status="approved")
    db.close()
    _translate(live, {1: "Bakıda danışıqlar"}, status="approved", user="rita")
    page = editor_page(live, "tina")
    _area(page, 1).focus()
    page.locator("#details h2", has_text="Segment 1").wait_for()
    assert page.locator("#details").inner_text().count("Consistent with the archive.") == 1
    assert page.locator("#details .inconsistencies").count() == 0
