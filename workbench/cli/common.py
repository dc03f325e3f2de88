"""What every command shares: the --instance option, JSON output and turning user errors into messages."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import click

from workbench.core.errors import UserError
from workbench.data.instance import Instance
from workbench.queue.tasks import make_queue
from workbench.services import runtime


def with_instance(func):
    """Add --instance (or WORKBENCH_INSTANCE) and pass an Instance; user errors become messages."""

    @click.option("--instance", "instance_path", type=click.Path(file_okay=False, path_type=Path),
                  envvar="WORKBENCH_INSTANCE", default="instance", show_default=True,
                  help="Instance folder: database, installed models, settings.")
    @functools.wraps(func)
    def wrapper(instance_path: Path, **kwargs):
        instance = Instance(instance_path)
        # Jobs and webhook deliveries the command records go to the instance's queue (a running
        # `workbench serve` or `workbench worker` takes them from there).
        runtime.use(make_queue(instance.path), instance)
        try:
            return func(instance, **kwargs)
        except UserError as err:
            raise click.ClickException(str(err)) from None

    return wrapper


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=None))


def split_langs(value: str) -> list[str]:
    langs = [lang.strip() for lang in value.split(",") if lang.strip()]
    if not langs:
        raise click.BadParameter("name at least one language, e.g. --to az,tr,ru")
    return langs
