from django.apps import AppConfig


class SandboxConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.sandbox"
    label = "sandbox"

    def ready(self) -> None:
        # platform/ has no __init__.py to import the Celery app from (see DESIGN.md), so the
        # app that sends grading tasks loads it here; shared_task then binds to it.
        import dlmath.celery  # noqa: F401
