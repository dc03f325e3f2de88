"""Issue 19 item 6: a conflict names what wrote the segment: a person, an MT job (its engine), a
story update (its version and who uploaded it), an import (its file)."""

import io

import pytest

from workbench.data import store
from workbench.services import translations
from workbench.services.actor import Actor

V2 = ("Talks in Baku\nCol-Gen Rahimov met officials in Ganja. "
      "They discussed <script>alert(1)</script> plans.\n")


def _stale_save(client, article_id, segment_id, base_version):
    return client.post(f"/articles/{article_id}/az/segments/{segment_id}",
                       data={"text": "mənim mətnim", "base_version": str(base_version), "action": "save"})


def test_a_story_update_is_named_not_the_person_who_uploaded_it(instance, browser, article):
    tina, rita = browser("tina"), browser("rita")
    seg = article["segments"][1]
    first = tina.post(f"/articles/{article['id']}/az/segments/{seg['id']}",
                      data={"text": "Rahimov Bakıda görüşdü.", "base_version": "0", "action": "save"})
    assert first.status_code == 200
    upload = rita.post(f"/articles/{article['id']}/versions/", htmx=False, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(V2.encode()), "talks-v2.txt"), "base_version": "1"})
    assert upload.status_code == 302
    conflict = _stale_save(tina, article["id"], seg["id"], 1)
    assert conflict.status_code == 409
    assert "this segment was changed by story version 2, uploaded by rita" in conflict.text
    assert "rita saved" not in conflict.text
    assert "story version 2, uploaded by rita changed it meanwhile." in conflict.text  # the announcement


@pytest.mark.parametrize("actor, named", [
    (Actor.job(7, "opus-mt-en-az"), "MT job 7 (opus-mt-en-az)"),
    (Actor.importer("agency.xlf", Actor.person({"name": "rita", "role": "reviewer"})), "import of agency.xlf by rita"),
])
def test_machine_and_import_writers_are_named(instance, browser, article, actor, named):
    seg = article["segments"][1]
    db = instance.db()
    if actor.kind == "job":
        translations.write_drafts(db, "az", [store.Draft(seg["id"], "maşın", "mt:opus", [])], force=True, user=actor)
    else:
        translations.save(db, actor, seg["id"], "az", "idxal", base_version=0)
    db.close()
    conflict = _stale_save(browser("tina"), article["id"], seg["id"], 0)
    assert conflict.status_code == 409
    assert f"this segment was changed by {named}" in conflict.text
