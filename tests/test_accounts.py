"""Account names are unique regardless of case and bounded; a password of spaces is refused."""

import pytest
import sqlite_utils

from workbench.data import users
from workbench.data.db import migrations
from workbench.core.errors import UserError


@pytest.mark.parametrize("name,message", [
    ("Admin", "exists already"), ("ADMIN", "exists already"), (" admin ", "exists already"),
    ("a" * 41, "at most 40 characters"), ("", "needs a name"), ("   ", "needs a name"),
    ("ana\nbob", "letters, digits"), ("ana bob", "letters, digits"), ("<b>x</b>", "letters, digits"),
])
def test_bad_names_are_refused(db, name, message):
    users.add_user(db, "admin", "correct horse", "admin")
    with pytest.raises(UserError, match=message):
        users.add_user(db, name, "correct horse", "translator")
    assert [u["name"] for u in users.list_users(db)] == ["admin"]


def test_a_name_of_forty_letters_and_unicode_letters_are_fine(db):
    users.add_user(db, "a" * 40, "correct horse", "translator")
    users.add_user(db, "Əli.Həsənov", "correct horse", "translator")
    with pytest.raises(UserError, match="exists already"):
        users.add_user(db, "əli.həsənov", "correct horse", "translator")
    assert users.authenticate(db, "əli.HƏSƏNOV", "correct horse")["name"] == "Əli.Həsənov"


@pytest.mark.parametrize("password", [" " * 8, " " * 30, "\t" * 10, "short"])
def test_blank_or_short_passwords_are_refused(db, password):
    with pytest.raises(UserError, match="only spaces|at least 8"):
        users.add_user(db, "ana", password, "translator")
    users.add_user(db, "ana", "correct horse", "translator")
    with pytest.raises(UserError, match="only spaces|at least 8"):
        users.set_password(db, "ana", password)


def test_cli_refuses_a_second_spelling_and_a_blank_password(cli, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("correct horse\n")
    cli("users", "add", "admin", "--role", "admin", "--password-file", str(secret))
    twin = cli("users", "add", "Admin", "--role", "admin", "--password-file", str(secret), ok=False)
    assert twin.exit_code == 1 and "exists already" in twin.output
    secret.write_text("          \n")
    blank = cli("users", "add", "ana", "--role", "translator", "--password-file", str(secret), ok=False)
    assert blank.exit_code == 1 and "only spaces" in blank.output
    assert "ana" not in cli("users", "list").output


def test_an_older_instance_with_both_spellings_still_migrates(tmp_path):
    db = sqlite_utils.Database(tmp_path / "old.db")
    migrations.apply(db, stop_before="m009_account_keys_and_login_attempts")
    for name in ("admin", "Admin"):
        db["users"].insert({"name": name, "password_hash": "x", "role": "admin", "created_at": "2026-01-01"})
    migrations.apply(db)
    assert users.get_user(db, "Admin")["name"] == "Admin" and users.get_user(db, "admin")["name"] == "admin"
    with pytest.raises(UserError, match="exists already"):
        users.add_user(db, "ADMIN", "correct horse", "admin")


def test_a_deployment_hashes_passwords_with_scrypt(db, monkeypatch):
    """The suite hashes with one pbkdf2 round (WORKBENCH_PASSWORD_HASH in tests/conftest.py) for speed;
    without that variable, as in production, a password is stored as a scrypt hash."""
    assert users.hash_password("correct horse").startswith("pbkdf2:sha256:1$")  # the suite's cheap one
    monkeypatch.delenv("WORKBENCH_PASSWORD_HASH")
    users.add_user(db, "ana", "correct horse", "translator")
    stored = db.execute("SELECT password_hash FROM users WHERE name = 'ana'").fetchone()[0]
    assert stored.startswith("scrypt:32768:8:1$")
    assert users.authenticate(db, "ana", "correct horse")["name"] == "ana"
    assert users.authenticate(db, "ana", "wrong horse!") is None
    assert users._dummy_hash.__wrapped__().startswith("scrypt:32768:8:1$")  # unknown names cost as much
