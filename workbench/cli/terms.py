"""`workbench terms`: terminology work beyond the glossary files (term candidates)."""

from __future__ import annotations

import click

from ..candidates import candidates
from ..instance import TARGET_LANGS
from ..store import get_article
from .common import echo_json, with_instance


@click.group("terms")
def terms_group():
    """Terminology work on the archive: names and terms no glossary holds yet.

    \b
    Example:
        workbench terms candidates --json
    """


@terms_group.command("candidates")
@click.option("--article", "article_id", type=int, help="Only this article's sources (default: all).")
@click.option("--lang", type=click.Choice(TARGET_LANGS), help="Only renderings in this language.")
@click.option("--json", "as_json", is_flag=True, help="Print the candidates as JSON.")
@with_instance
def candidates_command(instance, article_id: int | None, lang: str | None, as_json: bool):
    """Names and multi-word terms in the sources that no glossary holds, most frequent first,
    with the renderings found in approved translations.

    \b
    Example:
        workbench terms candidates --article 1 --lang az --json
    """
    db = instance.db()
    if article_id is not None:
        get_article(db, article_id)  # a clear error for an unknown article
    found = candidates(db, article_id, lang)
    if as_json:
        echo_json({"candidates": found})
        return
    for item in found:
        shown = "; ".join(f"{k}: {', '.join(v)}" for k, v in item["renderings"].items() if v)
        click.echo(f"{item['count']:>4}  {item['source']}" + (f"  ({shown})" if shown else ""))
    if not found:
        click.echo("No candidates.")
