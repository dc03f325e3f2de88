"""Fixtures for the web app: an app on a temporary instance, accounts per role, signed-in clients;
the real server (`workbench serve`) and a real browser (Playwright driving Debian's Chromium).

The browser tests share one Chromium for the whole session (of each pytest-xdist worker; each test
gets its own contexts, closed after it) and one `workbench serve` per server configuration (the
default one, pages of two segments, ...), started on first use. A test gets a fresh article of its own on that server; the
accounts are made once. A test whose assertions read instance-wide state (the translation memory,
the consistency report, suggestion numbers) names a server kind of its own.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import sqlite3
import urllib.error
import urllib.parse
import urllib.request

import pytest

from workbench.data import api_tokens, store, users
from workbench.core.segment import segment_text
from workbench.app import create_app

from ..conftest import copy_instance, start_live_server, stop_server

PASSWORD = "correct horse"
TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LIVE_ACCOUNTS = (("tina", "translator"), ("tom", "translator"), ("rita", "reviewer"), ("adam", "admin"))
# The article most browser tests edit: a title and two sentences, three segments.
TALKS = "Talks in Baku\nCol-Gen Rahimov met officials in Baku. They agreed.\n"


APP_ACCOUNTS = (("tina", "translator"), ("rita", "reviewer"), ("adam", "admin"))


def _test_app(instance):
    """The app on `instance` with the APP_ACCOUNTS; jobs run synchronously, in memory, for the test client only."""
    app = create_app({"TESTING": True, "QUEUE_IMMEDIATE": True}, instance_path=instance.path)
    db = instance.db()
    for name, role in APP_ACCOUNTS:
        users.add_user(db, name, PASSWORD, role)
    db.close()
    return app


@pytest.fixture
def app(instance):
    yield _test_app(instance)


class SharedApp:
    """One app on one instance for a module's many small tests (building the app costs ~0.15 s, more
    than most of those tests): the module saves the database as its tests start from it
    (`snapshot()`), and each test puts it back first (`restore()`). Both go through SQLite's backup
    API, so the connections the app keeps open read the restored rows."""

    def __init__(self, instance, app):
        self.instance, self.app = instance, app
        self.saved = instance.path.parent / "snapshot.db"

    @staticmethod
    def _copy(source_path, target_path) -> None:
        source, target = sqlite3.connect(source_path), sqlite3.connect(target_path)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()

    def snapshot(self) -> None:
        self._copy(self.instance.db_path, self.saved)

    def restore(self) -> None:
        self._copy(self.saved, self.instance.db_path)

    def browser(self, name: str = "tina") -> "Browser":
        return Browser(self.app.test_client()).login(name)


@pytest.fixture(scope="module")
def shared_app(template_instance, tmp_path_factory) -> SharedApp:
    """`app` (and its accounts) on an instance of its own, made once for the test module; see SharedApp."""
    instance = copy_instance(template_instance, tmp_path_factory.mktemp("shared-app") / "instance")
    return SharedApp(instance, _test_app(instance))


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


def _recorded_events(db) -> list[str]:
    from workbench.data import webhooks

    return [delivery["event"] for delivery in reversed(webhooks.deliveries(db))]


@pytest.fixture
def recorded_events():
    """`recorded_events(db)`: the events recorded so far (one webhook listens), oldest first."""
    return _recorded_events


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


@pytest.fixture
def password() -> str:
    """The password of every account the fixtures make."""
    return PASSWORD


@pytest.fixture
def signed_in_client():
    """The test-client wrapper that signs in and sends the CSRF token: `signed_in_client(client).login(name)`."""
    return Browser


# --- the real server ---------------------------------------------------------------------------

class LiveServers:
    """The session's `workbench serve` processes: one per kind, each on its own copy of the template
    instance with the LIVE_ACCOUNTS, started when a test first asks for that kind."""

    def __init__(self, template, folder):
        self.template, self.folder, self.running, self.configs = template, folder, {}, {}

    def get(self, kind: str = "default", config: str = "") -> dict:
        assert self.configs.setdefault(kind, config) == config, f"server kind {kind!r} runs with another config.py"
        if kind not in self.running:
            instance = copy_instance(self.template, self.folder / kind)
            if config:
                (instance.path / "config.py").write_text(config)
            db = instance.db()
            for name, role in LIVE_ACCOUNTS:
                users.add_user(db, name, PASSWORD, role)
            db.close()
            process, url = start_live_server(instance)
            self.running[kind] = (process, {"url": url, "instance": instance})
        return self.running[kind][1]

    def stop(self) -> None:
        for process, _ in self.running.values():
            stop_server(process)


@pytest.fixture(scope="session")
def live_servers(template_instance, tmp_path_factory):
    servers = LiveServers(template_instance, tmp_path_factory.mktemp("live"))
    yield servers
    servers.stop()


@pytest.fixture
def live_article(live_servers):
    """`live_article(text, kind=..., config=...)`: a fresh article made of `text` on the shared server
    of that kind; {"url", "article", "instance"} (the server's instance)."""

    def make(text: str = TALKS, kind: str = "default", config: str = "") -> dict:
        server = live_servers.get(kind, config)
        db = server["instance"].db()
        article_id = store.create_article(db, title="Talks in Baku", byline=None, filename="t.txt", fmt="txt",
                                          segmentation=segment_text(text))
        db.close()
        return {**server, "article": article_id}

    return make


PAGES_OF_TWO = "EDITOR_PAGE_SIZE = 2\n"


@pytest.fixture
def server(live_article):
    """The three-segment article on the session's default server."""
    return live_article(TALKS)


@pytest.fixture
def paged_server(live_article):
    """The three-segment article on the session's server whose editor shows two segments a page."""
    return live_article(TALKS, kind="paged", config=PAGES_OF_TWO)


class LiveClient:
    """One signed-in session against the real server, sending the CSRF token as htmx does."""

    def __init__(self, url: str, name: str):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        login = self.opener.open(url + "/login").read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
        self.opener.open(url + "/login", urllib.parse.urlencode(
            {"username": name, "password": PASSWORD, "csrf_token": token}).encode())
        home = self.opener.open(url + "/").read().decode()
        self.token = re.search(r'name="csrf-token" content="([^"]+)"', home).group(1)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.url + path, data=body,
                                         headers={"HX-Request": "true", "X-CSRFToken": self.token})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()


@pytest.fixture
def live_client():
    """`live_client(url, name)`: a signed-in urllib session against a live server."""
    return LiveClient


# --- the real browser --------------------------------------------------------------------------

def pytest_collection_modifyitems(items):
    """Every test that uses Chromium is marked `browser`, and skipped where Debian's chromium is missing."""
    missing = pytest.mark.skip(reason="Debian's chromium is not installed")
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
            if not os.path.exists(CHROMIUM):
                item.add_marker(missing)


# Reports every Content-Security-Policy violation as a console error (init scripts run outside
# the page's policy), so the fixture below can fail the test that caused one.
CSP_REPORTER = """document.addEventListener("securitypolicyviolation", (e) => console.error(
    "CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " +
    e.sourceFile + ":" + e.lineNumber));"""


class CSPWatchedBrowser:
    """The session's Playwright browser for one test: every context it opens is watched for CSP
    violations, and closed when the test ends."""

    def __init__(self, browser):
        self._browser, self.violations, self.contexts = browser, [], []

    def _watch(self, context):
        context.add_init_script(CSP_REPORTER)
        context.on("console", self._console)
        self.contexts.append(context)
        return context

    def _console(self, message):
        if "CSP violation" in message.text or "Content Security Policy" in message.text:
            self.violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def new_context(self, **kwargs):
        return self._watch(self._browser.new_context(**kwargs))

    def new_page(self, **kwargs):
        return self.new_context(**kwargs).new_page()

    def close_contexts(self):
        for context in self.contexts:
            context.close()

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def session_chromium():
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def chromium(session_chromium):
    """The session's Chromium, for this test's own contexts; the test FAILS if any page it showed
    reported a CSP violation."""
    watched = CSPWatchedBrowser(session_chromium)
    yield watched
    watched.close_contexts()
    assert watched.violations == [], "Content-Security-Policy violations:\n" + "\n".join(watched.violations)


def sign_in(page, url: str, name: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(url) + r"/(my-work)?$"))  # people with open work land on My work


def sign_in_to_dashboard(page, url: str, name: str) -> None:
    sign_in(page, url, name)
    if not page.url.rstrip("/").endswith(url.rstrip("/")):  # landed on My work (open assignments)
        page.goto(url + "/")


@pytest.fixture
def login():
    """`login(page, url, name)`: sign in on the login page and be on the dashboard (a person with
    open work lands on My work first; on the shared servers other tests may have assigned them)."""
    return sign_in_to_dashboard


@pytest.fixture
def editor_page(chromium):
    """`editor_page(live, name, width=1366, height=768)`: a signed-in page of its own context, in the
    editor of the live article (language az)."""

    def open_editor(live, name, width=1366, height=768):
        page = chromium.new_context(viewport={"width": width, "height": height}).new_page()
        sign_in(page, live["url"], name)
        page.goto(f"{live['url']}/articles/{live['article']}/az/")
        return page

    return open_editor


@pytest.fixture
def seg():
    """`seg(page, number)`: the editor's segment (li.seg) whose translation box is segment `number`."""
    return lambda page, number: page.locator(
        ".seg", has=page.get_by_label(f"Translation of segment {number}", exact=True))


# --- the REST API --------------------------------------------------------------------------------

@pytest.fixture
def tokens(instance):
    """API tokens of the three roles: role -> token."""
    db = instance.db()
    made = {role: api_tokens.add_token(db, f"t-{role}", role)["token"] for role in ("translator", "reviewer", "admin")}
    db.close()
    return made


@pytest.fixture
def api(app, tokens):
    """`api(method, url, token="translator", **kwargs)`: a call to /api/v1 with a role's (or a given) token."""
    client = app.test_client()

    def call(method, url, token="translator", **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {tokens.get(token, token)}"
        return client.open(f"/api/v1{url}", method=method, headers=headers, **kwargs)

    return call


def _problem(response, status):
    assert response.status_code == status, response.text
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


@pytest.fixture
def problem():
    """`problem(response, status)`: asserts an RFC 9457 problem+json answer of that status; its body."""
    return _problem
