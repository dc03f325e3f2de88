"""Story updates in the browser's pages: status, word diff, filter, banner, history, upload form."""

import io

import pytest

from workbench.services import story_versions as article_versions
from workbench.data import store
from workbench.core.segment import segment_text

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


def test_upload_a_new_version_banner_and_history(instance, browser, article):
    tina = browser("tina")
    dashboard = tina.get("/")
    assert "Upload a new version" in dashboard.text and "version 1" in dashboard.text
    v2 = V2.replace("They discussed", "Then they discussed").encode()
    response = tina.post(f"/articles/{article['id']}/versions/", htmx=False, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(v2), "talks-v2.txt"), "base_version": "1"})
    assert response.status_code == 302
    history = tina.get(f"/articles/{article['id']}/versions/")
    assert "version 2: 2 changed since version 1" in history.text
    assert "<del>Baku.</del> <ins>Ganja.</ins>" in history.text and "Version 1" in history.text
    editor = tina.get(f"/articles/{article['id']}/az/")
    assert "version 2: 2 changed since version 1" in editor.text
    assert "version 2: 2 changed since version 1" in tina.get("/").text
    bad = tina.post(f"/articles/{article['id']}/versions/", htmx=False, content_type="multipart/form-data",
                    data={"file": (io.BytesIO(b"x"), "evil.exe"), "base_version": "2"})
    assert bad.status_code == 400 and "not an article file" in bad.text
    no_csrf = tina.post(f"/articles/{article['id']}/versions/", htmx=False, csrf=False,
                        data={"file": (io.BytesIO(v2), "v.txt"), "base_version": "2"},
                        content_type="multipart/form-data")
    assert no_csrf.status_code == 400


def test_removed_segments_show_in_history_and_as_memory_matches(instance, browser, article):
    _update(instance, article, "Talks in Baku\nCol-Gen Rahimov met officials in Baku.\n")
    tina = browser("tina")
    history = tina.get(f"/articles/{article['id']}/versions/")
    assert "Removed segments and their translations" in history.text and "tərcümə 2" in history.text


def test_an_upload_based_on_an_old_version_is_refused(instance, browser, article):
    tina = browser("tina")
    url = f"/articles/{article['id']}/versions/"
    first = tina.post(url, htmx=False, content_type="multipart/form-data",
                      data={"file": (io.BytesIO(V2.encode()), "v2.txt"), "base_version": "1"})
    assert first.status_code == 302
    stale = tina.post(url, htmx=False, content_type="multipart/form-data",
                      data={"file": (io.BytesIO(b"Talks\nOther text.\n"), "v3.txt"), "base_version": "1"})
    assert stale.status_code == 409 and "at version 2 now, not 1" in stale.text
    db = instance.db()
    assert store.get_article(db, article["id"])["version"] == 2


@pytest.mark.parametrize("base_version", [None, "", "abc", "-1", "²", "1" * 30])
def test_an_upload_without_a_valid_base_version_is_refused(instance, browser, article, base_version):
    tina = browser("tina")
    data = {"file": (io.BytesIO(V2.encode()), "v2.txt")}
    if base_version is not None:
        data["base_version"] = base_version
    refused = tina.post(f"/articles/{article['id']}/versions/", htmx=False, content_type="multipart/form-data",
                        data=data)
    assert refused.status_code == 400 and "which version of the article it replaces" in refused.text
    assert "reload the article&#39;s page" in refused.text and "Traceback" not in refused.text
    assert store.get_article(instance.db(), article["id"])["version"] == 1
