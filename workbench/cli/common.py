"""What every command shares: the --instance option, JSON output and turning user errors into messages."""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import click

from workbench.core.errors import UserError
from workbench.data.instance import Instance


def with_instance(func):
    """Add --instance (or WORKBENCH_INSTANCE) and pass an Instance; user errors become messages."""

    @click.option("--instance", "instance_path", type=click.Path(file_okay=False, path_type=Path),
                  envvar="WORKBENCH_INSTANCE", default="instance", show_default=True,
                  help="Instance folder: database, installed models, settings.")
    @functools.wraps(func)
    def wrapper(instance_path: Path, **kwargs):
        try:
            return func(Instance(instance_path), **kwargs)
        except UserError as err:
            raise click.ClickException(str(err)) from None

    return wrapper


def point_queue_at(instance) -> None:
    """The huey queue is made on import from WORKBENCH_INSTANCE (or WORKBENCH_REDIS_URL)."""
    os.environ["WORKBENCH_INSTANCE"] = str(instance.path)


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=None))


def split_langs(value: str) -> list[str]:
    langs = [lang.strip() for lang in value.split(",") if lang.strip()]
    if not langs:
        raise click.BadParameter("name at least one language, e.g. --to az,tr,ru")
    return langs
