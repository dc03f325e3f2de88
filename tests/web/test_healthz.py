"""`GET /healthz`: no login, 200 when the instance is fit, 503 naming what failed."""

from __future__ import annotations


def test_healthz_answers_without_login(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200, response.text
    report = response.get_json()
    assert report["ok"] is True and report["failed"] == []
    assert set(report["checks"]) == {"database", "queue", "models", "disk"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_naming_the_failed_check(app, instance):
    (instance.path / "workbench.toml").write_text("[health]\nmin_free_mb = 999999999999\n")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    report = response.get_json()
    assert report["ok"] is False and report["failed"] == ["disk"]
    assert "999999999999 MB" in report["checks"]["disk"]["detail"]


def test_other_pages_still_need_login(app):
    response = app.test_client().get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
