from django.apps import AppConfig


class LtiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.lti"
    label = "lti"
    verbose_name = "LTI 1.3 (dlmath inside an LMS)"

    def ready(self) -> None:
        # Register the tasks the progress outbox hands events to, by name, in every process
        # (the web process sends them; Celery's autodiscovery runs only in a worker).
        from apps.lti import tasks
        from apps.progress.outbox import learning_event_interest

        learning_event_interest("lti.event_passback", tasks.event_wanted)
