"""Story updates in the browser's pages: status, word diff, filter, banner, history, upload form."""

from workbench import article_versions, store
from workbench.segment import segment_text

V2 = ("Talks in Baku\nCol-Gen Rahimov met officials in Ganja. "
      "They discussed <script>alert(1)</script> plans.\n")


def _update(instance, article, text=V2):
    db = instance.db()
    for seg in article["segments"]:
        store.save_translation(db, seg["id"], "az", f"tərcümə {seg['idx']}", base_version=0, user="rita",
                               status="approved")
    result = article_versions.update_article(db, article["id"], title=None, byline=None, filename=None,
                                             fmt="txt", segmentation=segment_text(text), user="cms")
    db.close()
    return result


def test_editor_shows_source_changed_with_a_word_diff_and_filters_it(instance, browser, article):
    assert _update(instance, article)["changed"] == 1
    tina = browser("tina")
    page = tina.get(f"/articles/{article['id']}/az/")
    assert page.status_code == 200
    assert page.text.count('data-status="source_changed">source changed</span>') == 1
    assert "<del>Baku.</del> <ins>Ganja.</ins>" in page.text
    assert "1 source changed" in page.text
    changed_only = tina.get(f"/articles/{article['id']}/az/?only=changed")
    assert changed_only.text.count('class="seg ') == 1 and "changed in the last version" in changed_only.text
    dashboard = tina.get("/")
    assert "1 source changed" in dashboard.text and 'class="s-source_changed"' in dashboard.text
