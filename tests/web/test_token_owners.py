"""Credentials end with their owner: a token belongs to an account (or is a named service token),
stops when the account is disabled, may expire, shows its last use; its role never exceeds its
owner's."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from workbench.core.errors import UserError
from workbench.data import api_tokens, users


def _get(client, token):
    return client.get("/api/v1/jobs/999", headers={"Authorization": f"Bearer {token}"})


def test_disabling_the_owner_stops_the_token_at_once(app, instance):
    db = instance.db()
    token = api_tokens.add_token(db, "tina-laptop", "translator", owner="tina")["token"]
    client = app.test_client()
    assert _get(client, token).status_code == 404  # authenticated: the job does not exist
    users.set_disabled(db, "tina", True)
    refused = _get(client, token)
    assert refused.status_code == 401 and "owner (tina) is disabled" in refused.json["detail"]
    users.set_disabled(db, "tina", False)
    assert _get(client, token).status_code == 404


def test_a_tokens_role_never_exceeds_its_owners(app, instance):
    db = instance.db()
    with pytest.raises(UserError, match="may not exceed its owner"):
        api_tokens.add_token(db, "t1", "admin", owner="tina")
    with pytest.raises(UserError, match="no user"):
        api_tokens.add_token(db, "t2", "translator", owner="nobody")
    token = api_tokens.add_token(db, "rita-cms", "reviewer", owner="rita")["token"]
    db.execute("UPDATE users SET role = 'translator' WHERE name = 'rita'")  # demoted later
    db.conn.commit()
    assert api_tokens.authenticate(db, token)["role"] == "translator"


def test_an_expired_token_is_refused_with_a_clear_message(app, instance):
    db = instance.db()
    token = api_tokens.add_token(db, "cms", "translator", expires="30")["token"]
    (row,) = api_tokens.list_tokens(db)
    expires = datetime.fromisoformat(row["expires_at"])
    assert timedelta(days=29, hours=23) < expires - datetime.now(timezone.utc) <= timedelta(days=30)
    client = app.test_client()
    assert _get(client, token).status_code == 404
    db.execute("UPDATE api_tokens SET expires_at = '2001-01-01T00:00:00+00:00'")
    db.conn.commit()
    refused = _get(client, token)
    assert refused.status_code == 401 and "expired at 2001-01-01" in refused.json["detail"]
    assert api_tokens.parse_expiry("2099-06-30") == "2099-06-30T00:00:00+00:00"
    assert api_tokens.parse_expiry("2099-06-30T18:00:00+04:00") == "2099-06-30T14:00:00+00:00"
    for bad in ("2001-01-01", "soon", "0"):
        with pytest.raises(UserError):
            api_tokens.parse_expiry(bad)


def test_last_use_is_recorded_at_most_once_a_minute(app, instance):
    db = instance.db()
    token = api_tokens.add_token(db, "cms", "translator")["token"]
    client = app.test_client()
    assert api_tokens.list_tokens(db)[0]["last_used_at"] is None
    _get(client, token)
    first = api_tokens.list_tokens(db)[0]["last_used_at"]
    assert first is not None
    earlier = (datetime.now(timezone.utc) - timedelta(seconds=30)).isoformat(timespec="seconds")
    db.execute("UPDATE api_tokens SET last_used_at = ?", [earlier])
    db.conn.commit()
    _get(client, token)
    assert api_tokens.list_tokens(db)[0]["last_used_at"] == earlier  # not written again within the minute
    older = (datetime.now(timezone.utc) - timedelta(minutes=2)).isoformat(timespec="seconds")
    db.execute("UPDATE api_tokens SET last_used_at = ?", [older])
    db.conn.commit()
    _get(client, token)
    assert api_tokens.list_tokens(db)[0]["last_used_at"] > older


def test_tokens_cli_owner_expiry_and_listing(cli, instance, browser, app):
    db = instance.db()
    users.add_user(db, "ana", "correct horse", "reviewer")
    service = cli.json("tokens", "add", "cms", "--role", "translator")  # as before: a service token
    assert list(service) == ["name", "role", "token"]  # the --json shape of a token without owner or expiry
    owned = cli.json("tokens", "add", "ana-laptop", "--role", "reviewer", "--owner", "ana", "--expires", "2099-01-31")
    assert (owned["owner"], owned["expires_at"]) == ("ana", "2099-01-31T00:00:00+00:00")
    assert "may not exceed" in cli("tokens", "add", "x", "--role", "admin", "--owner", "ana", ok=False).output
    assert "in the past" in cli("tokens", "add", "y", "--role", "translator", "--expires", "2000-01-01",
                                ok=False).output
    listed = {t["name"]: t for t in cli.json("tokens", "list")["tokens"]}
    assert (listed["ana-laptop"]["owner"], listed["ana-laptop"]["expires_at"], listed["ana-laptop"]["last_used_at"]) \
        == ("ana", "2099-01-31T00:00:00+00:00", None)
    assert listed["cms"]["owner"] is None and listed["cms"]["role"] == "translator"
    text = cli("tokens", "list").output
    assert "owner ana" in text and "service token" in text and "expires 2099-01-31" in text
    cli("users", "disable", "ana")
    assert "owner ana (disabled)" in cli("tokens", "list").output
    page = browser("adam").get("/admin/cms/").text
    assert "ana (disabled: token stopped)" in page and "2099-01-31" in page and "service token" in page
    made = browser("adam").post("/admin/cms/tokens", {"name": "tina-cms", "role": "translator",
                                                      "owner": "tina", "expires": "7"}, htmx=False)
    assert made.status_code == 200 and "New token" in made.text
    assert {t["name"]: t["owner"] for t in api_tokens.list_tokens(db)}["tina-cms"] == "tina"
