"""Fixtures for the web app: an app on a temporary instance, accounts per role, signed-in clients."""

from __future__ import annotations

import re

import pytest

from workbench.data import store, users
from workbench.core.segment import segment_text
from workbench.app import create_app

PASSWORD = "correct horse"
TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


@pytest.fixture
def app(instance):
    # jobs run synchronously, in memory, for the test client only
    app = create_app({"TESTING": True, "QUEUE_IMMEDIATE": True}, instance_path=instance.path)
    db = instance.db()
    for name, role in (("tina", "translator"), ("rita", "reviewer"), ("adam", "admin")):
        users.add_user(db, name, PASSWORD, role)
    db.close()
    yield app


class Browser:
    """A test client that signs in and sends the CSRF token the way htmx does."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def login(self, name: str):
        page = self.client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.client.post("/login", data={"username": name, "password": PASSWORD,
                                                     "csrf_token": token})
        assert response.status_code == 302, response.text
        self.token = TOKEN.search(self.client.get("/").text).group(1)
        return self

    def get(self, url, htmx=False, **kwargs):
        headers = {"HX-Request": "true"} if htmx else {}
        return self.client.get(url, headers=headers, **kwargs)

    def post(self, url, data=None, htmx=True, csrf=True, **kwargs):
        headers = {}
        if htmx:
            headers["HX-Request"] = "true"
        if csrf:
            headers["X-CSRFToken"] = self.token
        return self.client.post(url, data=data or {}, headers=headers, **kwargs)


@pytest.fixture
def browser(app):
    return lambda name="tina": Browser(app.test_client()).login(name)


@pytest.fixture
def cms_api(app, instance):
    """A test client of the API with a reviewer's token named "cms" (its actor is "api:cms")."""
    from workbench.data import api_tokens

    db = instance.db()
    token = api_tokens.add_token(db, "cms", "reviewer")["token"]
    db.close()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@pytest.fixture
def article(instance):
    db = instance.db()
    article_id = store.create_article(
        db, title="Talks in Baku", byline=None, filename="t.txt", fmt="txt",
        segmentation=segment_text("Talks in Baku\nCol-Gen Rahimov met officials in Baku. "
                                  "They discussed <script>alert(1)</script> plans.\n"))
    segments = store.segments(db, article_id)
    db.close()
    return {"id": article_id, "segments": segments}
