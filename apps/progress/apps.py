from django.apps import AppConfig


class ProgressConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.progress"
    label = "progress"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from rest_framework.authtoken.models import Token, TokenProxy

        from apps.progress.auth import forget_saved_profile, forget_saved_user, forget_token
        from apps.progress.models import (
            Cohort,
            Deadline,
            Enrollment,
            ExerciseProgress,
            LessonProgress,
            ModuleProgress,
            Profile,
            QuestionProgress,
            ReviewCard,
        )
        from apps.progress.versions import (
            forget_cohort,
            forget_cohort_instructors,
            forget_deadline,
            forget_enrollment,
            forget_member,
            forget_progress_row,
        )

        # Cache invalidation, not control flow: Django's own code saves and deletes users
        # (login, a password change, the admin), so the models' signals are the one place
        # to hear every change.
        for signal in (post_save, post_delete):
            signal.connect(forget_saved_user, sender=get_user_model(), dispatch_uid="user-forget")
            signal.connect(forget_saved_profile, sender=Profile, dispatch_uid="profile-forget")
            # A token revoked or given to another user (the admin; an account deleted).
            signal.connect(forget_token, sender=Token, dispatch_uid="token-forget")
            signal.connect(forget_token, sender=TokenProxy, dispatch_uid="token-proxy-forget")
            # A membership ended or begun outside the services (the admin, or a deleted
            # account's enrollments deleted with it): the cohort's cached dashboards.
            signal.connect(forget_enrollment, sender=Enrollment, dispatch_uid="enrollment-forget")
            # Learners' cached deadlines: a deadline deleted with its exercise or cohort too.
            signal.connect(forget_deadline, sender=Deadline, dispatch_uid="deadline-forget")
            # The admin edits and deletes progress rows: the learner's cached rows and the
            # dashboards showing them.
            rows = (ExerciseProgress, LessonProgress, ModuleProgress, QuestionProgress, ReviewCard)
            for model in rows:
                signal.connect(
                    forget_progress_row, sender=model, dispatch_uid=f"{model.__name__}-forget"
                )
            # A cohort renamed (the admin) or deleted: learners' cached deadlines show its
            # name, instructors' cached lists of cohorts show it.
            signal.connect(forget_cohort, sender=Cohort, dispatch_uid="cohort-forget")
        post_save.connect(forget_member, sender=get_user_model(), dispatch_uid="member-forget")
        m2m_changed.connect(
            forget_cohort_instructors,
            sender=Cohort.instructors.through,
            dispatch_uid="cohort-instructors-forget",
        )
