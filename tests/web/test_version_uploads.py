"""'Upload a new version' follows the import rules: the instance's [import] limits, parser
failures as a 400 naming the file, and a big upload read and stored by a job, not the request."""

import io

import pytest

from tests.docx_parts import python_docx_bytes
from workbench.services import story_versions as article_versions, imports
from workbench.data import store
from workbench.data import jobs
from workbench.queue.tasks import JobQueue, make_queue
from workbench.core.segment import segment_text
from ..conftest import TEST_PERMISSIONS  # translators import here (tests/conftest.py)

V2 = "Talks in Baku\n" + "\n".join(f"Officials met in Ganja on day {i}." for i in range(60)) + "\n"


def _upload(client, article_id: int, data: bytes, name: str, base_version: str = "1"):
    return client.post(f"/articles/{article_id}/versions/", htmx=False, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name), "base_version": base_version})


def _version(instance, article_id: int) -> int:
    db = instance.db()
    try:
        return store.get_article(db, article_id)["version"]
    finally:
        db.close()


def test_a_big_new_version_is_not_parsed_in_the_request_but_by_a_job(instance, browser, article, monkeypatch):
    instance.settings_file.write_text("[import]\nbackground_bytes = 1000\n" + TEST_PERMISSIONS, encoding="utf-8")
    import workbench.web.versions as view

    monkeypatch.setattr(view, "parse_article", lambda *a, **k: pytest.fail("parsed in the request"))
    tina = browser("tina")
    response = _upload(tina, article["id"], V2.encode(), "talks-v2.txt")
    assert response.status_code == 302 and "/imports/" in response.headers["Location"]
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    db = instance.db()  # the test app runs jobs at once (huey immediate): the version is in
    job = jobs.get_job(db, job_id)
    assert job["status"] == "done" and job["article_id"] == article["id"]
    assert store.get_article(db, article["id"])["version"] == 2
    assert len(store.segments(db, article["id"])) == 61
    db.close()
    page = tina.get(f"/imports/{job_id}")
    assert "talks-v2.txt: version 2 — " in page.text and "Open it in the editor" in page.text


def test_a_version_with_many_paragraphs_is_segmented_by_a_job(instance, browser, article, monkeypatch):
    instance.settings_file.write_text("[import]\nbackground_paragraphs = 10\n" + TEST_PERMISSIONS, encoding="utf-8")
    queued = []
    monkeypatch.setattr(JobQueue, "import_article", lambda _queue, path, job_id: queued.append((path, job_id)))
    response = _upload(browser("tina"), article["id"], V2.encode(), "talks-v2.txt")
    [(path, job_id)] = queued
    assert response.headers["Location"].endswith(f"/imports/{job_id}")
    assert _version(instance, article["id"]) == 1  # nothing stored in the request
    monkeypatch.undo()
    make_queue(instance.path, immediate=True).import_task.call_local(path, job_id)
    assert _version(instance, article["id"]) == 2


def test_a_queued_version_does_not_overwrite_one_stored_meanwhile(instance, browser, article, monkeypatch):
    instance.settings_file.write_text("[import]\nbackground_bytes = 1000\n" + TEST_PERMISSIONS, encoding="utf-8")
    queued = []
    monkeypatch.setattr(JobQueue, "import_article", lambda _queue, path, job_id: queued.append((path, job_id)))
    _upload(browser("tina"), article["id"], V2.encode(), "talks-v2.txt")
    [(path, job_id)] = queued
    db = instance.db()
    article_versions.update_article(db, article["id"], title=None, byline=None, filename=None, fmt="txt",
                                    segmentation=segment_text("Talks in Baku\nThe CMS changed it.\n"),
                                    user="cms")
    monkeypatch.undo()
    make_queue(instance.path, immediate=True).import_task.call_local(path, job_id)
    job = jobs.get_job(db, job_id)
    assert job["status"] == "failed" and "someone uploaded a version meanwhile" in job["message"]
    assert store.get_article(db, article["id"])["version"] == 2  # the CMS's version, not the queued one
    assert [s["text"] for s in store.segments(db, article["id"])][-1] == "The CMS changed it."
    db.close()


def test_the_instances_docx_limits_apply_to_a_new_version(instance, browser, article):
    instance.settings_file.write_text("[import]\nmax_paragraphs = 5\n" + TEST_PERMISSIONS, encoding="utf-8")
    response = _upload(browser("tina"), article["id"], python_docx_bytes(30), "long.docx")
    assert response.status_code == 400
    assert "long.docx" in response.text and "more than 5 paragraphs" in response.text
    assert _version(instance, article["id"]) == 1


def test_a_parser_failure_is_a_400_naming_the_file(instance, browser, article, monkeypatch):
    import workbench.web.versions as view

    def broken(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(view, "parse_article", broken)
    response = _upload(browser("tina"), article["id"], b"<div>" * 10, "deep.html")
    assert response.status_code == 400
    assert "deep.html: could not be read as an article (RecursionError)" in response.text
    assert _version(instance, article["id"]) == 1


def test_a_small_version_is_still_stored_in_the_request(instance, browser, article, monkeypatch):
    monkeypatch.setattr(JobQueue, "import_article", lambda *args: pytest.fail("no job for a small version"))
    response = _upload(browser("tina"), article["id"], b"Talks in Baku\nOfficials met in Ganja.\n", "v2.txt",
                       base_version="1")
    assert response.status_code == 302 and response.headers["Location"].endswith("/versions/")
    assert _version(instance, article["id"]) == 2
    stale = _upload(browser("tina"), article["id"], b"Talks\nOther.\n", "v3.txt", base_version="1")
    assert stale.status_code == 409 and "someone uploaded a version meanwhile" in stale.text
    assert imports.StaleVersion.status == 409
