"""Make an instance folder ready to serve: database, models folder, secret key, shipped glossaries."""

from __future__ import annotations

from workbench.data.instance import Instance
from workbench.services import glossary


def prepare_instance(instance: Instance) -> str:
    """Create what is missing (safe to run again) and load the shipped glossaries not loaded yet
    (glossary.load_shipped: the rule of any import, the translations rechecked); returns the
    instance's secret key."""
    instance.init()
    db = instance.db()
    try:
        glossary.load_shipped(db)
    finally:
        db.close()
    return instance.secret_key()
