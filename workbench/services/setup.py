"""Make an instance folder ready to serve: database, models folder, secret key, shipped glossaries."""

from __future__ import annotations

from workbench.data.instance import Instance


def prepare_instance(instance: Instance) -> str:
    """Create what is missing (safe to run again) and load the shipped glossaries not loaded yet;
    returns the instance's secret key."""
    instance.init()
    instance.load_shipped_glossaries()
    return instance.secret_key()
