"""The `workbench` command: every command of workbench/cli, and `serve`, which needs the whole app.

This is the composition root of the command line, beside workbench/app.py for the web server.
`python -m workbench` runs it too.
"""

from __future__ import annotations

import secrets
import signal
import sys

import click
import waitress

from workbench import cli
from workbench.app import create_app
from workbench.cli.common import with_instance
from workbench.data import users
from workbench.queue.tasks import make_queue
from workbench.services import setup

# Threads run requests; connections are held by waitress's event loop and cost little. Its
# defaults (100 connections, a silent connection kept 120 s) let 110 idle sockets shut everyone
# out; a public server still belongs behind a reverse proxy (docs/operations.md, "Security").
WAITRESS = {"threads": 8, "connection_limit": 1000, "channel_timeout": 30}


def run_server(instance, host: str, port: int, demo: bool = False, https_behind_proxy: bool = False) -> None:
    """Serve the app with waitress and run a huey consumer alongside it in the same process."""
    queue = make_queue(instance.path)
    app = create_app(({"QUEUE": queue} | ({"HTTPS_BEHIND_PROXY": True} if https_behind_proxy else {})), instance_path=instance.path)
    db = instance.db()
    if demo and not users.list_users(db):
        password = secrets.token_urlsafe(9)
        users.add_user(db, "demo", password, "admin")
        click.echo(f"Created a local account: user 'demo', password '{password}' (role admin).\n"
                   "Add your own with: uv run workbench users add NAME --role translator")
    elif not users.list_users(db):
        click.echo("No accounts yet: create one with `uv run workbench users add NAME --role admin`.")
    else:
        click.echo("Sign in with an existing account (`uv run workbench users list`; "
                   "`uv run workbench users set-password NAME` if a password is lost).")
    db.close()
    queue.limit_mt_jobs(1)  # two job threads, one of them free for imports and webhooks
    consumer = queue.consumer(2)
    consumer.start()
    queue.recover()  # what a killed predecessor left: webhook deliveries in flight, MT jobs it ran
    # huey's start() takes over SIGTERM/SIGINT for the consumer alone; stop the whole server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    click.echo(f"Serving the workbench on http://{host}:{port}/ (Ctrl+C to stop)")
    try:
        waitress.serve(app, host=host, port=port, ident="workbench", **WAITRESS)
    finally:
        consumer.stop(graceful=True)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--https-behind-proxy", is_flag=True,
              help="The app sits behind one HTTPS reverse proxy: trust its X-Forwarded-For/Proto/Host "
                   "headers and send the session cookie only over HTTPS. Leave off otherwise.")
@click.option("--demo", is_flag=True, hidden=True, help="Create a demo admin account when none exists.")
@with_instance
def serve_command(instance, host: str, port: int, https_behind_proxy: bool, demo: bool = False):
    """Serve the translators' editor with a production WSGI server (waitress) and a job worker.

    \b
    Example:
        workbench serve --port 8080
    """
    setup.prepare_instance(instance)
    run_server(instance, host, port, demo=demo, https_behind_proxy=https_behind_proxy)




main = cli.make_main([serve_command])
