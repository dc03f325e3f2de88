"""Commands for running an instance: status (health and jobs), backup and restore."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workbench.cli.common import echo_json, with_instance
from workbench.data import backup as backups
from workbench.services import health


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@with_instance
def status_command(instance, as_json: bool):
    """Check the instance as `GET /healthz` does (database writable, job queue reachable, models
    loadable, free disk above [health] min_free_mb) and count the queued and running jobs.
    Exits with 1 when a check fails, so monitoring can run it.

    \b
    Example:
        workbench status --json
    """
    if not instance.exists():
        raise click.ClickException(f"{instance.path} has no database; create it with: workbench init")
    db = instance.db()
    try:
        report = health.check(instance, db, with_jobs=True)
    finally:
        db.close()
    if as_json:
        echo_json(report)
    else:
        for name, result in report["checks"].items():
            click.echo(f"{name:<9} {'ok' if result['ok'] else 'FAILED':<7} {result['detail']}")
        jobs = report.get("jobs") or {}
        click.echo(f"jobs      {jobs.get('queued', '?')} queued, {jobs.get('running', '?')} running")
        if report.get("hygiene_repairs"):
            click.echo("repaired  " + ", ".join(f"{table}: {rows}" for table, rows in report["hygiene_repairs"].items())
                       + " rows held control characters (repaired on upgrade)")
    if not report["ok"]:
        sys.exit(1)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the backup's manifest as JSON.")
@with_instance
def backup_command(instance, file: Path, as_json: bool):
    """Back up the instance into FILE (.tar.gz) while it serves and jobs run: a consistent
    snapshot of the database (SQLite's online backup), workbench.toml and config.py, the secret
    key, and the list of installed models (not their weights).

    The backup holds the secret key and every account's password hash: keep it private.

    \b
    Example:
        workbench backup backups/workbench-$(date +%F).tar.gz
    """
    manifest = backups.backup(instance, file)
    if as_json:
        echo_json(manifest)
        return
    size = sum(entry["bytes"] for entry in manifest["files"].values())
    click.echo(f"Backed up {instance.path} to {file} ({size / 1e6:.1f} MB before compression): "
               f"{', '.join(manifest['files'])}")
    click.echo(f"Note: {backups.MODEL_NOTE}.")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print what was restored as JSON.")
@with_instance
def restore_command(instance, file: Path, as_json: bool):
    """Restore a backup made by `workbench backup` into an empty instance folder (one without a
    database; a live instance is never overwritten). Then install the models it lists again.

    \b
    Example:
        workbench restore --instance /srv/newsroom workbench-2026-12-07.tar.gz
    """
    result = backups.restore(file, instance)
    if as_json:
        echo_json(result)
        return
    click.echo(f"Restored {file} (made {result['created_at']}) into {result['instance']}: "
               f"{', '.join(result['files'])}")
    if result["jobs_stopped"]:
        click.echo(f"{result['jobs_stopped']} job(s) that were queued or running are marked failed; start them again.")
    for model in result["models"]:
        click.echo(f"Install again: {model['name']} ({model['family']}: {', '.join(model['pairs'])})")
