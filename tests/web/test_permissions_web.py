"""Issue 21 item 2 on the web: with the newsroom defaults the pages offer a translator no import,
and the service's refusal names the setting."""

from __future__ import annotations


def test_the_pages_offer_only_what_the_settings_allow(instance, browser):
    instance.settings_file.write_text("# defaults\n", encoding="utf-8")
    tina, rita = browser("tina"), browser("rita")
    assert "Import an article" not in tina.get("/").text
    assert "Import an article" in rita.get("/").text
    refused = tina.post("/articles", {"text": "Talks\nThe ministers met on Monday.\n", "format": "txt"}, htmx=False)
    assert refused.status_code == 403, refused.text
    assert "tina may not import articles: reviewers and admins may" in refused.text
    instance.settings_file.write_text('[permissions]\nimport = ["translator"]\n', encoding="utf-8")
    assert "Import an article" in tina.get("/").text
