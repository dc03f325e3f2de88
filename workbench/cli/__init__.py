"""The commands of the `workbench` command line (workbench/console.py adds `serve` and runs them);
also reachable as `flask --app workbench.app COMMAND`."""

from __future__ import annotations

import click

from workbench.cli.api import tokens_group, webhooks_group
from workbench.cli.articles import (export_command, import_command, jobs_command, segment_command, translate_command)
from workbench.cli.exchange import import_xliff_command, qa_command, stats_command, tm_group
from workbench.cli.glossary import glossary_group
from workbench.cli.instance import demo_command, init_command
from workbench.cli.models import models_group
from workbench.cli.operations import backup_command, restore_command, status_command
from workbench.cli.team import archive_command, assign_command, delete_command, figures_command
from workbench.cli.terms import terms_group
from workbench.cli.web import users_group, worker_command

COMMANDS = [init_command, demo_command, import_command, segment_command, translate_command,
            export_command, models_group, glossary_group, worker_command,
            users_group, jobs_command, import_xliff_command, tm_group, qa_command, stats_command,
            terms_group, tokens_group, webhooks_group, status_command, backup_command, restore_command,
            assign_command, archive_command, delete_command, figures_command]


def make_main(extra: list[click.Command] = ()) -> click.Group:
    """The `workbench` group with every command here, plus `extra` (the composition root's)."""

    @click.group(context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(package_name="workbench")
    def main():
        """Translation workbench: import news articles, machine-translate them offline into
        Azerbaijani, Turkish and Russian, check terminology, post-edit and export.

        \b
        Example:
            workbench demo
        """

    for command in [*COMMANDS, *extra]:
        main.add_command(command)
    return main
