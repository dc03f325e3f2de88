"""The real server (`workbench serve` on a free loopback port) with accounts and one article, for
tests that need real threads or a real browser; and a signed-in HTTP client for it."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from workbench.data import store, users
from workbench.core.segment import segment_text

from ..conftest import free_port

PASSWORD = "correct horse"
ACCOUNTS = (("tina", "translator"), ("tom", "translator"), ("rita", "reviewer"))


def start_server(instance):
    """`workbench serve` for `instance` on a free loopback port, once it answers; (process, url)."""
    port = free_port()
    env = {**os.environ, "WORKBENCH_INSTANCE": str(instance.path)}
    process = subprocess.Popen([sys.executable, "-m", "workbench", "serve", "--port", str(port)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60  # a loaded shared machine can take long to start Python
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(url + "/login", timeout=5)
            return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("server did not start: " + process.stdout.read().decode())


def serve(instance, text: str, config: str = ""):
    """Accounts, an article made of `text` and `workbench serve`; yields url and article id."""
    if config:
        (instance.path / "config.py").write_text(config)
    db = instance.db()
    for name, role in ACCOUNTS:
        users.add_user(db, name, PASSWORD, role)
    article_id = store.create_article(db, title="Talks in Baku", byline=None, filename="t.txt", fmt="txt",
                                      segmentation=segment_text(text))
    db.close()
    process, url = start_server(instance)
    try:
        yield {"url": url, "article": article_id, "instance": instance}
    finally:
        process.terminate()
        process.wait(timeout=10)


class Client:
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
