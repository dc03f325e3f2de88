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


# --- doors: one write action through every front end (tests/web/test_doors.py) ---------------

DOORS_TEXT = ("Talks in Baku\nThe ministers met in Baku on Monday. They signed 12 agreements.\n"
              "The ministers met in Baku on Monday.\n")


@pytest.fixture
def doors_article(instance):
    """Four segments, machine-drafted into az: 2 and 4 are the same sentence (a repetition), 3 has a
    number a translation can get wrong (a QA error), and a webhook listens for language.approved."""
    from workbench.data import webhooks
    from workbench.services import translations

    db = instance.db()
    article_id = store.create_article(db, title="Talks in Baku", byline=None, filename="t.txt", fmt="txt",
                                      segmentation=segment_text(DOORS_TEXT))
    segments = store.segments(db, article_id)
    drafts = {1: "Bakıda danışıqlar", 2: "Nazirlər bazar ertəsi Bakıda görüşdülər.",
              3: "Onlar 12 saziş imzaladılar.", 4: "Nazirlər bazar ertəsi Bakıda görüşdülər."}
    translations.write_drafts(db, "az", [store.Draft(s["id"], drafts[s["idx"] + 1], "mt:fake-en_az", [])
                                         for s in segments], force=False, user="mt:job 1")
    webhooks.add_webhook(db, "http://127.0.0.1:9/hooks", ["language.approved"])
    db.close()
    return {"id": article_id, "ids": {s["idx"] + 1: s["id"] for s in segments}}


def recorded_events(db) -> list[str]:
    """The events recorded so far (one webhook listens), oldest first."""
    from workbench.data import webhooks

    return [delivery["event"] for delivery in reversed(webhooks.deliveries(db))]


class Door:
    """One front end's way to save a segment: `read` what the client sees, then `write` based on it.

    `write` returns "ok", "conflict", "needs_reason" or "not_approved" (an import's approval that
    needed a reason is saved as an edit)."""
    name = ""
    author = ""
    approves = True

    def __init__(self, article, instance):
        self.article, self.instance = article, instance

    def sid(self, number):
        return self.article["ids"][number]

    def current(self, number):
        db = self.instance.db()
        try:
            return store.get_translation(db, self.sid(number), "az")
        finally:
            db.close()

    def read(self, number):
        row = self.current(number)
        return {"version": row["version"] if row else 0, "text": row["text"] if row else ""}


class WebDoor(Door):
    name, author = "web", "rita"

    def __init__(self, article, instance, browser):
        super().__init__(article, instance)
        self.client = browser("rita")

    def write(self, number, base, text, approve=False, reason=None):
        data = {"text": text, "base_version": base["version"], "action": "approve" if approve else "save"}
        if reason:
            data["reason"] = reason
        response = self.client.post(f"/articles/{self.article['id']}/az/segments/{self.sid(number)}", data)
        return {200: "ok", 409: "conflict", 422: "needs_reason"}[response.status_code]


class ApiDoor(Door):
    name, author = "api", "api:doors"

    def __init__(self, article, instance, app):
        super().__init__(article, instance)
        from workbench.data import api_tokens

        db = instance.db()
        self.token = api_tokens.add_token(db, "doors", "reviewer")["token"]
        db.close()
        self.client = app.test_client()

    def _url(self, number):
        return f"/api/v1/articles/{self.article['id']}/translations/az/segments/{number}"

    def read(self, number):
        response = self.client.get(self._url(number), headers={"Authorization": f"Bearer {self.token}"})
        assert response.status_code == 200, response.text
        body = response.get_json()
        assert response.headers["ETag"] == f'"v{body["version"]}"'
        return {"version": body["version"], "text": body["target"]}

    def write(self, number, base, text, approve=False, reason=None):
        body = {"target": text, "status": "approved" if approve else "edited", "base_version": base["version"]}
        if reason:
            body["reason"] = reason
        response = self.client.put(self._url(number), json=body, headers={"Authorization": f"Bearer {self.token}"})
        return {200: "ok", 409: "conflict", 422: "needs_reason"}[response.status_code]


class XliffDoor(Door):
    """An XLIFF file exported at `read` and edited elsewhere: the read is the whole file."""
    name, author = "xliff", "import of back.xlf by rita"

    def read(self, number):
        from workbench.services import interchange

        db = self.instance.db()
        try:
            return {"file": interchange.export_xliff(db, self.article["id"], "az"), **super().read(number)}
        finally:
            db.close()

    def edited(self, number, base, text, approve) -> bytes:
        from lxml import etree

        root = etree.fromstring(base["file"])
        ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
        unit = root.find(f".//x:trans-unit[@id='{self.sid(number)}']", ns)
        target = unit.find("x:target", ns)
        if target is None:
            target = etree.SubElement(unit, "{urn:oasis:names:tc:xliff:document:1.2}target")
        target.text = text
        target.set("state", "final" if approve else "translated")
        target.attrib.pop("state-qualifier", None)
        if not approve:
            unit.attrib.pop("approved", None)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def outcome(self, counts):
        if counts["conflicts"]:
            return "conflict"
        return "not_approved" if counts["not_approved"] else "ok"


class XliffWebDoor(XliffDoor):
    name = "xliff-web"

    def __init__(self, article, instance, browser):
        super().__init__(article, instance)
        self.client = browser("rita")

    def write(self, number, base, text, approve=False, reason=None):
        import io

        response = self.client.post("/articles/import-xliff", htmx=False, content_type="multipart/form-data",
                                    data={"file": (io.BytesIO(self.edited(number, base, text, approve)), "back.xlf")})
        assert response.status_code == 302, response.text
        page = self.client.get(response.headers["Location"]).text  # the flashed summary
        if "kept because they changed here since the export" in page:
            return "conflict"
        return "not_approved" if f"segment {number} not approved:" in page else "ok"


class XliffCliDoor(XliffDoor):
    name = "xliff-cli"

    def __init__(self, article, instance, cli, tmp_path):
        super().__init__(article, instance)
        self.cli, self.tmp_path = cli, tmp_path

    def write(self, number, base, text, approve=False, reason=None):
        path = self.tmp_path / "back.xlf"
        path.write_bytes(self.edited(number, base, text, approve))
        return self.outcome(self.cli.json("import-xliff", str(path), "--user", "rita"))


class FindReplaceDoor(Door):
    """Find & replace in the web editor: the whole text of one segment replaced (no approving)."""
    name, author, approves = "find-replace", "rita", False

    def __init__(self, article, instance, browser):
        super().__init__(article, instance)
        self.client = browser("rita")

    def write(self, number, base, text, approve=False, reason=None):
        assert not approve
        response = self.client.post(f"/articles/{self.article['id']}/az/find/replace", htmx=False, data={
            "find": base["text"], "replace": text, "scope": "target", "case": "1",
            "pick": f"{self.sid(number)}:{base['version']}"})
        return {302: "ok", 409: "conflict"}[response.status_code]


DOORS = ["web", "api", "xliff-web", "xliff-cli", "find-replace"]


@pytest.fixture(params=DOORS)
def door(request, doors_article, instance, app, browser, cli, tmp_path):
    return {"web": lambda: WebDoor(doors_article, instance, browser),
            "api": lambda: ApiDoor(doors_article, instance, app),
            "xliff-web": lambda: XliffWebDoor(doors_article, instance, browser),
            "xliff-cli": lambda: XliffCliDoor(doors_article, instance, cli, tmp_path),
            "find-replace": lambda: FindReplaceDoor(doors_article, instance, browser)}[request.param]()
