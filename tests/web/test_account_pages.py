"""The admin page applies the account rules: one spelling per name, bounded names, real passwords."""

from workbench import users


def test_admin_page_refuses_a_second_spelling_a_long_name_and_a_blank_password(browser, instance):
    adam = browser("adam")
    for form, message in [({"name": "Tina", "password": "long enough"}, "exists already"),
                          ({"name": "x" * 41, "password": "long enough"}, "at most 40 characters"),
                          ({"name": "nadia", "password": " " * 12}, "only spaces")]:
        response = adam.post("/admin/users", {**form, "role": "translator"}, htmx=False)
        assert response.status_code == 400 and message in response.text
    assert [u["name"] for u in users.list_users(instance.db())] == ["adam", "rita", "tina"]
