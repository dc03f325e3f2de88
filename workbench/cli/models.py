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
    click.echo(f"Find the fastest settings for this machine with: workbench models tune {installed[0].pair}")


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


@models_group.command("tune")
@click.argument("pair", required=False)
@click.option("--sentences", type=click.IntRange(8, 2000), default=96, show_default=True,
              help="Generated news-like sentences timed per combination.")
@click.option("--chunk-sizes", default="16,32,64", show_default=True, help="Chunk sizes to try, comma-separated.")
@click.option("--no-save", is_flag=True, help="Only print the table; leave workbench.toml as it is.")
@with_instance
def tune_command(instance, pair: str | None, sentences: int, chunk_sizes: str, no_save: bool):
    """Time chunk sizes and thread layouts on an installed model and keep the fastest.

    Uses the beam and hypotheses configured in workbench.toml ([mt]); the winner's chunk_size,
    inter_threads and intra_threads are written there. PAIR defaults to the first installed model.

    \b
    Example:
        workbench models tune en-az
    """
    from ..mt import tune

    available = packages.installed(instance.models_dir)
    if not available:
        raise click.ClickException("no MT model installed; install one first: "
                                   + packages.INSTALL_HINT.format(src="en", dst="az"))
    wanted = (pair or available[0].pair).replace("_", "-")
    package = next((p for p in available if p.pair == wanted), None)
    if package is None:
        raise click.ClickException(f"no installed model for {wanted}; installed: "
                                   + ", ".join(p.pair for p in available))
    try:
        sizes = [int(x) for x in chunk_sizes.split(",") if x.strip()]
    except ValueError:
        raise click.BadParameter("give whole numbers, e.g. 16,32,64", param_hint="--chunk-sizes") from None
    if not sizes or min(sizes) < 1:
        raise click.BadParameter("give whole numbers above 0, e.g. 16,32,64", param_hint="--chunk-sizes")
    settings = instance.mt_settings()
    click.echo(f"Tuning {package.pair} on {sentences} sentences, beam {settings.beam_size} "
               f"x {settings.num_hypotheses}:")
    click.echo(f"{'chunk':>6} {'workers':>8} {'threads':>8} {'sent/s':>8}")
    rows = tune.sweep(package, settings, sentences=sentences, chunk_sizes=sizes,
                      on_row=lambda r: click.echo(f"{r.chunk_size:>6} {r.inter_threads:>8} "
                                                  f"{r.intra_threads:>8} {r.sent_per_s:>8.2f}"))
    winner = tune.best(rows)
    click.echo(f"Best: chunks of {winner.chunk_size}, {winner.inter_threads} workers x "
               f"{winner.intra_threads} threads ({winner.sent_per_s:.2f} sent/s).")
    if not no_save:
        tune.save_best(instance.settings_file, winner)
        click.echo(f"Saved to [mt] in {instance.settings_file}.")
