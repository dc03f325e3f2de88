"""The admin page applies the account rules: one spelling per name, bounded names, real passwords."""

from workbench.data import users


def test_admin_page_refuses_a_second_spelling_a_long_name_and_a_blank_password(browser, instance):
    adam = browser("adam")
    for form, message in [({"name": "Tina", "password": "long enough"}, "exists already"),
                          ({"name": "x" * 41, "password": "long enough"}, "at most 40 characters"),
                          ({"name": "nadia", "password": " " * 12}, "only spaces")]:
        response = adam.post("/admin/users", {**form, "role": "translator"}, htmx=False)
        assert response.status_code == 400 and message in response.text
    assert [u["name"] for u in users.list_users(instance.db())] == ["adam", "rita", "tina"]


def test_an_admin_disables_an_account_on_the_admin_page_and_its_sessions_end(browser, instance):
    tina = browser("tina")
    assert tina.get("/").status_code == 200
    adam = browser("adam")
    tina_id = users.get_user(instance.db(), "tina")["id"]
    page = adam.get("/admin/").text
    assert 'aria-label="Disable tina"' in page and 'aria-label="Disable adam"' not in page
    assert adam.post(f"/admin/users/{tina_id}/access", {"disabled": "1"}, htmx=False).status_code == 302
    assert tina.get("/").status_code == 302  # signed out everywhere
    assert users.authenticate(instance.db(), "tina", "correct horse") is None
    assert 'aria-label="Enable tina"' in adam.get("/admin/").text
    own = adam.post(f"/admin/users/{users.get_user(instance.db(), 'adam')['id']}/access", {"disabled": "1"},
                    htmx=False)
    assert own.status_code == 400 and "your own account" in own.text
    assert adam.post(f"/admin/users/{tina_id}/access", {"disabled": "0"}, htmx=False).status_code == 302
    assert users.authenticate(instance.db(), "tina", "correct horse")["name"] == "tina"
    assert browser("tina").post(f"/admin/users/{tina_id}/access", {"disabled": "1"}, htmx=False).status_code == 403
