"""Sessions are revocable: logout, a new password and disabling an account end every copy."""

import re

from workbench.data import store, users


def _save_url(article, index):
    return f"/articles/{article['id']}/az/segments/{article['segments'][index]['id']}"


def _copy(app, browser):
    """A second client holding a copy of `browser`'s session cookie (a stolen cookie)."""
    thief = type(browser)(app.test_client())
    thief.client.set_cookie("session", browser.client.get_cookie("session").value)
    thief.token = browser.token
    return thief


def _saves(thief, article, instance, text) -> bool:
    version = (store.get_translation(instance.db(), article["segments"][1]["id"], "az") or {"version": 0})["version"]
    response = thief.post(_save_url(article, 1), {"text": text, "base_version": version})
    saved = (store.get_translation(instance.db(), article["segments"][1]["id"], "az") or {}).get("text") == text
    assert saved == (response.status_code == 200), response.status_code
    return saved


def test_a_copied_cookie_stops_working_after_logout(app, browser, article, instance):
    tina = browser("tina")
    thief = _copy(app, tina)
    assert _saves(thief, article, instance, "Birinci.")  # the copy works while the session lives
    tina.post("/logout", htmx=False)
    assert not _saves(thief, article, instance, "Oğurlanmış.")
    assert thief.get("/").status_code == 302


def test_a_new_password_on_the_web_ends_other_sessions_but_not_this_one(app, browser, article, instance, password):
    tina = browser("tina")
    thief = _copy(app, tina)
    other_device = browser("tina")
    page = tina.get("/account/password")
    assert page.status_code == 200 and "Current password" in page.text
    changed = tina.post("/account/password", {"current": password, "new": "a new secret 42",
                                              "repeat": "a new secret 42"}, htmx=False)
    assert changed.status_code == 302
    assert not _saves(thief, article, instance, "Oğurlanmış.")
    assert not _saves(other_device, article, instance, "Başqa cihaz.")
    tina.token = re.search(r'name="csrf-token" content="([^"]+)"', tina.get("/").text).group(1)
    assert _saves(tina, article, instance, "Yenə mən.")
    wrong = tina.post("/account/password", {"current": "not it", "new": "x" * 9, "repeat": "x" * 9}, htmx=False)
    assert wrong.status_code == 400 and "current password is wrong" in wrong.text
    spaces = tina.post("/account/password", {"current": "a new secret 42", "new": " " * 9, "repeat": " " * 9},
                       htmx=False)
    assert spaces.status_code == 400 and "only spaces" in spaces.text


def test_cli_set_password_and_disable_end_every_session(app, browser, article, instance, cli, tmp_path, password):
    tina = browser("tina")
    thief = _copy(app, tina)
    secret = tmp_path / "pw.txt"
    secret.write_text("another secret 7\n")
    cli("users", "set-password", "tina", "--password-file", str(secret))
    assert not _saves(thief, article, instance, "Oğurlanmış.")
    assert not _saves(tina, article, instance, "Oğurlanmış.")

    rita = browser("rita")
    thief = _copy(app, rita)
    result = cli("users", "disable", "rita")
    assert "Disabled rita" in result.output
    assert not _saves(thief, article, instance, "Rita deyil.")
    assert users.authenticate(instance.db(), "rita", password) is None
    assert "(disabled)" in cli("users", "list").output
    cli("users", "enable", "rita")
    assert users.authenticate(instance.db(), "rita", password)["name"] == "rita"


def test_a_csrf_token_dies_with_its_session(app, browser, article, instance):
    tina = browser("tina")
    old_token = tina.token
    tina.post("/logout", htmx=False)
    tina.login("tina")
    assert tina.token != old_token
    tina.token = old_token
    response = tina.post(_save_url(article, 1), {"text": "Köhnə token.", "base_version": 0})
    assert response.status_code == 400 and "CSRF" in response.text
    assert store.get_translation(instance.db(), article["segments"][1]["id"], "az") is None


def test_an_anonymous_request_between_the_login_form_and_its_post_keeps_the_csrf_token(app, password):
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    assert client.get("/favicon.ico").status_code in (302, 404)  # browsers ask for it unprompted
    response = client.post("/login", data={"username": "tina", "password": password, "csrf_token": token})
    assert response.status_code == 302
