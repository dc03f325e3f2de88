"""Team commands: assign an article's language, archive or delete an article."""

from __future__ import annotations

import click

from workbench.cli.actors import actor_for, user_option
from workbench.cli.common import echo_json, with_instance
from workbench.core.langs import TARGET_LANGS
from workbench.services import assignments, figures


def _show(view: dict) -> str:
    return (f"article {view['article']} {view['lang']}: translator {view['translator'] or '-'}, "
            f"reviewer {view['reviewer'] or '-'}, due {view['due'] or '-'}, {view['state']}")


@click.command("assign")
@click.argument("article_id", type=int)
@click.option("--lang", required=True, type=click.Choice(TARGET_LANGS), help="The language to assign.")
@click.option("--translator", metavar="NAME", help="Who translates ('' clears it).")
@click.option("--reviewer", metavar="NAME", help="Who reviews ('' clears it).")
@click.option("--due", metavar="ISO-8601", help="By when, with a time zone, e.g. 2026-12-03T18:00:00Z ('' clears it).")
@click.option("--json", "as_json", is_flag=True, help="Print the assignment as JSON.")
@user_option
@with_instance
def assign_command(instance, article_id: int, lang: str, translator, reviewer, due, as_json: bool, user_name):
    """Assign an article's language: a translator, a reviewer and a due time.

    Options left out stay as they are; with none, the current assignment is printed.

    \b
    Example:
        workbench assign 1 --lang az --translator tom --reviewer rita --due 2026-12-03T18:00:00Z --json
    """
    db = instance.db()
    changes = {key: (value or None) for key, value in
               (("translator", translator), ("reviewer", reviewer), ("due", due)) if value is not None}
    view = (assignments.assign(db, actor_for(db, user_name), article_id, lang, **changes) if changes
            else assignments.view(db, article_id, lang))
    if as_json:
        echo_json(view)
    else:
        click.echo(_show(view))


@click.command("archive")
@click.argument("article_id", type=int)
@click.option("--restore", is_flag=True, help="Bring an archived article back to the lists.")
@user_option
@with_instance
def archive_command(instance, article_id: int, restore: bool, user_name):
    """Archive an article: hidden from lists, kept in the translation memory and search.

    \b
    Example:
        workbench archive 1
        workbench archive 1 --restore
    """
    db = instance.db()
    assignments.archive(db, actor_for(db, user_name), article_id, archived=not restore)
    click.echo(f"Article {article_id} {'restored' if restore else 'archived'}.")


@click.command("delete")
@click.argument("article_id", type=int)
@click.option("--drop-memory", is_flag=True, help="Also remove the memory units its approvals made.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@user_option
@with_instance
def delete_command(instance, article_id: int, drop_memory: bool, yes: bool, user_name):
    """Delete an article for good (admins); its approved units stay in the memory unless --drop-memory.

    \b
    Example:
        workbench delete 1 --yes
    """
    if not yes:
        click.confirm(f"Delete article {article_id} for good?", abort=True)
    db = instance.db()
    result = assignments.delete(db, actor_for(db, user_name), article_id, keep_memory=not drop_memory)
    click.echo(f"Article {article_id} deleted"
               + (f"; {result['memory_units_dropped']} memory units dropped." if drop_memory else "; its memory stays."))


@click.command("figures")
@click.option("--from", "start", required=True, metavar="DATE", help="First day of the period, e.g. 2026-12-01.")
@click.option("--to", "end", required=True, metavar="DATE", help="Last day of the period (included).")
@click.option("--person", metavar="NAME", help="Only this person's figures.")
@click.option("--format", "fmt", type=click.Choice(("csv", "json")), default="csv", show_default=True)
@user_option
@with_instance
def figures_command(instance, start: str, end: str, person, fmt: str, user_name):
    """Per-person figures for a period: words translated, post-edited and approved, and post-edit
    effort (normalised edit distance from the machine text, weighted by words).

    \b
    Example:
        workbench figures --from 2026-12-01 --to 2026-12-31 --format json
    """
    db = instance.db()
    report = figures.figures(db, actor_for(db, user_name), start, end, person)
    if fmt == "json":
        echo_json(report)
    else:
        click.echo(figures.as_csv(report), nl=False)
