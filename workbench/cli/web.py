"""Commands that run job workers and manage accounts (`workbench serve` is in workbench/console.py)."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.data import users
from workbench.cli.common import with_instance
from workbench.core.mt.engine import engine_names
from workbench.queue import distributed
from workbench.queue.tasks import make_queue


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
    queue = make_queue(instance.path)
    queue.recover()  # what a killed predecessor left: webhook deliveries in flight, MT jobs it ran
    queue.consumer(workers).run()


def _mt_worker(models_dir: Path, workers: int, threads: int) -> None:
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
