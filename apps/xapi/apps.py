from django.apps import AppConfig


class XapiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.xapi"
    label = "xapi"
    verbose_name = "xAPI (learning records to an LRS)"
