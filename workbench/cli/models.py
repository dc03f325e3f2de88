"""Commands to install, list and remove Argos translation packages."""

from __future__ import annotations

from pathlib import Path

import click

from ..mt import packages
from .common import echo_json, with_instance


@click.group("models")
def models_group():
    """Manage the offline MT packages (.argosmodel files) of the instance.

    \b
    Example:
        workbench models install translate-en_az-1_5.argosmodel
    """


@models_group.command("install")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the installed packages as JSON.")
@with_instance
def install_command(instance, files: tuple[Path, ...], as_json: bool):
    """Install .argosmodel package files; a package for the same pair is replaced.

    \b
    Example:
        workbench models install translate-en_az-1_5.argosmodel translate-en_ru-1_9.argosmodel
    """
    installed = [packages.install(file, instance.models_dir) for file in files]
    if as_json:
        echo_json({"installed": [p.to_json() for p in installed]})
        return
    for package in installed:
        click.echo(f"Installed {package.name} ({package.pair}) in {package.path}")


@models_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the packages as JSON.")
@with_instance
def list_command(instance, as_json: bool):
    """List installed packages with their languages, version and folder.

    \b
    Example:
        workbench models list --json
    """
    installed = packages.installed(instance.models_dir)
    if as_json:
        echo_json({"models": [p.to_json() for p in installed]})
        return
    if not installed:
        click.echo("No MT packages installed. Install one with: "
                   + packages.INSTALL_HINT.format(src="en", dst="az"))
    for package in installed:
        click.echo(f"{package.pair:<8} {package.version:<8} {package.path}")


@models_group.command("remove")
@click.argument("name")
@with_instance
def remove_command(instance, name: str):
    """Remove an installed package, named by pair (en-az) or package name.

    \b
    Example:
        workbench models remove en-az
    """
    package = packages.remove(instance.models_dir, name)
    click.echo(f"Removed {package.name} ({package.pair})")
