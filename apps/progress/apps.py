from django.apps import AppConfig


class ProgressConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.progress"
    label = "progress"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from apps.progress.auth import forget_saved_profile, forget_saved_user
        from apps.progress.models import Profile

        # Cache invalidation, not control flow: Django's own code saves users (login, a
        # password change, the admin), so the model's signals are the one place to hear it.
        for signal in (post_save, post_delete):
            signal.connect(forget_saved_user, sender=get_user_model(), dispatch_uid="user-forget")
            signal.connect(forget_saved_profile, sender=Profile, dispatch_uid="profile-forget")
