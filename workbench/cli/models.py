"""Commands to install, list, tune and remove MT models (Argos packages and CTranslate2 families)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from workbench.core.mt import families, packages
from workbench.core.mt import index as index_module
from workbench.cli.common import echo_json, with_instance
from workbench.core.mt import tune
from workbench.core.mt.engine import get_engine
from workbench.core.mt.engine import engine_names


@click.group("models")
def models_group():
    """Manage the offline MT models of the instance: Argos packages (.argosmodel) and CTranslate2
    models of the Marian (OPUS-MT), NLLB-200 and M2M-100 families.

    \b
    Example:
        workbench models install translate-en_az-1_5.argosmodel
    """


def _target_tokens(values: tuple[str, ...]) -> dict[str, str]:
    tokens = {}
    for value in values:
        lang, sep, token = value.partition("=")
        if not sep or not lang or not token:
            raise click.BadParameter(f"{value!r}: write LANG=TOKEN, e.g. az='>>aze_Latn<<'",
                                     param_hint="--target-token")
        tokens[lang.strip()] = token.strip()
    return tokens


@models_group.command("install")
@click.argument("sources", nargs=-1, required=True)
@click.option("--family", type=click.Choice(families.FAMILIES),
              help="Model family of a CTranslate2 model folder or zip, when its files do not tell.")
@click.option("--pair", "pairs", multiple=True, help="A language pair the model serves, e.g. en-az (repeatable).")
@click.option("--target-token", "target_tokens", multiple=True,
              help="Multi-target Marian models: the token that selects a language, e.g. az='>>aze_Latn<<'.")
@click.option("--licence", help="The model's licence, when its files do not say.")
@click.option("--name", help="Engine name of a CTranslate2 model (default: its folder or zip name).")
@click.option("--index", "index", help="Install the newest package for each PAIR given from this Argos-format "
                                        "package index (a file, file:// or https:// URL).")
@click.option("--no-tune", is_flag=True, envvar="WORKBENCH_NO_TUNE",
              help="Skip timing the thread layouts on this machine after installing (run `workbench models "
                   "tune` later); also set by the environment variable WORKBENCH_NO_TUNE=1.")
@click.option("--json", "as_json", is_flag=True, help="Print the installed models as JSON.")
@with_instance
def install_command(instance, sources: tuple[str, ...], family, pairs, target_tokens, licence, name, index,
                    no_tune: bool, as_json: bool):
    """Install .argosmodel packages, or CTranslate2 model folders / zips of the Marian, NLLB or
    M2M-100 family; a model of the same name or pair is replaced.

    \b
    Example:
        workbench models install translate-en_az-1_5.argosmodel translate-en_ru-1_9.argosmodel
        workbench models install nllb-200-distilled-600M-ct2 --name nllb-600m
        workbench models install opus-mt-en-trk-ct2 --pair en-az --target-token az='>>aze_Latn<<'
        workbench models install --index file:///srv/argos/index.json en-az

    Then it times chunk sizes and thread layouts on the first installed model (as
    `workbench models tune` does) and keeps the fastest in [mt] of workbench.toml, unless --no-tune.
    """
    installed, limits = [], instance.archive_limits()
    for source in sources:
        if index:
            installed.append(index_module.install_from_index(index, source, instance.models_dir, limits))
        elif source.endswith(".argosmodel"):
            installed.append(packages.install(Path(source), instance.models_dir, limits=limits))
        else:
            installed.append(families.install(Path(source), instance.models_dir, family=family,
                                              name=name, pairs=list(pairs), licence=licence,
                                              target_tokens=_target_tokens(target_tokens), limits=limits))
    entries = [_entry(model) for model in installed]
    if not as_json:
        for entry in entries:
            click.echo(f"Installed {entry['name']} ({entry['family']}: {', '.join(entry['pairs'])}; "
                       f"licence {entry['licence']}) in {entry['path']}")
    tuned = None
    if not no_tune and entries:
        # [mt] holds one layout for the instance: timing the first new model is enough.
        winner = _tune(instance, entries[0]["pairs"][0], tune.SENTENCES, list(tune.CHUNK_SIZES), save=True,
                       echo=(lambda line: None) if as_json else click.echo)
        tuned = {"chunk_size": winner.chunk_size, "inter_threads": winner.inter_threads,
                 "intra_threads": winner.intra_threads, "sent_per_s": round(winner.sent_per_s, 2)}
    if as_json:
        echo_json({"installed": entries, "tuned": tuned})
    elif tuned is None:
        click.echo(f"Find the fastest settings for this machine with: workbench models tune {entries[0]['pairs'][0]}")


def _entry(model) -> dict:
    """One shape for both kinds: family, pairs, size, licence (and the Argos fields for packages)."""
    if isinstance(model, families.FamilyModel):
        return model.to_json()
    size = sum(p.stat().st_size for p in model.path.rglob("*") if p.is_file())
    return {**model.to_json(), "family": "argos", "pairs": [model.pair], "size": size,
            "licence": _argos_licence(model.path)}


def _argos_licence(folder: Path) -> str:
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        metadata = {}
    return str(metadata.get("license") or metadata.get("licence") or "unknown (see the package's README)")


@models_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the models as JSON.")
@with_instance
def list_command(instance, as_json: bool):
    """List installed models with their family, language pairs, size and licence.

    \b
    Example:
        workbench models list --json
    """
    entries = [_entry(p) for p in packages.installed(instance.models_dir)] + \
              [_entry(m) for m in families.installed(instance.models_dir)]
    if as_json:
        echo_json({"models": entries})
        return
    if not entries:
        click.echo("No MT models installed. Install one with: "
                   + packages.INSTALL_HINT.format(src="en", dst="az"))
    for entry in entries:
        click.echo(f"{entry['name']:<32} {entry['family']:<7} {','.join(entry['pairs']):<18} "
                   f"{entry['size'] / 1e6:8.1f} MB  {entry['licence']}")


@models_group.command("remove")
@click.argument("name")
@with_instance
def remove_command(instance, name: str):
    """Remove an installed package, named by pair (en-az) or package name.

    \b
    Example:
        workbench models remove en-az
    """
    model = next((m for m in families.installed(instance.models_dir) if m.name == name), None)
    if model is not None:
        families.remove(instance.models_dir, model)
        click.echo(f"Removed {model.name} ({', '.join(model.pairs)})")
        return
    package = packages.remove(instance.models_dir, name)
    click.echo(f"Removed {package.name} ({package.pair})")


@models_group.command("tune")
@click.argument("pair", required=False)
@click.option("--sentences", type=click.IntRange(8, 2000), default=tune.SENTENCES, show_default=True,
              help="Generated news-like sentences timed per combination.")
@click.option("--chunk-sizes", default=",".join(map(str, tune.CHUNK_SIZES)), show_default=True,
              help="Chunk sizes to try, comma-separated.")
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
    served = sorted({pair for pairs in engine_names(instance.models_dir).values() for pair in pairs})
    if not served:
        raise click.ClickException("no MT model installed; install one first: "
                                   + packages.INSTALL_HINT.format(src="en", dst="az"))
    wanted = (pair or served[0]).replace("_", "-")
    if wanted not in served:
        raise click.ClickException(f"no installed model for {wanted}; installed: {', '.join(served)}")
    try:
        sizes = [int(x) for x in chunk_sizes.split(",") if x.strip()]
    except ValueError:
        raise click.BadParameter("give whole numbers, e.g. 16,32,64", param_hint="--chunk-sizes") from None
    if not sizes or min(sizes) < 1:
        raise click.BadParameter("give whole numbers above 0, e.g. 16,32,64", param_hint="--chunk-sizes")
    _tune(instance, wanted, sentences, sizes, save=not no_save, echo=click.echo)


def _tune(instance, pair: str, sentences: int, sizes: list[int], *, save: bool, echo) -> tune.TuneRow:
    """Sweep the layouts on the model serving `pair`, print the table, keep the winner in [mt]."""
    settings = instance.mt_settings()
    echo(f"Tuning {pair} on {sentences} sentences, beam {settings.beam_size} x {settings.num_hypotheses}:")
    echo(f"{'chunk':>6} {'workers':>8} {'threads':>8} {'sent/s':>8}")
    source, target = pair.split("-")
    choice = instance.mt_engines().get(target)
    rows = tune.sweep(lambda trial: get_engine(instance.models_dir, source, target, trial, choice), settings,
                      sentences=sentences, chunk_sizes=sizes,
                      on_row=lambda r: echo(f"{r.chunk_size:>6} {r.inter_threads:>8} "
                                            f"{r.intra_threads:>8} {r.sent_per_s:>8.2f}"))
    winner = tune.best(rows)
    echo(f"Best: chunks of {winner.chunk_size}, {winner.inter_threads} workers x "
         f"{winner.intra_threads} threads ({winner.sent_per_s:.2f} sent/s).")
    if save:
        tune.save_best(instance.settings_file, winner)
        echo(f"Saved to [mt] in {instance.settings_file}.")
    return winner
