"""The Word export through the API (?format=docx, documented in the OpenAPI description) and the
web download."""

import io

import docx

from tests.test_docx_roundtrip import _import, _word_file


def test_docx_through_the_api_and_the_web_download(app, cms_api, browser, instance, tmp_path, cli):
    article_id = _import(cli, tmp_path, _word_file())
    response = cms_api.get(f"/api/v1/articles/{article_id}/translations/az?format=docx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert docx.Document(io.BytesIO(response.data)).paragraphs[0].text == "Baku talks end"
    spec = cms_api.get("/api/v1/openapi.json").get_json()
    content = spec["paths"]["/api/v1/articles/{article_id}/translations/{lang}"]["get"]["responses"]["200"]["content"]
    assert response.mimetype in content
    tina = browser("tina")
    page = tina.get(f"/articles/{article_id}/az/")
    assert page.status_code == 200 and f"/articles/{article_id}/export?lang=az&amp;format=docx" in page.text
    assert "talks" in page.text and "the report" in page.text
    download = tina.get(f"/articles/{article_id}/export?lang=az&format=docx")
    assert download.status_code == 200 and download.data[:2] == b"PK"
    assert download.mimetype == response.mimetype
