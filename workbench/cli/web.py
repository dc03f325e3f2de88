"""Commands that run the web app and its workers, and manage accounts."""

from __future__ import annotations

import secrets
import signal
import sys
from pathlib import Path

import click

from workbench.data import users
from workbench.cli.common import point_queue_at, with_instance


# Threads run requests; connections are held by waitress's event loop and cost little. Its
# defaults (100 connections, a silent connection kept 120 s) let 110 idle sockets shut everyone
# out; a public server still belongs behind a reverse proxy (README).
WAITRESS = {"threads": 8, "connection_limit": 1000, "channel_timeout": 30}


def run_server(instance, host: str, port: int, demo: bool = False, https_behind_proxy: bool = False) -> None:
    """Serve the app with waitress and run a huey consumer alongside it in the same process."""
    import waitress

    point_queue_at(instance)
    from workbench.queue.tasks import huey
    from workbench.web import create_app

    app = create_app({"HTTPS_BEHIND_PROXY": True} if https_behind_proxy else None, instance_path=instance.path)
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
    from workbench.queue import tasks

    tasks.limit_mt_jobs(1)  # two job threads, one of them free for imports and webhooks
    consumer = huey.create_consumer(workers=2, worker_type="thread", periodic=False)
    consumer.start()
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
@with_instance
def serve_command(instance, host: str, port: int, https_behind_proxy: bool):
    """Serve the translators' editor with a production WSGI server (waitress) and a job worker.

    \b
    Example:
        workbench serve --port 8080
    """
    instance.init()
    run_server(instance, host, port, https_behind_proxy=https_behind_proxy)


@click.command("worker")
@click.option("--workers", default=1, show_default=True, type=int, help="Worker threads.")
@click.option("--models", "models_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Run a stateless MT worker with the models in this folder: it needs only Redis "
                   "(WORKBENCH_REDIS_URL), no instance folder and no database.")
@click.option("--threads", default=1, show_default=True, type=click.IntRange(1, 64),
              help="CTranslate2 threads per worker thread (with --models).")
@with_instance
def worker_command(instance, workers: int, models_dir: Path | None, threads: int):
    """Run a worker: a stateless MT worker (--models DIR, over Redis), or a job worker for the
    instance's queued jobs.

    \b
    Example:
        WORKBENCH_REDIS_URL=redis://queue:6379/0 workbench worker --models /srv/mt-models
    """
    if models_dir is not None:
        _mt_worker(models_dir, workers, threads)
        return
    point_queue_at(instance)
    from workbench.queue.tasks import huey

    huey.create_consumer(workers=workers, worker_type="thread", periodic=False).run()


def _mt_worker(models_dir: Path, workers: int, threads: int) -> None:
    from workbench.queue import distributed
    from workbench.core.mt.engine import engine_names

    url = distributed.redis_url()
    if not url:
        raise click.ClickException("a stateless MT worker needs WORKBENCH_REDIS_URL (redis://host:6379/0)")
    if not models_dir.is_dir() or not engine_names(models_dir):
        raise click.ClickException(f"{models_dir}: no installed models there; copy an instance's models "
                                   "folder or install into it with `workbench models install --instance ...`")
    distributed.configure_worker(models_dir, threads)
    huey, _ = distributed.mt_queue(url)

    @huey.on_startup()
    def load_models():  # once per worker process, before the first task
        distributed.preload(models_dir.resolve(), threads)

    click.echo(f"MT worker: models {', '.join(engine_names(models_dir))}; queue {distributed.MT_QUEUE}")
    huey.create_consumer(workers=workers, worker_type="thread", periodic=False).run()


@click.group("users")
def users_group():
    """Manage accounts of translators, reviewers and admins.

    \b
    Example:
        workbench users add ana --role reviewer
    """


def _password(password_file: Path | None) -> str:
    if password_file:
        lines = password_file.read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(users.ROLES), required=True)
@click.option("--password-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the password from this file (first line) instead of a prompt.")
@with_instance
def add_user_command(instance, name: str, role: str, password_file: Path | None):
    """Add an account; the password is asked for (twice) unless --password-file is given.

    \b
    Example:
        workbench users add ana --role translator --password-file ana.txt
    """
    user = users.add_user(instance.db(), name, _password(password_file), role)
    click.echo(f"Added {user['name']} ({user['role']})")


@users_group.command("set-password")
@click.argument("name")
@click.option("--password-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the password from this file (first line) instead of a prompt.")
@with_instance
def set_password_command(instance, name: str, password_file: Path | None):
    """Give an account a new password.

    \b
    Example:
        workbench users set-password demo
    """
    users.set_password(instance.db(), name, _password(password_file))
    click.echo(f"New password set for {name}; every session of the account has ended")


@users_group.command("disable")
@click.argument("name")
@with_instance
def disable_user_command(instance, name: str):
    """Disable an account: every session of it ends at once and it can no longer sign in.

    \b
    Example:
        workbench users disable ana
    """
    user = users.set_disabled(instance.db(), name, True)
    click.echo(f"Disabled {user['name']}; its sessions have ended")


@users_group.command("enable")
@click.argument("name")
@with_instance
def enable_user_command(instance, name: str):
    """Let a disabled account sign in again.

    \b
    Example:
        workbench users enable ana
    """
    user = users.set_disabled(instance.db(), name, False)
    click.echo(f"Enabled {user['name']}")


@users_group.command("list")
@with_instance
def list_users_command(instance):
    """List accounts and their roles.

    \b
    Example:
        workbench users list
    """
    for user in users.list_users(instance.db()):
        click.echo(f"{user['name']:<20} {user['role']}" + ("  (disabled)" if user["disabled_at"] else ""))
