"""After signing in, `next` may only lead to a path on this site."""

import re
from urllib.parse import quote


# Known bypasses of naive "starts with /" checks (raw query-string forms and decoded forms).
RAW_PAYLOADS = ["/%09/evil.example/phish", "/%0a/evil.example", "/%0d%0a/evil.example", "%09//evil.example",
                "/%5cevil.example", "%5c%5cevil.example", "/%5c/evil.example", "/%2f/evil.example",
                "%2f%2fevil.example", "/%00/evil.example", "%20//evil.example", "/%E3%80%80/evil.example"]
PAYLOADS = ["//evil.example", "///evil.example", "////evil.example/x", "https://evil.example",
            "http:evil.example", "https:/evil.example", "javascript:alert(1)", "\\\\evil.example",
            "/\\evil.example", "/\t/evil.example", "/\n/evil.example", " //evil.example",
            "\x01//evil.example", "HTTPS://evil.example", "evil.example", "//evil.example@good",
            "/\u3000/evil.example", "data:text/html,hi"]


def _login(client, query: str, password):
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/login?" + query, data={"username": "tina", "password": password, "csrf_token": token})


def test_known_bypasses_land_on_the_start_page(app, password):
    client = app.test_client()  # one app for all payloads: each sign-in hashes a password
    queries = ["next=" + raw for raw in RAW_PAYLOADS] + ["next=" + quote(p, safe="") for p in PAYLOADS]
    landed = {query: _login(client, query, password).headers["Location"] for query in queries}
    assert {query: "/" for query in queries} == landed


def test_a_path_on_this_site_is_kept(app, password):
    response = _login(app.test_client(), "next=" + quote("/articles/1/az/?page=2&only=findings", safe=""), password)
    assert response.headers["Location"] == "/articles/1/az/?page=2&only=findings"
