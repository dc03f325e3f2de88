"""What the services need from the layers above them, handed down by whoever runs them.

Services record jobs and webhook deliveries in the database; running them is the job queue's
work (workbench/queue), a layer above. The composition root — the web app factory, the `workbench`
command, a worker — makes the queue and hands it here with `use()`. Without one (a script, a unit
test) nothing is sent: deliveries stay pending and jobs queued, as rows anyone can inspect.
"""

from __future__ import annotations

from typing import Protocol


class Queue(Protocol):
    """The job queue, as the services see it. Each call takes the instance folder's path."""

    def translate(self, instance_path: str, job_id: int) -> None: ...

    def import_article(self, instance_path: str, job_id: int) -> None: ...

    def deliver(self, instance_path: str, delivery_id: int, delay: float = 0) -> None: ...

    def email(self, instance_path: str, notification_id: int) -> None: ...


_queue: Queue | None = None
_instance = None


def use(queue: Queue | None, instance=None) -> None:
    """Send jobs and deliveries to `queue` from now on (None: keep them as rows only). `instance`
    (data/instance.Instance) is the instance being served: its installed models decide whether a
    new story gets machine drafts on its own (services/machine_translation.draft_automatically)."""
    global _queue, _instance
    _queue, _instance = queue, instance


def queue() -> Queue | None:
    return _queue


def instance():
    return _instance
