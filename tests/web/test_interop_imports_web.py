"""The web import forms' "Skip invalid entries" checkbox (TMX and glossary files)."""

from __future__ import annotations

import io

from pathlib import Path

from workbench.data import tm

DATA = Path(__file__).parents[1] / "data" / "interop"
BAD = (DATA / "invalid-units.tmx").read_bytes()

def test_memory_import_refuses_a_file_with_invalid_units_unless_skip_invalid(browser, instance):
    adam = browser("adam")
    page = adam.get("/memory").text
    assert 'name="skip_invalid"' in page and "Skip invalid entries" in page
    refused = adam.post("/memory/import", {"file": (io.BytesIO(BAD), "bad.tmx")}, htmx=False,
                        content_type="multipart/form-data")
    assert refused.status_code == 400 and "nothing was imported" in refused.text
    assert "tu &#39;b&#39; (line 3)" in refused.text
    db = instance.db()
    assert tm.units(db) == []
    done = adam.post("/memory/import", {"file": (io.BytesIO(BAD), "bad.tmx"), "skip_invalid": "1"}, htmx=False,
                     content_type="multipart/form-data")
    assert done.status_code == 302
    shown = adam.get(done.headers["Location"]).text
    assert "stored 2 (az, tr)" in shown and "tu &#39;c&#39; (line 4)" in shown
    assert len(tm.units(db)) == 2


def test_glossary_import_skip_invalid_and_the_concept_page_shows_what_tbx_held(browser, instance):
    adam = browser("adam")
    page = adam.get("/glossary/").text
    assert page.count('name="skip_invalid"') == 1 and "Skip invalid entries" in page
    tbx = (DATA / "multiterm-tbx-basic.tbx").read_bytes()
    refused = adam.post("/glossary/import", {"file": (io.BytesIO(tbx), "defence.tbx")}, htmx=False,
                        content_type="multipart/form-data")
    assert refused.status_code == 400 and "2 invalid entries; nothing was imported" in refused.text
    assert "org.two-terms" in refused.text and "/glossary/defence" not in refused.text
    done = adam.post("/glossary/import", {"file": (io.BytesIO(tbx), "defence.tbx"), "skip_invalid": "1"},
                     htmx=False, content_type="multipart/form-data")
    assert done.status_code == 302
    shown = adam.get(done.headers["Location"]).text
    assert "2 added" in shown and "skipped 2 invalid entries" in shown and "candidateTerm-admn-sts" in shown
    concept = adam.get("/glossary/defence/concepts/rank.col-gen").text
    for text in ("Military ranks", "A three-star general officer rank of the post-Soviet armies.",
                 "Definition (az-Latn-AZ)", "Üç ulduzlu general rütbəsi.", "standardizedTerm-admn-sts",
                 "Colonel General Rahimov met the delegation.", "Müdafiə Nazirliyi", "legalTerm-admn-sts",
                 "Headlines only.", '<td lang="az-Latn-AZ">general-polkovnik</td><td>az-Latn-AZ</td>'):
        assert text in concept, text


def test_cli_glossary_import_skip_invalid(cli_on, instance, tmp_path):
    cli = cli_on(instance)
    path = tmp_path / "defence.tbx"
    path.write_bytes((DATA / "multiterm-tbx-basic.tbx").read_bytes())
    refused = cli("glossary", "import", str(path), ok=False)
    assert refused.exit_code == 1 and "2 invalid entries; nothing was imported" in refused.output
    counts = cli.json("glossary", "import", str(path), "--skip-invalid")
    assert (counts["added"], counts["invalid"]) == (2, 2)
    assert [p["id"] for p in counts["skipped"]] == ["org.no-english", "org.two-terms"]
    again = cli("glossary", "import", str(path), "--skip-invalid").output
    assert "2 unchanged" in again and "skipped 2 invalid entries: concept 'org.no-english' (line 81)" in again


def test_the_editor_offers_both_omegat_translations_with_author_date_and_note(browser, instance):
    from workbench.core.segment import segment_text
    from workbench.data import store
    from workbench.services import interchange

    db = instance.db()
    interchange.import_tmx(db, (DATA / "omegat-project_save.tmx").read_bytes(), "project_save.tmx")
    article_id = store.create_article(db, title="Talks in Shusha", byline=None, filename="t.txt", fmt="txt",
                                      segmentation=segment_text("Talks in Shusha\nThe ministers met in Baku.\n"))
    segment = store.segments(db, article_id)[0]
    details = browser().get(f"/articles/{article_id}/az/segments/{segment['id']}/details", htmx=True).text
    assert details.count('class="take"') == 2
    assert "Şuşada danışıqlar" in details and "Şuşa danışıqları" in details
    assert "leyla, 2024-03-12" in details and "orxan, 2024-03-13" in details
    assert '<p class="tm-note muted">Headline style: no verb.</p>' in details


def test_api_memory_import_refuses_invalid_units_unless_skip_invalid(api, instance):
    def send(**fields):
        return api("POST", "/memory/import", token="admin", content_type="multipart/form-data",
                   data={"file": (io.BytesIO(BAD), "bad.tmx"), **fields})

    assert api("POST", "/memory/import", token="translator", content_type="multipart/form-data",
               data={"file": (io.BytesIO(BAD), "bad.tmx")}).status_code == 403
    refused = send()
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    body = refused.get_json()
    assert "nothing was imported" in body["detail"]
    assert [(p["id"], p["line"]) for p in body["problems"]] == [("b", 3), ("c", 4)]
    db = instance.db()
    assert tm.units(db) == []
    done = send(skip_invalid="true")
    assert done.status_code == 200
    counts = done.get_json()
    assert (counts["read"], counts["stored"], counts["merged"], counts["skipped"]) == (
        6, 2, 1, {"invalid": 2, "empty translation": 1})
    assert [p["id"] for p in counts["problems"]] == ["b", "c"]
    assert len(tm.units(db)) == 2


def test_api_glossary_import_skip_invalid(api, instance):
    from workbench.data import termbase as store_terms

    tbx = (DATA / "multiterm-tbx-basic.tbx").read_bytes()

    def send(**fields):
        return api("POST", "/glossaries/import", token="admin", content_type="multipart/form-data",
                   data={"file": (io.BytesIO(tbx), "defence.tbx"), **fields})

    refused = send()
    assert refused.status_code == 422
    assert [p["id"] for p in refused.get_json()["problems"]] == ["org.no-english", "org.two-terms"]
    db = instance.db()
    assert not store_terms.glossary_exists(db, "defence")
    done = send(skip_invalid="true", glossary="ranks")
    assert done.status_code == 200
    counts = done.get_json()
    assert (counts["glossary"], counts["added"], counts["invalid"]) == ("ranks", 2, 2)
    assert "candidateTerm-admn-sts" in counts["warnings"][0]
    assert store_terms.get_concept(db, "ranks", "rank.col-gen").subject == "Military ranks"


def test_xliff_import_form_skips_invalid_units_when_asked(browser, article, instance):
    from workbench.data import store
    from workbench.services import interchange

    db = instance.db()
    data = interchange.export_xliff(db, article["id"], "az")
    second = article["segments"][1]
    # the second unit's source no longer matches the article
    data = data.replace(f'<source>{second["text"]}</source>'.encode(), b"<source>Changed meanwhile.</source>", 1)
    assert b"Changed meanwhile." in data
    tina = browser()
    page = tina.get(f"/articles/{article['id']}/az/").text
    assert 'class="xliff-import"' in page and 'name="skip_invalid"' in page
    refused = tina.post("/articles/import-xliff", {"file": (io.BytesIO(data), "a.xlf")}, htmx=False,
                        content_type="multipart/form-data")
    assert refused.status_code == 400 and "no longer matches segment 2" in refused.text
    done = tina.post("/articles/import-xliff", {"file": (io.BytesIO(data), "a.xlf"), "skip_invalid": "1"},
                     htmx=False, content_type="multipart/form-data")
    assert done.status_code == 302
    shown = tina.get(done.headers["Location"]).text
    assert "skipped invalid units: trans-unit" in shown and "no longer matches segment 2" in shown
    assert store.get_translation(db, second["id"], "az") is None
