"""Sign-ins are rate-limited per account and per address, with back-off; unknown names cost a hash."""

import re

from werkzeug import security

from workbench.data import login_limits, users
from workbench.data.login_limits import Limits


def _try(client, name, password, address="127.0.0.1"):
    page = client.get("/login", environ_base={"REMOTE_ADDR": address})
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"username": name, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def test_an_account_waits_after_repeated_failures_even_with_the_right_password(app, password):
    app.config["LOGIN_LIMITS"] = {"account_free": 3, "address_free": 100}
    client = app.test_client()
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):  # spread over addresses: the account still counts
        assert _try(client, "tina", "guess", address).status_code == 401
    locked = _try(client, "Tina", password, "10.0.0.4")
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.text
    assert 25 <= int(locked.headers["Retry-After"]) <= 30
    assert _try(client, "rita", password, "10.0.0.4").status_code == 302  # other accounts are not locked


def test_an_address_waits_after_failures_across_many_accounts(app, password):
    app.config["LOGIN_LIMITS"] = {"account_free": 100, "address_free": 4}
    client = app.test_client()
    for name in ("a1", "a2", "a3", "tina"):
        assert _try(client, name, "guess", "10.9.9.9").status_code == 401
    assert _try(client, "rita", password, "10.9.9.9").status_code == 429
    assert _try(client, "rita", password, "10.1.1.1").status_code == 302


def test_the_wait_doubles_with_each_failure_and_ends(db):
    limits = Limits(account_free=2, address_free=50, base_delay=30, max_delay=100)
    unlimited = Limits(account_free=1000, address_free=1000)
    start = 1_000_000.0

    def fail(at):
        assert login_limits.begin_attempt(db, "tina", "10.0.0.1", unlimited, now=at)[0] == 0

    for i in range(2):
        fail(start + i)
    assert login_limits.wait_seconds(db, "tina", "10.0.0.7", limits, now=start + 1) == 30
    fail(start + 2)
    assert login_limits.wait_seconds(db, "TINA", "10.0.0.7", limits, now=start + 2) == 60
    fail(start + 3)
    assert login_limits.wait_seconds(db, "tina", "10.0.0.7", limits, now=start + 3) == 100  # capped
    assert login_limits.wait_seconds(db, "tina", "10.0.0.7", limits, now=start + 104) == 0
    wait, recorded = login_limits.begin_attempt(db, "tina", "10.0.0.1", unlimited, now=start + 4)
    login_limits.attempt_succeeded(db, "tina", recorded)
    assert login_limits.wait_seconds(db, "tina", "10.0.0.7", limits, now=start + 4) == 0


def test_parallel_guesses_get_no_more_tries_than_the_limit(instance):
    """Checked and counted in one transaction: 40 guesses at once, exactly `account_free` tried."""
    import threading

    limits = Limits(account_free=5, address_free=1000)
    results, barrier = [], threading.Barrier(40)

    def guess():
        db = instance.db()
        barrier.wait()
        results.append(login_limits.begin_attempt(db, "tina", "10.0.0.9", limits)[0])
        db.close()

    threads = [threading.Thread(target=guess) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(0) == 5 and len(results) == 40


def test_a_successful_sign_in_clears_the_accounts_failures(app, password):
    app.config["LOGIN_LIMITS"] = {"account_free": 3, "address_free": 100}
    client = app.test_client()
    for _ in range(2):
        _try(client, "tina", "guess")
    assert _try(client, "tina", password).status_code == 302
    for _ in range(2):
        _try(client, "tina", "guess")
    assert _try(client, "tina", password).status_code == 302


def test_unknown_and_disabled_accounts_cost_a_password_hash_too(app, instance, monkeypatch, password):
    checked = []
    real = security.check_password_hash
    monkeypatch.setattr(users, "check_password_hash", lambda h, p: checked.append(h) or real(h, p))
    db = instance.db()
    assert users.authenticate(db, "nobody", "guess") is None
    assert users.authenticate(db, "x" * 500, "guess") is None
    assert users.authenticate(db, "tina", "guess") is None
    users.set_disabled(db, "rita", True)
    assert users.authenticate(db, "rita", password) is None
    assert len(checked) == 4
    # The dummy hash, with the accounts' method and cost (scrypt in a deployment: tests/test_accounts.py).
    assert checked[0] == checked[1] and checked[0].split("$")[0] == checked[2].split("$")[0]
    assert _try(app.test_client(), "ghost", "guess").status_code == 401
    assert len(checked) == 5
