from django.apps import AppConfig


class XapiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.xapi"
    label = "xapi"
    verbose_name = "xAPI (learning records to an LRS)"

    def ready(self) -> None:
        # Register the tasks the progress outbox hands events to, by name, in every process
        # (the web process sends them; Celery's autodiscovery runs only in a worker).
        from apps.progress.outbox import learning_event_interest
        from apps.xapi import tasks  # noqa: F401
        from apps.xapi.client import lrs_configured

        # With no LRS the task has nothing to do; its sweep queues whatever was missed once
        # one is configured.
        learning_event_interest("xapi.event_publish", lambda _event: lrs_configured())
