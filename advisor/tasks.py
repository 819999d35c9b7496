"""Background work, run by `manage.py db_worker` (Django 6 tasks with django-tasks-db).

The tasks are thin: the work and its rules live in the services, which enqueue these. Retries
are the outbox's own (services/outbox.py), so a task never fails to be retried by the framework.
"""

from __future__ import annotations

from django.tasks import task

from advisor import services


@task
def outbox_deliver(outbox_id: int) -> str:
    """Send one outbox row: "sent", "retry", "failed" or "skipped"."""
    return services.outbox_send(outbox_id=outbox_id)


@task
def digests_run() -> dict[str, int]:
    """The hourly run from cron: today's review digests of the teams whose digest hour has
    come, the reminders of answers due tomorrow, and the outbox rows whose task was lost
    enqueued again."""
    return {
        "digest_messages": services.digests_send(),
        "reminders": services.deadline_reminders_send(),
        "requeued": services.outbox_requeue_stale(),
    }
