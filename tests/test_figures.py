"""Issue 21 item 9: per-person figures — words translated (first saves, MT drafts not counted),
post-edited (saves over MT drafts), approved, and post-edit effort (normalised edit distance MT →
final, weighted by words) — from the CLI (CSV, JSON) and the API, translators seeing their own."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

import pytest

from tests.web.conftest import DOORS_TEXT
from workbench.app import create_app
from workbench.core.segment import segment_text
from workbench.data import api_tokens, store, users
from workbench.services import translations
from workbench.services.actor import Actor

TINA = Actor.person({"name": "tina", "role": "translator"})
RITA = Actor.person({"name": "rita", "role": "reviewer"})
TODAY = datetime.now(timezone.utc).date().isoformat()
# tina's post-edits: "Bakıda danışıqlar" -> "Bakıda danışıq" (3 of 17 characters, 2 words) and
# "Onlar 12 saziş imzaladılar." -> "Onlar 12 saziş imzaladı." (3 of 27 characters, 4 words)
TINA_EFFORT = round((3 / 17 * 2 + 3 / 27 * 4) / 6, 4)
TINA_FIGURES = {"person": "tina", "translated_words": 6, "post_edited_words": 6, "approved_words": 0,
                "post_edit_effort": TINA_EFFORT, "translated_segments": 1, "post_edited_segments": 2,
                "approved_segments": 0}
RITA_FIGURES = {"person": "rita", "translated_words": 0, "post_edited_words": 5, "approved_words": 5,
                "post_edit_effort": 0.0, "translated_segments": 0, "post_edited_segments": 1,
                "approved_segments": 1}


@pytest.fixture
def worked(instance):
    db = instance.db()
    for name, role in (("tina", "translator"), ("rita", "reviewer")):
        users.add_user(db, name, "correct horse", role)
    article_id = store.create_article(db, title="Talks in Baku", byline=None, filename="t.txt", fmt="txt",
                                      segmentation=segment_text(DOORS_TEXT))
    ids = {s["idx"] + 1: s["id"] for s in store.segments(db, article_id)}
    drafts = {1: "Bakıda danışıqlar", 2: "Nazirlər bazar ertəsi Bakıda görüşdülər.",
              3: "Onlar 12 saziş imzaladılar.", 4: "Nazirlər bazar ertəsi Bakıda görüşdülər."}
    translations.write_drafts(db, "az", [store.Draft(ids[n], text, "mt:fake-en_az", []) for n, text in drafts.items()],
                              force=False, user="mt:job 1")
    translations.save(db, TINA, ids[1], "az", "Bakıda danışıq", base_version=1, follow=False)
    translations.save(db, TINA, ids[3], "az", "Onlar 12 saziş imzaladı.", base_version=1, follow=False)
    translations.save(db, TINA, ids[2], "tr", "Bakanlar Pazartesi Bakü'de bir araya geldi.", base_version=0,
                      follow=False)
    translations.save(db, TINA, ids[2], "tr", "Bakanlar Pazartesi günü Bakü'de buluştu.", base_version=1,
                      follow=False)  # a second save of the same segment: not translated again
    translations.save(db, RITA, ids[2], "az", drafts[2], base_version=1, approve=True, follow=False)
    token = api_tokens.add_token(db, "tina-cli", "translator", owner="tina")["token"]
    db.close()
    return {"tina": token}


def test_figures_per_person_from_the_cli(cli, worked):
    report = json.loads(cli("figures", "--from", TODAY, "--to", TODAY, "--format", "json").stdout)
    assert report == {"from": TODAY, "to": TODAY, "people": [RITA_FIGURES, TINA_FIGURES]}
    rows = list(csv.DictReader(io.StringIO(cli("figures", "--from", TODAY, "--to", TODAY).stdout)))
    assert [(r["person"], r["translated_words"], r["post_edited_words"], r["approved_words"], r["post_edit_effort"])
            for r in rows] == [("rita", "0", "5", "5", "0.0"), ("tina", "6", "6", "0", str(TINA_EFFORT))]
    assert json.loads(cli("figures", "--from", "2020-01-01", "--to", "2020-01-31", "--format", "json").stdout)[
        "people"] == []
    own = json.loads(cli("figures", "--from", TODAY, "--to", TODAY, "--format", "json", "--user", "tina").stdout)
    assert own["people"] == [TINA_FIGURES]
    bad = cli("figures", "--from", "yesterday", "--to", TODAY, ok=False)
    assert bad.exit_code != 0 and "from: 'yesterday' is not a date" in bad.output


def test_figures_from_the_api_translators_see_their_own(instance, worked):
    db = instance.db()
    reviewer = api_tokens.add_token(db, "desk", "reviewer")["token"]
    db.close()
    client = create_app({"TESTING": True, "QUEUE_IMMEDIATE": True}, instance_path=instance.path).test_client()

    def get(url, token):
        return client.get(f"/api/v1{url}", headers={"Authorization": f"Bearer {token}"})

    everyone = get(f"/figures?from={TODAY}&to={TODAY}", reviewer)
    assert everyone.status_code == 200, everyone.text
    assert everyone.get_json() == {"from": TODAY, "to": TODAY, "people": [RITA_FIGURES, TINA_FIGURES]}
    as_csv = get(f"/figures?from={TODAY}&to={TODAY}&format=csv", reviewer)
    assert as_csv.mimetype == "text/csv" and as_csv.text.splitlines()[0].startswith("from,to,person,translated_words")
    assert get(f"/figures?from={TODAY}&to={TODAY}", worked["tina"]).get_json()["people"] == [TINA_FIGURES]
    refused = get(f"/figures?from={TODAY}&to={TODAY}&person=rita", worked["tina"])
    assert refused.status_code == 403 and "own figures only" in refused.get_json()["detail"]
