"""Commands for the termbase: import, export, list and check."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.services import findings, glossary
from workbench.data import termbase as store_terms
from workbench.cli.actors import actor_for, user_option
from workbench.core.terms.files import EXPORT_FORMATS, write_glossary
from workbench.cli.common import echo_json, with_instance


@click.group("glossary")
def glossary_group():
    """Manage the termbase: concepts with terms in en, az, tr, ru.

    \b
    Example:
        workbench glossary import ranks.tbx --glossary ranks
    """


@glossary_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--glossary", "name", help="Glossary to merge into (default: the file's name).")
@click.option("--replace", is_flag=True, help="Replace the glossary instead of merging by concept id.")
@click.option("--skip-invalid", is_flag=True,
              help="Import the valid entries and list the invalid ones (default: a file with an invalid "
                   "entry is refused whole).")
@user_option
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@with_instance
def import_command(instance, file: Path, name: str | None, replace: bool, skip_invalid: bool,
                   user_name: str | None, as_json: bool):
    """Import a CSV, TSV or TBX glossary in one transaction.

    CSV/TSV: columns id, domain, note, then one per language; terms in a cell separated by " | ";
    "!" marks a forbidden term. TBX: TBX-Basic/2008 (martif) or TBX v3 (tbx, DCA or DCT). Every
    concept needs an English term (the checker finds concepts by them). An invalid entry refuses
    the file, naming each (id, line, reason), unless --skip-invalid. The concept history credits
    --user (an admin; default: the OS account).

    \b
    Example:
        workbench glossary import military-ranks.csv --json
    """
    try:
        data = file.read_bytes()
    except OSError as err:
        raise click.ClickException(f"{file}: cannot read the file ({err.strerror})") from None
    db = instance.db()
    counts = glossary.import_file(db, actor_for(db, user_name), data, str(file), glossary=name or file.stem,
                                  replace=replace, skip_invalid=skip_invalid)
    if as_json:
        echo_json(counts)
    else:
        click.echo(glossary.import_summary(counts))


@glossary_group.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option("--glossary", "name", help="Only this glossary (default: all).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write.")
@with_instance
def export_command(instance, fmt: str, name: str | None, output: Path):
    """Export the termbase (or one glossary) as CSV, TSV or TBX-Basic.

    \b
    Example:
        workbench glossary export --format tbx --glossary military-ranks -o ranks.tbx
    """
    concepts = store_terms.load_concepts(instance.db(), name)
    output.write_bytes(write_glossary(concepts, fmt))
    click.echo(f"Wrote {len(concepts)} concepts to {output}", err=True)


@glossary_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the glossaries as JSON.")
@with_instance
def list_command(instance, as_json: bool):
    """List the loaded glossaries and their sizes.

    \b
    Example:
        workbench glossary list
    """
    rows = store_terms.glossaries(instance.db())
    if as_json:
        echo_json({"glossaries": rows})
        return
    for row in rows:
        click.echo(f"{row['name']:<28} {row['concepts']:>6} concepts  ({row['source'] or ''})")


@glossary_group.command("check")
@click.option("--lang", required=True, help="Target language: az, tr, ru, ...")
@click.option("--source", "source_text", required=True, help="The English text.")
@click.option("--target", "target_text", required=True, help="Its translation.")
@click.option("--glossary", "name", help="Check against this glossary only.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@with_instance
def check_command(instance, lang, source_text, target_text, name, as_json):
    """Check a translation against the termbase, inflected forms included.

    \b
    Example:
        workbench glossary check --lang az --source "Talks in Baku" --target "Bakıda danışıqlar" --json
    """
    found = findings.checker(instance.db(), name).check(source_text, target_text, lang)
    if as_json:
        echo_json({"findings": [f.to_json() for f in found]})
        return
    for f in found:
        click.echo(f"{f.status:<9} {f.concept:<28} {f.source!r} -> {f.target!r}")
    if not found:
        click.echo("No glossary concept found in the source.")
