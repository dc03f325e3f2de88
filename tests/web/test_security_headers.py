"""Security headers on every response; templates keep to the Content-Security-Policy; proxy mode."""

import re
from pathlib import Path

import pytest

from workbench.data.instance import TEMPLATES_DIR
from workbench import console
from workbench.app import create_app


def _directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


def test_every_kind_of_response_carries_the_headers(browser, article):
    tina = browser("tina")
    anonymous = tina.client.application.test_client()
    responses = {
        "login page": anonymous.get("/login"),
        "redirect to login": anonymous.get("/"),
        "static file": anonymous.get("/static/htmx.min.js"),
        "page": tina.get("/"),
        "htmx partial": tina.get(f"/articles/{article['id']}/az/segments/{article['segments'][0]['id']}", htmx=True),
        "404": tina.get("/no/such/page"),
        "403": tina.get("/admin/"),
        "csrf failure": tina.post("/logout", csrf=False),
    }
    for what, response in responses.items():
        headers = response.headers
        assert headers.get("X-Content-Type-Options") == "nosniff", what
        assert headers.get("X-Frame-Options") == "DENY", what
        assert headers.get("Referrer-Policy") == "same-origin", what
        csp = _directives(response)
        assert csp["script-src"] == ["'self'"], what
        assert csp["frame-ancestors"] == ["'none'"], what
        assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"], what
        assert not any("unsafe" in v for v in csp["style-src"] + csp["default-src"]), what
        # Unpublished articles stay out of browser and shared caches; static files may be cached.
        assert (headers.get("Cache-Control") == "no-store") is (what != "static file"), what
    export = tina.get(f"/articles/{article['id']}/export?lang=az&format=txt")
    assert export.headers.get("Cache-Control") == "no-store"


def test_templates_have_no_inline_scripts_handlers_or_eval():
    handlers = (r"on(?:abort|blur|change|click|dblclick|error|focus\w*|input|invalid|key\w+|load|mouse\w+|"
                r"pointer\w+|reset|scroll|select|submit|toggle|wheel|drag\w*|drop|paste|copy|cut|"
                r"contextmenu|beforeunload|unload|hashchange|popstate)")
    pattern = re.compile(rf"<script(?![^>]*\bsrc=)[^>]*>|\s{handlers}\s*=|hx-on|js:|javascript:", re.I)
    offenders = [f"{path.relative_to(TEMPLATES_DIR)}: {m.group(0)!r}" for path in Path(TEMPLATES_DIR).rglob("*.html")
                 for m in pattern.finditer(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_htmx_is_configured_for_the_policy(browser):
    page = browser("tina").get("/").text
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page).group(1)
    assert '"allowEval": false' in config and '"includeIndicatorStyles": false' in config
    assert re.search(r'<script src="/static/htmx.min.js', page)


def _fail_login(client, forwarded_for, base_url="http://localhost"):
    page = client.get("/login", base_url=base_url)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"username": "tina", "password": "guess", "csrf_token": token},
                       headers={"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https",
                                "Referer": base_url + "/login"},  # Flask-WTF checks it on HTTPS
                       base_url=base_url)


def test_forwarded_headers_are_ignored_unless_behind_a_proxy(app, instance, password):
    _fail_login(app.test_client(), "203.0.113.9")
    db = instance.db()
    assert [r[0] for r in db.execute("SELECT key FROM login_failures WHERE kind = 'address'")] == ["127.0.0.1"]
    signed_in = app.test_client()
    page = signed_in.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = signed_in.post("/login", data={"username": "rita", "password": password, "csrf_token": token})
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers


def test_behind_a_proxy_cookies_are_secure_and_the_client_address_is_forwarded(app, instance, password):
    proxied = create_app({"TESTING": True, "HTTPS_BEHIND_PROXY": True}, instance_path=instance.path)
    client = proxied.test_client()  # the browser speaks HTTPS to the proxy: secure cookies travel
    _fail_login(client, "203.0.113.9", "https://localhost")
    db = instance.db()
    assert [r[0] for r in db.execute("SELECT key FROM login_failures WHERE kind = 'address'")] == ["203.0.113.9"]
    page = client.get("/login", base_url="https://localhost")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post("/login", data={"username": "rita", "password": password, "csrf_token": token},
                           headers={"X-Forwarded-Proto": "https", "Referer": "https://localhost/login"},
                           base_url="https://localhost")
    assert response.status_code == 302 and "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("flag,expected", [([], False), (["--https-behind-proxy"], True)])
def test_serve_passes_the_proxy_flag(cli, monkeypatch, flag, expected):
    calls = []
    monkeypatch.setattr(console, "run_server", lambda *args, **kwargs: calls.append(kwargs))
    cli("serve", *flag)
    assert calls == [{"demo": False, "https_behind_proxy": expected}]
