"""Issue 22 item 4: a CAT tool's "needs review" states come in as a visible "needs review" status
(not as finished translations), are counted as not done, and go back out as needs-review-translation."""

from __future__ import annotations

import re

from workbench.data import store
from workbench.services import interchange, translations
from workbench.services.actor import Actor

TINA = Actor.person({"name": "tina", "role": "translator"})


def test_a_needs_review_state_from_a_cat_tool_is_its_own_status(instance, article, browser):
    db = instance.db()
    seg = article["segments"][1]
    exported = interchange.export_xliff(db, article["id"], "az").decode()
    # the freelancer's tool translated the unit and marked it for review
    edited = re.sub(r'(<trans-unit id="%d"[^>]*>\s*<source>[^<]*</source>\s*)<target state="new">[^<]*</target>' % seg["id"],
                    r'\1<target state="needs-review-translation">Rəhimov Bakıda rəsmilərlə görüşdü.</target>', exported)
    assert edited != exported
    counts = interchange.import_xliff(db, edited.encode(), "freelancer.xlf", Actor.importer("freelancer.xlf", TINA))
    assert counts["updated"] == 1
    row = store.get_translation(db, seg["id"], "az")
    assert (row["status"], row["text"]) == ("needs_review", "Rəhimov Bakıda rəsmilərlə görüşdü.")
    progress = store.progress(db, article["id"], "az")
    assert progress["needs_review"] == 1 and progress["approved"] == 0
    again = interchange.export_xliff(db, article["id"], "az").decode()
    assert re.search(r'<target state="needs-review-translation">Rəhimov Bakıda rəsmilərlə görüşdü\.</target>', again)
    db.close()
    page = browser("rita").get(f"/articles/{article['id']}/az/")
    assert 'data-status="needs_review">needs review</span>' in page.text and "1 needs review" in page.text
    # a reviewer's approval ends it
    db = instance.db()
    translations.save(db, Actor.person({"name": "rita", "role": "reviewer"}), seg["id"], "az", row["text"],
                      base_version=row["version"], approve=True, reason="checked")
    assert store.get_translation(db, seg["id"], "az")["status"] == "approved"
    db.close()
