"""The composition root of the web server: the web editor and the API on one Flask app, with the
instance's job queue handed to the services. `flask --app workbench.app` finds `create_app` here.

It is the one module that knows every front end; the front ends never import each other
(docs/architecture.md).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, g

from workbench import api, cli, web
from workbench.data.instance import Instance, default_instance_path
from workbench.queue.tasks import JobQueue, make_queue
from workbench.services import events, runtime, setup


def create_app(test_config: dict | None = None, instance_path: str | os.PathLike | None = None) -> Flask:
    """Build the app for an instance folder (argument, WORKBENCH_INSTANCE, or ./instance).

    `test_config` may hold QUEUE (a JobQueue to use) or QUEUE_IMMEDIATE (run jobs at once, in memory)."""
    config = dict(test_config or {})
    instance = Instance(Path(instance_path or config.get("INSTANCE") or default_instance_path()))
    secret_key = setup.prepare_instance(instance)
    queue: JobQueue = config.pop("QUEUE", None) or make_queue(instance.path,
                                                              immediate=bool(config.get("QUEUE_IMMEDIATE")))
    app = web.make_app(instance, secret_key, config)
    api.init_app(app, web.csrf)
    app.extensions["workbench-problem"] = api.problem
    app.extensions["workbench-queue"] = queue
    web.finish(app)

    @app.before_request
    def hand_queue_to_services():
        runtime.use(queue, app.config.get("INSTANCE"))

    @app.after_request
    def send_events(response):
        # The request's changes are committed by now: the events they recorded go to the queue.
        database = g.get("db")
        if database is not None:
            events.send_pending(database)
        return response

    for command in cli.COMMANDS:  # `flask --app workbench.app COMMAND` reaches the workbench commands
        app.cli.add_command(command)
    return app
