"""Every HTML page. The course pages keep the "curriculum" URL namespace links use."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from frontend.views import accounts, course, dashboard, exercise, lti, progress

course_patterns = [
    path("", RedirectView.as_view(pattern_name="curriculum:course-map"), name="home"),
    path("learn/", course.course_map, name="course-map"),
    path("learn/<slug:module_slug>/", course.module_detail, name="module"),
    path("learn/<slug:module_slug>/<slug:lesson_slug>/", course.lesson_detail, name="lesson"),
    path(
        "learn/<slug:module_slug>/<slug:lesson_slug>/read/",
        course.lesson_read,
        name="lesson-read",
    ),
]

urlpatterns = [
    path("progress/", progress.progress_page, name="progress"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/<int:cohort_id>/", dashboard.dashboard_cohort, name="dashboard-cohort"),
    path(
        "dashboard/<int:cohort_id>/rename/",
        dashboard.dashboard_cohort_rename,
        name="dashboard-cohort-rename",
    ),
    path(
        "dashboard/<int:cohort_id>/join-code/",
        dashboard.dashboard_cohort_join_code,
        name="dashboard-cohort-join-code",
    ),
    path(
        "dashboard/<int:cohort_id>/archive/",
        dashboard.dashboard_cohort_archive,
        name="dashboard-cohort-archive",
    ),
    path("cohorts/join/", progress.cohort_join_page, name="cohort-join"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", accounts.ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset: Django's views, the site's templates (registration/reset_*).
    path(
        "accounts/password-reset/",
        accounts.ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("", include((course_patterns, "curriculum"))),
    path("exercises/<slug:slug>/", exercise.exercise_detail, name="exercise"),
    path(
        "dashboard/<int:cohort_id>/learners/<int:user_id>/",
        dashboard.dashboard_learner,
        name="dashboard-learner",
    ),
    path(
        "dashboard/<int:cohort_id>/grade-passbacks/<int:passback_id>/retry/",
        lti.grade_passback_retry,
        name="dashboard-passback-retry",
    ),
    # Where an LTI launch (apps/lti, under the same /lti/ prefix) hands over to a page.
    path("lti/pick/", lti.deep_link_picker, name="lti-deep-link-picker"),
    path("lti/open/", lti.open_in_new_tab, name="lti-open-in-new-tab"),
]
