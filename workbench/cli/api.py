"""Commands for the CMS connection: API tokens and webhooks."""

from __future__ import annotations

import click

from workbench.data import api_tokens
from workbench.data import webhooks
from workbench.services import events
from workbench.services.actor import Actor
from workbench.data.users import ROLES
from workbench.cli.common import echo_json, with_instance


@click.group("tokens")
def tokens_group():
    """Manage bearer tokens for the REST API (/api/v1).

    \b
    Example:
        workbench tokens add cms --role translator --json
    """


@tokens_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the token may do.")
@click.option("--owner", metavar="USER", help="The account the token belongs to: it stops when the account "
              "is disabled, and its role may not exceed the account's. Default: a service token.")
@click.option("--expires", metavar="ISO-8601|DAYS", help="When it stops working: days from now (90) or an "
              "ISO-8601 date or time (2027-06-30). Default: never.")
@click.option("--json", "as_json", is_flag=True, help="Print {name, role, token} as JSON (with owner and "
              "expires_at when given).")
@with_instance
def add_token_command(instance, name: str, role: str, owner: str | None, expires: str | None, as_json: bool):
    """Create a token and print it once (only its hash is stored).

    \b
    Example:
        workbench tokens add cms --role reviewer --json
        workbench tokens add ana-laptop --role translator --owner ana --expires 90
    """
    created = api_tokens.add_token(instance.db(), name, role, user="cli", owner=owner, expires=expires)
    if as_json:  # {name, role, token} as always; owner and expires_at when given
        echo_json({key: value for key, value in created.items()
                   if key in ("name", "role", "token") or value is not None})
        return
    click.echo(f"Token {created['name']!r} ({created['role']}); copy it now, it is not shown again:")
    click.echo(created["token"])


@tokens_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the tokens as JSON.")
@with_instance
def list_tokens_command(instance, as_json: bool):
    """List tokens (names, roles, first characters; never the tokens).

    \b
    Example:
        workbench tokens list --json
    """
    rows = api_tokens.list_tokens(instance.db())
    if as_json:
        echo_json({"tokens": rows})
        return
    for row in rows:
        state = f"revoked {row['revoked_at']}" if row["revoked_at"] else f"last used {row['last_used_at'] or 'never'}"
        owner = f"owner {row['owner']}" + (" (disabled)" if row["owner_disabled_at"] else "") if row["owner"] \
            else "service token"
        expiry = f", expires {row['expires_at']}" if row["expires_at"] else ""
        click.echo(f"{row['name']:<20} {row['role']:<10} {row['prefix']}…  {state}; {owner}{expiry}")


@tokens_group.command("revoke")
@click.argument("name")
@with_instance
def revoke_token_command(instance, name: str):
    """Revoke a token: requests carrying it get 401 from now on.

    \b
    Example:
        workbench tokens revoke cms
    """
    api_tokens.revoke_token(instance.db(), name)
    click.echo(f"Revoked token {name!r}.")


@click.group("webhooks")
def webhooks_group():
    """Manage webhooks: events POSTed to the CMS as Standard Webhooks.

    \b
    Example:
        workbench webhooks add https://cms.example.org/hooks --events language.approved,article.updated
    """


@webhooks_group.command("add")
@click.argument("url")
@click.option("--events", required=True, help=f"Comma-separated: {', '.join(webhooks.EVENTS)}.")
@click.option("--secret", help="A Standard Webhooks secret (whsec_...); default: a new random one.")
@click.option("--json", "as_json", is_flag=True, help="Print {id, url, events, secret} as JSON.")
@with_instance
def add_webhook_command(instance, url: str, events: str, secret: str | None, as_json: bool):
    """Register a URL for events; prints the signing secret.

    \b
    Example:
        workbench webhooks add https://cms.example.org/hooks --events language.approved,job.finished
    """
    created = webhooks.add_webhook(instance.db(), url, [e.strip() for e in events.split(",") if e.strip()],
                                   secret=secret, user="cli")
    if as_json:
        echo_json(created)
        return
    click.echo(f"Webhook {created['id']}: {url} for {', '.join(created['events'])}")
    click.echo(f"Signing secret (verify webhook-signature with it): {created['secret']}")


@webhooks_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print webhooks and recent deliveries as JSON.")
@with_instance
def list_webhooks_command(instance, as_json: bool):
    """List webhooks and the latest deliveries (status, attempts).

    \b
    Example:
        workbench webhooks list --json
    """
    db = instance.db()
    hooks, recent = webhooks.list_webhooks(db), webhooks.deliveries(db, 20)
    if as_json:
        echo_json({"webhooks": hooks, "deliveries": recent})
        return
    for hook in hooks:
        click.echo(f"{hook['id']:>4} {hook['url']} [{hook['events']}]{' disabled' if hook['disabled_at'] else ''}")
    for row in recent:
        click.echo(f"     delivery {row['id']}: {row['event']} -> {row['status']} after {row['attempts']} "
                   f"attempt(s){' (' + row['error'] + ')' if row['error'] else ''}")


@webhooks_group.command("remove")
@click.argument("webhook_id", type=int)
@with_instance
def remove_webhook_command(instance, webhook_id: int):
    """Stop sending events to a webhook (its delivery log is kept).

    \b
    Example:
        workbench webhooks remove 1
    """
    cancelled = webhooks.remove_webhook(instance.db(), webhook_id)
    click.echo(f"Webhook {webhook_id} removed" + (f"; {cancelled} pending deliveries cancelled." if cancelled else "."))


@webhooks_group.command("deliveries")
@click.option("--status", type=click.Choice(["pending", "delivered", "failed"]), help="Only these.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="Print {deliveries: [...]} as JSON.")
@with_instance
def deliveries_command(instance, status: str | None, limit: int, as_json: bool):
    """List webhook deliveries, newest first, with attempts and the last error.

    \b
    Example:
        workbench webhooks deliveries --status failed
    """
    rows = webhooks.deliveries(instance.db(), limit, status=status)
    if as_json:
        echo_json({"deliveries": rows})
        return
    for row in rows:
        click.echo(f"{row['id']:>5} {row['event']:<18} {row['status']:<9} {row['attempts']} attempt(s) "
                   f"{row['url']}{'  ' + row['error'] if row['error'] else ''}")


@webhooks_group.command("resend")
@click.argument("delivery_id", type=int)
@with_instance
def resend_command(instance, delivery_id: int):
    """Send a failed (or delivered) delivery again: the same webhook-id, a fresh retry schedule.
    A running `workbench serve` or `workbench worker` sends it.

    \b
    Example:
        workbench webhooks resend 12
    """
    delivery = events.resend(instance.db(), delivery_id, Actor.cli())
    click.echo(f"Delivery {delivery['id']} ({delivery['event']} to {delivery['url']}) queued again.")
