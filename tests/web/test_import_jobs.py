"""Web import of hostile and big documents: 400s with the reason, and big articles as a job."""

import io

import pytest

from tests.docx_parts import NS, make_docx, para, python_docx_bytes
from workbench.data import store
from workbench.data import jobs
from workbench.queue.tasks import JobQueue, make_queue
from ..conftest import TEST_PERMISSIONS  # translators import here (tests/conftest.py)


def _upload(client, data: bytes, name: str, **kwargs):
    return client.post("/articles", {"file": (io.BytesIO(data), name)}, htmx=False,
                       content_type="multipart/form-data", **kwargs)


@pytest.mark.parametrize("data,message", [
    (make_docx('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
               + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
               + f']><w:document {NS}><w:body>{para("&j;")}</w:body></w:document>'),
     "declares a document type"),
    (make_docx(f"<w:document {NS}><w:body><w:p><w:t>x</w:p>"), "the document&#39;s XML is broken"),
    (b"PK\x05\x06" + b"\x00" * 18, "no word/document.xml inside"),
    (b"PK\x03\x04 broken", "not a readable .docx file"),
])
def test_hostile_docx_uploads_are_400s_naming_the_file(browser, instance, data, message):
    response = _upload(browser("tina"), data, "hostile.docx")
    assert response.status_code == 400
    assert "hostile.docx" in response.text and message in response.text
    db = instance.db()
    assert store.list_articles(db) == []
    db.close()


def test_big_article_is_imported_by_a_job_not_in_the_request(browser, instance, monkeypatch):
    instance.settings_file.write_text("[import]\nbackground_paragraphs = 10\n" + TEST_PERMISSIONS, encoding="utf-8")
    queued = []
    monkeypatch.setattr(JobQueue, "import_article", lambda _queue, path, job_id: queued.append((path, job_id)))
    tina = browser("tina")
    response = _upload(tina, python_docx_bytes(30), "long.docx")
    assert response.status_code == 302
    [(path, job_id)] = queued
    assert response.headers["Location"].endswith(f"/imports/{job_id}")
    db = instance.db()
    assert store.list_articles(db) == []  # nothing was segmented or stored in the request
    assert jobs.get_job(db, job_id)["status"] == "queued"
    page = tina.get(f"/imports/{job_id}")
    assert "Import job" in page.text and "queued" in page.text
    monkeypatch.undo()
    make_queue(instance.path, immediate=True).import_task.call_local(path, job_id)  # what the worker does
    job = jobs.get_job(db, job_id)
    assert job["status"] == "done" and job["article_id"]
    assert len(store.segments(db, job["article_id"])) == 31
    assert not (instance.path / "imports" / f"{job_id}.upload").exists()
    page = tina.get(f"/imports/{job_id}", htmx=True)
    assert f"Imported article {job['article_id']}" in page.text and "Open it in the editor" in page.text
    assert "hx-get" not in page.text  # done: the component stops polling
    db.close()


def test_small_article_is_still_imported_in_the_request(browser, instance, monkeypatch):
    monkeypatch.setattr(JobQueue, "import_article", lambda *args: pytest.fail("no job for a small article"))
    response = _upload(browser("tina"), python_docx_bytes(3), "short.docx")
    assert response.status_code == 302 and "/imports/" not in response.headers["Location"]
    db = instance.db()
    assert len(store.list_articles(db)) == 1
    db.close()


def test_big_upload_is_not_even_parsed_in_the_request(browser, instance, monkeypatch):
    instance.settings_file.write_text("[import]\nbackground_bytes = 1000\n" + TEST_PERMISSIONS, encoding="utf-8")
    import workbench.web.articles as view

    monkeypatch.setattr(view, "parse_article", lambda *a, **k: pytest.fail("parsed in the request"))
    text = "Title\n" + "\n".join(f"Officials met in Baku on day {i}." for i in range(100))
    response = browser("tina").post("/articles", {"text": text, "format": "txt"}, htmx=False)
    assert response.status_code == 302 and "/imports/" in response.headers["Location"]
    db = instance.db()  # the test app runs jobs at once (huey immediate): the article is in
    [article] = store.list_articles(db)
    assert article["segments"] == 101
    db.close()


def test_a_failed_background_import_says_why_and_stores_nothing(browser, instance):
    instance.settings_file.write_text("[import]\nbackground_bytes = 10\n" + TEST_PERMISSIONS, encoding="utf-8")
    tina = browser("tina")
    response = _upload(tina, b"caf\xe9 " * 10, "latin1.txt")
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = tina.get(f"/imports/{job_id}")
    assert "failed" in page.text and "latin1.txt: line 1: not valid UTF-8" in page.text
    db = instance.db()
    assert store.list_articles(db) == []
    db.close()


@pytest.mark.parametrize("name", ["nested.html", "nested.md"])
def test_html_of_many_tags_is_read_by_a_job_not_in_the_request(browser, instance, monkeypatch, name):
    instance.settings_file.write_text("[import]\nbackground_tags = 100\n" + TEST_PERMISSIONS, encoding="utf-8")
    import workbench.web.articles as view

    monkeypatch.setattr(view, "parse_article", lambda *a, **k: pytest.fail("parsed in the request"))
    html = "<h1>Talks in Baku</h1>" + "<div>" * 60 + "Officials met in Baku." + "</div>" * 60
    response = _upload(browser("tina"), html.encode(), name)
    assert response.status_code == 302 and "/imports/" in response.headers["Location"]
    db = instance.db()  # the test app runs jobs at once (huey immediate): the article is in
    [article] = store.list_articles(db)
    assert article["title"] == "Talks in Baku"
    db.close()
