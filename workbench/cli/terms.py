"""`workbench terms`: terminology work beyond the glossary files (term candidates)."""

from __future__ import annotations

import json

import click

from workbench.services import suggestions
from workbench.data import termbase as store_terms
from workbench.cli.actors import actor_for
from workbench.services.candidates import candidates
from workbench.core.langs import TARGET_LANGS
from workbench.data.store import get_article
from workbench.core.terms.model import DOMAINS, Concept
from workbench.core.terms.search import matches
from workbench.core.terms.tabular import parse_cell
from workbench.cli.common import echo_json, with_instance


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


@terms_group.command("search")
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print the concepts as JSON.")
@with_instance
def search_command(instance, query: str, as_json: bool):
    """Find concepts by a term in any language, any case, with or without diacritics, or by an
    inflected form ("Bakıda" finds Bakı, "susa" finds Şuşa).

    \b
    Example:
        workbench terms search Bakıda --json
    """
    found = [c for c in store_terms.load_concepts(instance.db()) if matches(c, query)]
    if as_json:
        echo_json({"concepts": [{"glossary": c.glossary, "id": c.id, "domain": c.domain,
                                 "terms": {lang: [t.text for t in c.terms_in(lang)] for lang in c.languages()}}
                                for c in found]})
        return
    for c in found:
        click.echo(f"{c.glossary}/{c.id}: " + "; ".join(
            f"{lang} {', '.join(t.text for t in c.terms_in(lang))}" for lang in c.languages()))
    if not found:
        click.echo("No concepts.")


@terms_group.command("suggest")
@click.option("--glossary", required=True, help="The glossary the concept is (or goes) in.")
@click.option("--concept", "original_id", help="Suggest a change of this concept (default: a new one).")
@click.option("--id", "concept_id", required=True, help="The concept's id (new or unchanged).")
@click.option("--domain", type=click.Choice(DOMAINS), required=True, help="The concept's domain.")
@click.option("--term", "terms", multiple=True, required=True,
              help='LANG=TERMS, terms separated by " | ", "!" marks a forbidden one; en is required.')
@click.option("--note", help="Where the equivalents come from.")
@click.option("--comment", help="Why, for the admin who decides.")
@click.option("--by", "--user", "user", metavar="NAME",
              help="Who suggests (a translator, reviewer or admin account; default: the OS account).")
@with_instance
def suggest_command(instance, glossary, original_id, concept_id, domain, terms, note, comment, user):
    """Propose a new concept or a change; an admin accepts or rejects it.

    \b
    Example:
        workbench terms suggest --glossary places --id place.ganja --domain place --term en=Ganja --term az=Gəncə --by tina
    """
    db = instance.db()
    actor = actor_for(db, user)
    concept = Concept(concept_id, domain, note)
    for item in terms:
        lang, sep, cell = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r}: write LANG=TERMS, e.g. az=Gəncə", param_hint="--term")
        concept.terms.extend(parse_cell(cell, lang.strip()))
    number = suggestions.suggest(db, glossary, concept, user=actor, original_id=original_id,
                                 comment=comment)
    click.echo(f"Suggestion {number} stored; an admin accepts it with: workbench terms accept {number} --by NAME")


@terms_group.command("suggestions")
@click.option("--status", type=click.Choice(["open", "accepted", "rejected"]), help="Only these.")
@click.option("--json", "as_json", is_flag=True, help="Print the suggestions as JSON.")
@with_instance
def suggestions_command(instance, status: str | None, as_json: bool):
    """List suggestions, open ones first, with who proposed and who decided.

    \b
    Example:
        workbench terms suggestions --status open --json
    """
    rows = suggestions.listing(instance.db(), status)
    keys = ("id", "glossary", "concept_id", "kind", "status", "comment", "created_by", "created_at",
            "decided_by", "decided_at", "decision_note")
    if as_json:
        echo_json({"suggestions": [{**{k: r[k] for k in keys}, "proposed": json.loads(r["proposed_json"])}
                                   for r in rows]})
        return
    for r in rows:
        decided = f" by {r['decided_by']}" if r["decided_by"] else ""
        click.echo(f"{r['id']:>4} {r['status']}{decided}  {r['kind']} {r['glossary']}/{r['proposed'].id} "
                   f"(from {r['created_by']})")
    if not rows:
        click.echo("No suggestions.")


def _decide(accept: bool):
    @click.argument("suggestion_id", type=int)
    @click.option("--by", "--user", "user", metavar="NAME",
                  help="The admin who decides (an admin account; default: the OS account).")
    @click.option("--note", help="Why.")
    @with_instance
    def command(instance, suggestion_id: int, user: str | None, note: str | None):
        db = instance.db()
        row = suggestions.decide(db, suggestion_id, accept, user=actor_for(db, user), note=note)
        click.echo(f"Suggestion {suggestion_id} {row['status']}.")
    return command


accept_command = terms_group.command("accept", help="Accept a suggestion: the concept is saved as "
                                     "proposed.\n\n\b\nExample:\n    workbench terms accept 3 --by adam")(_decide(True))
reject_command = terms_group.command("reject", help="Reject a suggestion (kept in the history).\n\n\b\n"
                                     "Example:\n    workbench terms reject 3 --by adam --note 'unsourced'")(_decide(False))
