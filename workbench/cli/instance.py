"""Commands that set up an instance: init and the demo."""

from __future__ import annotations

import click

from workbench.data import store, termbase as store_terms
from workbench.services import articles, inline_mt, setup
from workbench.services.actor import Actor
from workbench.core.formats.articles import read_article
from workbench.core.formats.export import export_article
from workbench.core.langs import TARGET_LANGS
from workbench.data.instance import PACKAGE_DIR
from workbench.core.mt.engine import MissingModel, get_engine
from workbench.core.mt.packages import INSTALL_HINT
from workbench.cli.common import with_instance

DEMO_ARTICLE = PACKAGE_DIR / "demo" / "defence-talks-baku.txt"


@click.command("init")
@with_instance
def init_command(instance):
    """Create the instance folder, database and secret key, and load the shipped glossaries.

    Safe to run again: it only adds what is missing.

    \b
    Example:
        WORKBENCH_INSTANCE=/tmp/wb workbench init
    """
    created = not instance.exists()
    setup.prepare_instance(instance)
    click.echo(f"{'Created' if created else 'Checked'} instance {instance.path}")
    glossaries = store_terms.glossaries(instance.db())
    click.echo("Glossaries: " + (", ".join(f"{g['name']} ({g['concepts']} concepts)" for g in glossaries)
                                 or "none"))


def demo_article_id(db) -> int:
    """The demo article's id, importing it on first use."""
    for article in store.list_articles(db):
        if article["filename"] == DEMO_ARTICLE.name:
            return article["id"]
    return articles.create_article(db, Actor.cli(), read_article(DEMO_ARTICLE))["article"]


@click.command("demo")
@click.option("--serve/--no-serve", default=True, show_default=True,
              help="Serve the editor on the demo data when done.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_instance
def demo_command(instance, serve: bool, host: str, port: int):
    """Set up an instance with a sample article, translate it with the installed models and
    serve the editor (or print the result with --no-serve).

    \b
    Example:
        workbench demo --no-serve
    """
    setup.prepare_instance(instance)
    db = instance.db()
    article_id = demo_article_id(db)
    click.echo(f"Demo article {article_id}: {store.get_article(db, article_id)['title']}")
    engines, missing = {}, []
    for lang in TARGET_LANGS:
        try:
            engines[lang] = get_engine(instance.models_dir, "en", lang, instance.mt_settings(),
                                       instance.mt_engines().get(lang))
        except MissingModel:
            missing.append(lang)
    if engines:
        _, run = inline_mt.translate_articles(db, Actor.cli(), engines, article_ids=[article_id])
        for r in run.results:
            click.echo(f"  {r.lang}: {r.translated} segments machine-translated with {r.origin}")
    if missing:
        click.echo(f"  No MT package for en->{', en->'.join(missing)}: those stay untranslated.\n"
                   "  Install real Argos packages from their files, e.g.\n"
                   f"    uv run workbench models install {INSTALL_HINT.split(' ', 3)[3].format(src='en', dst=missing[0])}\n"
                   "  (Argos's package index lists them; download where a network exists.)")
    if not serve:
        for lang in TARGET_LANGS:
            text = export_article(store.get_article(db, article_id), store.paragraphs(db, article_id),
                                  store.segments(db, article_id),
                                  store.article_translations(db, article_id, lang), "txt", lang)
            click.echo(f"\n===== {lang} =====\n{text}")
        return
    # `serve` belongs to the composition root (workbench/console.py): reach it through the group.
    context = click.get_current_context()
    serve = context.parent.command.get_command(context.parent, "serve") if context.parent else None
    if serve is None:
        raise click.ClickException("serving needs the full `workbench` command (workbench.console)")
    context.invoke(serve, instance_path=instance.path, host=host, port=port, https_behind_proxy=False, demo=True)
