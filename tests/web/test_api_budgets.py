"""The API parses articles within the web import's budget: the instance's [import] limits, a 413
problem for what the browser would hand to a background job, parser failures as a 422."""

import io

import pytest

from tests.docx_parts import python_docx_bytes
from workbench.data import store
from ..conftest import TEST_PERMISSIONS  # translators import here (tests/conftest.py)

BRACKETS = "[" * 300_000 + "x" + "]" * 300_000  # 600 KB, over the default background_bytes (512 KB)


def _articles(instance) -> list:
    db = instance.db()
    try:
        return store.list_articles(db)
    finally:
        db.close()


@pytest.fixture
def not_parsed(monkeypatch):
    import workbench.api.views as views

    monkeypatch.setattr(views, "parse_article", lambda *a, **k: pytest.fail("parsed in the request"))


@pytest.mark.parametrize("method,url", [("POST", "/articles"), ("PUT", "/articles/by-external-id/cms-9")])
def test_a_big_json_article_is_refused_with_413_before_parsing(api, instance, not_parsed, method, url, problem):
    body = problem(api(method, url, json={"format": "md", "text": BRACKETS}), 413)
    assert "api.md: 600,001 bytes, above [import] background_bytes (524,288)" in body["detail"]
    assert "background job" in body["detail"]
    assert _articles(instance) == []


def test_a_big_uploaded_file_is_refused_with_413_before_parsing(api, instance, not_parsed, problem):
    response = api("POST", "/articles", data={"file": (io.BytesIO(BRACKETS.encode()), "huge.md")},
                   content_type="multipart/form-data")
    assert "huge.md: 600,001 bytes" in problem(response, 413)["detail"]
    assert _articles(instance) == []


def test_an_article_of_too_many_paragraphs_is_refused_with_413(api, instance, problem):
    instance.settings_file.write_text("[import]\nbackground_paragraphs = 10\n" + TEST_PERMISSIONS, encoding="utf-8")
    text = "Title\n" + "\n".join(f"Officials met in Baku on day {i}." for i in range(30))
    body = problem(api("POST", "/articles", json={"format": "txt", "text": text}), 413)
    assert "api.txt: 31 paragraphs, above [import] background_paragraphs (10)" in body["detail"]
    assert _articles(instance) == []
    small = api("POST", "/articles", json={"format": "txt", "text": "Title\nOfficials met in Baku.\n"})
    assert small.status_code == 201


def test_the_instances_docx_limits_apply(api, instance, problem):
    instance.settings_file.write_text("[import]\nmax_paragraphs = 5\n" + TEST_PERMISSIONS, encoding="utf-8")
    response = api("PUT", "/articles/by-external-id/cms-7", content_type="multipart/form-data",
                   data={"file": (io.BytesIO(python_docx_bytes(8)), "long.docx")})
    assert "long.docx: more than 5 paragraphs" in problem(response, 422)["detail"]
    assert _articles(instance) == []


def test_a_parser_failure_is_a_422_naming_the_file(api, instance, monkeypatch, problem):
    import workbench.api.views as views

    def broken(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(views, "parse_article", broken)
    body = problem(api("POST", "/articles", json={"format": "html", "text": "<div>" * 10}), 422)
    assert "api.html: could not be read as an article (RecursionError)" in body["detail"]


def test_the_openapi_document_names_the_413(api):
    paths = api("GET", "/openapi.json", token=None).get_json()["paths"]
    assert "413" in paths["/api/v1/articles"]["post"]["responses"]
    assert "413" in paths["/api/v1/articles/by-external-id/{external_id}"]["put"]["responses"]


def test_an_html_article_of_too_many_tags_is_refused_with_413_before_parsing(api, instance, not_parsed, problem):
    html = "<p>Officials met.</p>" * 10_001  # 200 KB, 20,002 tags
    body = problem(api("POST", "/articles", json={"format": "html", "text": html}), 413)
    assert "api.html: 20,002 tags, above [import] background_tags (20,000)" in body["detail"]
    assert _articles(instance) == []
