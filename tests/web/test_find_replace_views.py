"""Find-and-replace pages: preview, replace, conflicts and who may undo."""

from __future__ import annotations

from workbench.data import store


def _seed(instance, article):
    db = instance.db()
    sid = article["segments"][1]["id"]
    store.save_translation(db, sid, "az", "Rəhimov Bakıda <b>görüşdü</b>.", base_version=0, user="tina")
    db.close()
    return sid


def test_preview_escapes_and_replace_then_undo_rules(browser, article, instance):
    sid = _seed(instance, article)
    tina = browser("tina")
    url = f"/articles/{article['id']}/az/find/"
    preview = tina.get(url + "?find=%3Cb%3E&replace=%3Ci%3E")
    assert "<del>&lt;b&gt;</del>" in preview.text and "<ins>&lt;i&gt;</ins>" in preview.text
    assert "1 match in 1 segment" in preview.text
    response = tina.post(url + "replace", {"find": "Bakıda", "replace": "Bakı şəhərində", "scope": "target",
                                           "pick": f"{sid}:1"}, htmx=False)
    assert response.status_code == 302
    assert store.get_translation(instance.db(), sid, "az")["text"] == "Rəhimov Bakı şəhərində <b>görüşdü</b>."
    page = tina.get(url)
    assert "Undo last replace" in page.text
    batch = instance.db()["replace_batches"].get(1)
    other = browser("adam")  # an admin may approve, so may undo anyone's run
    assert browser("tina").post(url + f"undo/{batch['id']}", htmx=False).status_code == 302
    assert other.post(url + f"undo/{batch['id']}", htmx=False).status_code == 400  # undone already
    assert store.get_translation(instance.db(), sid, "az")["text"] == "Rəhimov Bakıda <b>görüşdü</b>."


def test_stale_preview_is_refused_with_409_and_nothing_changes(browser, article, instance):
    sid = _seed(instance, article)
    tina = browser("tina")
    url = f"/articles/{article['id']}/az/find/replace"
    response = tina.post(url, {"find": "Bakıda", "replace": "X", "scope": "target", "pick": f"{sid}:0"},
                         htmx=False)
    assert response.status_code == 409
    assert "changed after the preview" in response.text
    assert store.get_translation(instance.db(), sid, "az")["version"] == 1


def test_another_translator_may_not_undo_a_run(browser, article, instance):
    sid = _seed(instance, article)
    db = instance.db()
    from workbench.data.users import add_user
    add_user(db, "toby", "correct horse", "translator")
    db.close()
    tina = browser("tina")
    tina.post(f"/articles/{article['id']}/az/find/replace",
              {"find": "Bakıda", "replace": "X", "scope": "target", "pick": f"{sid}:1"}, htmx=False)
    refused = browser("toby").post(f"/articles/{article['id']}/az/find/undo/1", htmx=False)
    assert refused.status_code == 403
    assert store.get_translation(instance.db(), sid, "az")["text"].startswith("Rəhimov X")


def test_bad_pick_and_source_replace_are_refused(browser, article, instance):
    _seed(instance, article)
    tina = browser("tina")
    url = f"/articles/{article['id']}/az/find/replace"
    assert tina.post(url, {"find": "a", "pick": "x:1"}, htmx=False).status_code == 400
    assert tina.post(url, {"find": "a", "scope": "source", "pick": "1:1"}, htmx=False).status_code == 400
    assert tina.get(f"/articles/{article['id']}/xx/find/").status_code == 404


def test_after_a_run_what_was_left_is_shown_unticked_and_no_op_changes_are_not_offered(browser, article, instance):
    db = instance.db()
    first, second = article["segments"][0]["id"], article["segments"][1]["id"]
    store.save_translation(db, first, "az", "Bakıda danışıqlar", base_version=0, user="tina")
    store.save_translation(db, second, "az", "Rəhimov Bakıda görüşdü.", base_version=0, user="tina")
    db.close()
    tina = browser("tina")
    url = f"/articles/{article['id']}/az/find/"
    preview = tina.get(url + "?find=Bak%C4%B1da&replace=Bak%C4%B1%20%C5%9F%C9%99h%C9%99rind%C9%99").text
    assert preview.count('name="pick"') == 2 and preview.count(" checked>") >= 2
    response = tina.post(url + "replace", {"find": "Bakıda", "replace": "Bakı şəhərində", "scope": "target",
                                           "pick": f"{first}:1"}, htmx=False)  # segment 2 deliberately left
    assert response.status_code == 302 and "ran=1" in response.headers["Location"]
    after = tina.get(response.headers["Location"]).text
    assert 'value="%d:1"' % second in after
    assert 'value="%d:1" checked' % second not in after  # not ticked again behind the person's back
    # Replacing a word with itself (here: case-insensitive, same spelling) offers nothing to tick.
    same = tina.get(url + "?find=bak%C4%B1da&replace=Bak%C4%B1da").text
    assert 'name="pick"' not in same and "already reads so" in same
