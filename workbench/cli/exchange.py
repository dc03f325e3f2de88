"""Commands for interchange and reports: XLIFF import, the translation memory, QA and statistics."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.services import events, interchange
from workbench.services.actor import Actor
from workbench.data import reports, users
from workbench.data.consistency import inconsistencies
from workbench.cli.common import echo_json, with_instance


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise click.ClickException(f"{path}: cannot read the file ({err.strerror})") from None


@click.command("import-xliff")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--skip-invalid", is_flag=True,
              help="Apply the valid units and list the ones that cannot be applied (default: such a unit "
                   "refuses the file).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.option("--user", "user_name", metavar="NAME",
              help="Import as this account: its name goes into the history and its role applies "
                   "(a reviewer's approvals count). Without it the import acts as a translator.")
@with_instance
def import_xliff_command(instance, file: Path, skip_invalid: bool, as_json: bool, user_name: str | None):
    """Bring back an XLIFF file exported with `export --format xliff` and edited elsewhere.

    Only changed targets are saved (each in the history). A file whose source text no longer
    matches the article is refused whole. Approvals in the file (state="final") count only with
    --user naming a reviewer or admin, and only for segments without QA errors (approving over
    errors needs a reason, given in the editor); the others are saved as edits and listed.
    A changed target whose inline codes do not match its source (one missing, one added, pairs
    crossing) is not saved and is listed under "code_problems"; the other units are imported.

    \b
    Example:
        workbench import-xliff article-az.xlf --user rita --json
    """
    db = instance.db()
    account = None
    if user_name is not None:
        account = users.get_user(db, user_name)
        if account is None:
            raise click.ClickException(f"no user {user_name!r}; `workbench users list` shows them")
        if account["disabled_at"]:
            raise click.ClickException(f"the account {account['name']!r} is disabled")
    # Without --user the import acts as a translator (its approvals are saved as edits).
    by = Actor.cli(account["name"], account["role"]) if account else Actor.cli(role="translator")
    counts = interchange.import_xliff(db, _read(file), str(file), Actor.importer(file.name, by),
                                      skip_invalid=skip_invalid)
    events.send_pending(db)  # language.approved, recorded with the approvals, sent once they are committed
    if as_json:
        echo_json(counts)
        return
    click.echo(interchange.xliff_summary(counts).capitalize())


@click.group("tm")
def tm_group():
    """The translation memory: approved translations, reused as drafts and suggestions.

    \b
    Example:
        workbench tm export --lang az -o memory-az.tmx
    """


@tm_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--skip-invalid", is_flag=True,
              help="Store the valid units and list the invalid ones (default: a file with an invalid "
                   "unit is refused whole).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@with_instance
def tm_import_command(instance, file: Path, skip_invalid: bool, as_json: bool):
    """Import a TMX file (1.1 to 1.4b, any declared encoding) into the memory, in one transaction.

    Every translation variant becomes a unit (an identical one merges as a duplicate); variants in
    other languages are skipped and counted. An invalid unit refuses the file unless --skip-invalid.

    \b
    Example:
        workbench tm import old-memory.tmx --skip-invalid
    """
    try:
        stream = file.open("rb")  # read as it is parsed: a memory of any size in bounded memory
    except OSError as err:
        raise click.ClickException(f"{file}: cannot read the file ({err.strerror})") from None
    with stream:
        counts = interchange.import_tmx(instance.db(), stream, str(file), skip_invalid=skip_invalid)
    if as_json:
        echo_json(counts)
    else:
        click.echo(interchange.tmx_summary(counts))


@tm_group.command("export")
@click.option("--lang", help="Only this target language (default: all).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_instance
def tm_export_command(instance, lang: str | None, output: Path):
    """Export the memory as TMX 1.4b.

    \b
    Example:
        workbench tm export --lang az -o memory-az.tmx
    """
    output.write_bytes(interchange.export_tmx(instance.db(), lang))
    click.echo(f"Wrote {output}", err=True)


@click.command("qa")
@click.argument("article_id", type=int, required=False)
@click.option("--lang", help="Target language, e.g. az (required for one article's findings).")
@click.option("--consistency", is_flag=True,
              help="Across the archive: sources (sentences, glossary concepts, names) rendered "
                   "differently in approved segments; with ARTICLE_ID only those involving it.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@with_instance
def qa_command(instance, article_id: int | None, lang: str | None, consistency: bool, as_json: bool):
    """List the QA and term findings of an article's translations, or the archive's
    inconsistencies (--consistency).

    \b
    Example:
        workbench qa 1 --lang az --json
        workbench qa --consistency --lang tr --json
    """
    if consistency:
        found = inconsistencies(instance.db(), lang, article_id)
        if as_json:
            echo_json({"inconsistencies": found})
            return
        for item in found:
            click.echo(f"[{item['lang']}] {item['source']}")
            for rendering in item["renderings"]:
                where = ", ".join(f"{s['article']}:{s['segment']}" for s in rendering["segments"])
                click.echo(f"    {rendering['text']}  ({where})")
        if not found:
            click.echo("No inconsistencies.")
        return
    if article_id is None or not lang:
        raise click.UsageError("give ARTICLE_ID and --lang, or --consistency")
    findings = reports.qa_report(instance.db(), article_id, lang)
    if as_json:
        echo_json({"findings": findings})
        return
    for f in findings:
        click.echo(f"{f['segment']:>4} {f['severity']:<8} {f['check']:<12} {f['message']}")
    if not findings:
        click.echo("No findings.")


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@with_instance
def stats_command(instance, as_json: bool):
    """How much machine translation survived post-editing, per language and MT package.

    \b
    Example:
        workbench stats --json
    """
    stats = reports.effort_stats(instance.db())
    if as_json:
        echo_json(stats)
        return
    for g in stats["groups"]:
        share = "-" if g["share_approved_unchanged"] is None else f"{g['share_approved_unchanged']:.0%}"
        click.echo(f"{g['lang']:<4} {g['origin']:<32} {g['segments']:>6} segments, approved unchanged "
                   f"{share}, mean edit distance {g['mean_edit_distance']:.3f}")
