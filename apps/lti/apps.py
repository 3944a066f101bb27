from django.apps import AppConfig


class LtiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.lti"
    label = "lti"
    verbose_name = "LTI 1.3 (dlmath inside an LMS)"

    def ready(self) -> None:
        # Register the tasks the progress outbox hands events to, by name, in every process
        # (the web process sends them; Celery's autodiscovery runs only in a worker).
        from django.db.models.signals import post_delete, post_save

        from apps.lti import tasks
        from apps.lti.models import ContextCohort
        from apps.progress.outbox import learning_event_interest

        learning_event_interest("lti.event_passback", tasks.event_wanted)
        # A cohort made or unmade an LMS course: instructors' cached lists mark which are.
        for signal in (post_save, post_delete):
            signal.connect(_forget_lms_course, sender=ContextCohort, dispatch_uid="lms-forget")


def _forget_lms_course(**kwargs: object) -> None:
    from apps.progress.versions import cohorts_epoch_bump

    cohorts_epoch_bump()
