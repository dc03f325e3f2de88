"""Who a CLI command acts as: `--user NAME` (an account, with its role), else the OS account."""

from __future__ import annotations

import click

from workbench.data import users
from workbench.services.actor import Actor


def user_option(func):
    """Add --user NAME: the account the command's writes are credited to (default: the OS account)."""
    return click.option("--user", "user_name", metavar="NAME",
                        help="Act as this workbench account: its role applies and history, versions and "
                             "events name it. Default: the OS account, with every right.")(func)


def actor_for(db, user_name: str | None):
    """Actor.cli(): the named account (its role), or the OS account."""
    if user_name is None:
        return Actor.cli()
    account = users.get_user(db, user_name)
    if account is None or account.get("disabled_at"):
        raise click.ClickException(f"no active user {user_name!r}; `workbench users list` shows them")
    return Actor.cli(account["name"], role=account["role"])
