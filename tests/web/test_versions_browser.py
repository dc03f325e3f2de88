"""Story updates in a real browser: upload a new version from the dashboard, see the banner, the
'source changed' segment with its word diff, the filter, and the version history."""

from __future__ import annotations

from workbench.data import store


def test_upload_a_new_version_and_review_what_changed(server, chromium, tmp_path, login):
    from playwright.sync_api import expect

    url, article_id = server["url"], server["article"]
    db = server["instance"].db()
    for seg in store.segments(db, article_id):
        store.save_translation(db, seg["id"], "az", f"Tərcümə {seg['idx'] + 1}.", base_version=0, user="rita",
                               status="approved")
    db.close()
    new_version = tmp_path / "talks-v2.txt"
    new_version.write_text("Talks in Baku\nCol-Gen Rahimov met officials in Ganja. They agreed. "
                           "A statement followed.\n", encoding="utf-8")
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    login(page, url, "rita")
    page.goto(url + "/")  # people with open work land on My work (other tests assign rita on this server)
    card = page.locator(f"#article-{article_id}")  # the shared server lists other tests' articles too
    card.get_by_label("Upload a new version", exact=True).set_input_files(str(new_version))
    card.get_by_role("button", name=f"Upload a new version of article {article_id}").click()
    expect(page.get_by_role("heading", name="Version history")).to_be_visible()
    expect(page.get_by_text("version 2: 1 changed, 1 added since version 1")).to_be_visible()
    page.screenshot(path=str(tmp_path / "versions.png"), full_page=True)
    page.goto(f"{url}/articles/{article_id}/az/?only=changed")
    expect(page.locator("li.seg")).to_have_count(2)  # the changed and the added sentence
    expect(page.get_by_role("combobox", name="Show")).to_have_value("changed")
    changed = page.locator("li.seg").first
    expect(changed.locator(".status")).to_have_text("source changed")
    expect(changed.locator(".source-diff del")).to_have_text("Baku.")
    expect(changed.locator(".source-diff ins")).to_have_text("Ganja.")
    expect(changed.get_by_label("Translation of segment 2")).to_have_value("Tərcümə 2.")
    page.screenshot(path=str(tmp_path / "editor-changed.png"), full_page=True)
