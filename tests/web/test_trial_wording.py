"""What a translator's first day in the browser turned up: plain wording, honest exports, named
controls and local times on every page."""

from __future__ import annotations

from workbench.services import translations
from workbench.core import spelling
from workbench.data import store


def test_an_unknown_export_format_is_refused_and_the_two_xliff_files_have_different_names(browser, article):
    tina = browser()
    base = f"/articles/{article['id']}/export?lang=az"
    assert tina.get(base + "&format=pdf").status_code == 404
    one, two = tina.get(base + "&format=xliff"), tina.get(base + "&format=xliff2")
    assert "article-1-az.xlf" in one.headers["Content-Disposition"]
    assert "article-1-az.xliff2.xlf" in two.headers["Content-Disposition"]


def test_the_history_shows_statuses_in_words(browser, article, instance):
    db = instance.db()
    sid = article["segments"][0]["id"]
    translations.write_drafts(db, "az", [store.Draft(sid, "Bakıda danışıqlar", "mt:test", [])], force=False)
    db.close()
    panel = browser().get(f"/articles/{article['id']}/az/segments/{sid}/details", htmx=True).text
    assert "MT draft" in panel and "mt_draft" not in panel.split("History", 1)[-1]


def test_the_spelling_note_shows_no_server_paths(monkeypatch):
    monkeypatch.setattr(spelling, "_load_library", lambda: object())
    monkeypatch.setattr(spelling, "dictionary_path", lambda lang: None)
    note = spelling.status("az")
    assert note == "Spelling not checked: no Hunspell dictionary for az is installed on this server."


def test_times_on_version_and_admin_pages_are_localised_elements(browser, article):
    history = browser().get(f"/articles/{article['id']}/versions/").text
    assert '<time datetime="' in history
    admin = browser("adam").get("/admin/").text
    assert '<time datetime="' in admin


def test_each_article_card_is_a_region_named_by_its_title(browser, article):
    home = browser().get("/").text
    assert f'aria-labelledby="article-title-{article["id"]}"' in home
    assert f'<h2 id="article-title-{article["id"]}">Talks in Baku</h2>' in home


def test_the_dashboard_says_before_the_mt_button_that_no_package_is_installed(browser, article):
    assert "No MT package is installed yet" in browser("tina").get("/").text
    assert "you install one (Admin page" in browser("adam").get("/").text


def test_a_paste_is_confirmed_and_html_pasted_as_plain_text_is_pointed_out(browser):
    tina = browser()
    plain = tina.post("/articles", {"title": "", "text": "Talks in Baku\nOfficials met. They agreed.\n",
                                    "format": "txt"}, htmx=False)
    assert plain.status_code == 302
    page = tina.get(plain.headers["Location"]).text
    assert "Imported “Talks in Baku”: 3 segments." in page and "looks like HTML" not in page
    tagged = tina.post("/articles", {"title": "", "text": "<p>Hello <b>world</b>.</p>\n", "format": "txt"},
                       htmx=False)
    assert "looks like HTML but was imported as plain text" in tina.get(tagged.headers["Location"]).text
