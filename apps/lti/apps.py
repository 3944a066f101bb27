from django.apps import AppConfig


class LtiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.lti"
    label = "lti"
    verbose_name = "LTI 1.3 (dlmath inside an LMS)"
