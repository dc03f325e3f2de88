"""Hostile path values, names and files on every route: 404/400 with the app's error page, never 500."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from bs4 import BeautifulSoup

from workbench.data import termbase as store_terms
from workbench.data.instance import TEMPLATES_DIR

ERROR_PAGE = re.compile(r'<section class="error" role="alert">.*HTTP (\d{3})', re.S)
HOSTILE = ["99999999999999999999", "-1", "0", "az%0A", "%0Aaz", "..", "%2E%2E", "%2F", "a%2Fdelete",
           "%00", "x" * 3000, "hərbi-rütbələr", "%3Cscript%3E", "1e9", " "]
ARG = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


def _assert_handled(response, url):
    assert response.status_code < 500, f"{url}: {response.status_code}"
    if response.status_code >= 400 and response.mimetype == "application/problem+json":  # the REST API
        body = response.get_json()
        assert body["status"] == response.status_code and body["detail"], f"{url}: {body}"
        return
    if response.status_code >= 400:
        match = ERROR_PAGE.search(response.text) or re.search(r'role="alert"', response.text)
        assert match, f"{url}: {response.status_code} without the app's error page"
        assert "Traceback" not in response.text


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule, sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_route_with_hostile_path_values_is_a_404_or_400_page(browser, article):
    adam = browser("adam")
    app = adam.client.application
    tried = 0
    for rule, methods in _routes(app):
        if not rule.arguments:
            continue
        for value in HOSTILE:
            url = ARG.sub(value, rule.rule)
            for method in methods:
                if method == "GET":
                    response = adam.get(url)
                    _assert_handled(response, url)
                    response = adam.get(url, htmx=True)
                else:
                    response = adam.post(url, {"text": "x", "base_version": 0}, htmx=False)
                _assert_handled(response, f"{method} {url}")
                tried += 1
    assert tried > 100


@pytest.mark.parametrize("url", [
    "/articles/99999999999999999999/az/",
    "/articles/1/az%0A/",
    "/articles/1/az/segments/99999999999999999999",
    "/jobs/99999999999999999999",
    "/articles/1/export?lang=az%0A",
    "/articles/1/export?lang=xx",
])
def test_the_audits_urls_are_not_found_pages(browser, article, url):
    response = browser("tina").get(url)
    assert response.status_code == 404 and ERROR_PAGE.search(response.text), response.text[:300]


def test_hostile_query_values_on_every_get_route(browser, article):
    adam = browser("adam")
    query = "?lang=az%0Aevil&page=99999999999999999999&only=%00&format=..%2F&glossary=a%2Fb&q=%0A&domain=%FF"
    for rule, methods in _routes(adam.client.application):
        if "GET" in methods and not rule.arguments:
            _assert_handled(adam.get(rule.rule + query), rule.rule + query)
    editor = f"/articles/{article['id']}/az/"
    _assert_handled(adam.get(editor + query), editor + query)


# --- item 13: downloads named with any characters ------------------------------------------------

def test_exports_with_non_latin1_names_are_downloads_with_rfc6266_names(browser, instance):
    adam = browser("adam")
    csv = b"id,domain,note,en,az\nplace.lankaran,place,,Lankaran,L\xc9\x99nk\xc9\x99ran\n"
    name = "hərbi-rütbələr"
    assert adam.post("/glossary/import", {"file": (io.BytesIO(csv), "x.csv"), "glossary": name},
                     htmx=False, content_type="multipart/form-data").status_code == 302
    exported = adam.get(f"/glossary/export?format=csv&glossary={quote(name)}")
    assert exported.status_code == 200 and "Lənkəran" in exported.text
    disposition = exported.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=UTF-8''{quote(name)}.csv" in disposition
    assert unquote(disposition.split("UTF-8''")[1]) == f"{name}.csv"

    memory = adam.get(f"/memory/export?lang={quote('аз')}")
    assert memory.status_code == 200 and "filename*=UTF-8''memory-" in memory.headers["Content-Disposition"]
    newline = adam.get("/memory/export?lang=az%0Aevil")
    assert newline.status_code == 200 and "\n" not in newline.headers["Content-Disposition"]


def test_article_export_names_are_plain(browser, article):
    response = browser().get(f"/articles/{article['id']}/export?lang=ru&format=md")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"attachment; filename=article-{article['id']}-ru.md"


# --- item 14: any failure reading an upload is a 400 ---------------------------------------------

def _docx(document_xml: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
          b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
          b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
          b'<w:r><w:t>&d;</w:t></w:r></w:p></w:body></w:document>')
LOOP = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "&b;"><!ENTITY b "&a;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
        b'<w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>')


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a zip", _docx(b"<w:document"), _docx(LAUGHS),
                                  _docx(LOOP), _docx(b"\xff\xfe\x00<")], ids=["zip", "xml", "laughs", "loop", "bytes"])
def test_malformed_docx_uploads_are_400_pages(browser, data):
    response = browser().post("/articles", {"file": (io.BytesIO(data), "hostile.docx")}, htmx=False,
                              content_type="multipart/form-data")
    assert response.status_code == 400 and 'role="alert"' in response.text and "hostile.docx" in response.text


def test_an_unexpected_reader_exception_is_the_files_fault(browser, monkeypatch):
    """Whatever a reader raises on a hostile file becomes a 400 naming the file, never a 500."""
    from workbench.web import articles, glossary, memory

    def explode(*_args, **_kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(articles, "parse_article", explode)
    monkeypatch.setattr(glossary.glossary_service, "read_glossary_entries", explode)
    monkeypatch.setattr(memory.interchange, "import_tmx", explode)
    monkeypatch.setattr(articles.interchange, "import_xliff", explode)
    adam = browser("adam")
    for url, name in (("/articles", "a.docx"), ("/glossary/import", "g.tbx"), ("/memory/import", "m.tmx"),
                      ("/articles/import-xliff", "x.xlf")):
        response = adam.post(url, {"file": (io.BytesIO(b"<x/>"), name)}, htmx=False,
                             content_type="multipart/form-data")
        assert response.status_code == 400, url
        assert f"{name}: could not be read" in response.text and 'role="alert"' in response.text


# --- item 16: ids and names are closed patterns; every form has an action ------------------------

CONCEPT = {"domain": "place", "note": "", "source": "", "terms_en": "Alpha", "terms_az": "", "terms_tr": "",
           "terms_ru": ""}


def test_a_concept_id_with_a_slash_is_refused_and_cannot_reach_another_concept(browser, instance):
    adam = browser("adam")
    assert adam.post("/glossary/g1/concepts/new", {**CONCEPT, "id": "alpha"}, htmx=False).status_code == 302
    refused = adam.post("/glossary/g1/concepts/new", {**CONCEPT, "id": "alpha/delete", "terms_en": "Beta"},
                        htmx=False)
    assert refused.status_code == 400 and "concept id 'alpha/delete' is not allowed" in html.unescape(refused.text)
    db = instance.db()
    assert [c.id for c in store_terms.load_concepts(db, "g1")] == ["alpha"]
    # the old route shape: a concept path with a slash no longer reaches a concept's delete
    assert adam.post("/glossary/g1/concepts/alpha/delete/x", htmx=False).status_code == 404
    for bad_id in ("new", "..", "a b", "a?b", "a#b", ""):
        response = adam.post("/glossary/g1/concepts/new", {**CONCEPT, "id": bad_id}, htmx=False)
        assert response.status_code == 400, bad_id
    assert [c.id for c in store_terms.load_concepts(db, "g1")] == ["alpha"]


@pytest.mark.parametrize("name", ["a/b", "..", ".", "a\tb", "x" * 65, "a\nb", "a?b"])
def test_a_glossary_name_that_is_not_a_path_segment_is_refused(browser, instance, name):
    adam = browser("adam")
    csv = b"id,domain,note,en\nplace.x,place,,Xville\n"
    response = adam.post("/glossary/import", {"file": (io.BytesIO(csv), "x.csv"), "glossary": name},
                         htmx=False, content_type="multipart/form-data")
    assert response.status_code == 400 and "is not allowed" in response.text
    assert adam.post(f"/glossary/{quote(name, safe='')}/concepts/new", {**CONCEPT, "id": "ok"},
                     htmx=False).status_code in (400, 404)
    assert name not in {g["name"] for g in store_terms.glossaries(instance.db())}


def test_an_imported_concept_id_with_a_slash_is_refused(browser):
    csv = b"id,domain,note,en\nalpha/delete,place,,Xville\n"
    response = browser("adam").post("/glossary/import", {"file": (io.BytesIO(csv), "x.csv")}, htmx=False,
                                    content_type="multipart/form-data")
    assert response.status_code == 400 and "alpha/delete" in response.text


def _forms_without_action(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [str(form)[:120] for form in soup.find_all("form")
            if form.get("method", "").lower() != "dialog" and not form.get("action")]


def test_every_template_form_has_an_explicit_action():
    templates = sorted(Path(TEMPLATES_DIR).rglob("*.html"))
    assert len(templates) > 10
    missing = {str(t.relative_to(TEMPLATES_DIR)): _forms_without_action(t.read_text()) for t in templates}
    assert {name: forms for name, forms in missing.items() if forms} == {}


def test_every_rendered_page_form_has_an_explicit_action(app, browser, article):
    adam = browser("adam")
    pages = ["/", "/glossary/", "/glossary/places-organisations/concepts/place.baku",
             "/glossary/places-organisations/concepts/new", "/admin/", "/memory", "/stats",
             f"/articles/{article['id']}/az/", f"/articles/{article['id']}/az/segments/{article['segments'][1]['id']}"]
    for url in pages:
        response = adam.get(url)
        assert response.status_code == 200, url
        assert _forms_without_action(response.text) == [], url
    assert _forms_without_action(app.test_client().get("/login?next=/glossary/").text) == []
