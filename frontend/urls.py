"""Every HTML page. The course pages keep the "curriculum" URL namespace links use."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from frontend.views import accounts, course, dashboard, exercise, progress, scratchpad

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
    path(
        "learn/<slug:module_slug>/<slug:lesson_slug>/questions/<slug:name>/",
        course.lesson_question_answer,
        name="lesson-question",
    ),
]

urlpatterns = [
    path("progress/", progress.progress_page, name="progress"),
    path("scratchpad/", scratchpad.scratchpad, name="scratchpad"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/<int:cohort_id>/", dashboard.dashboard_cohort, name="dashboard-cohort"),
    path("cohorts/join/", progress.cohort_join_page, name="cohort-join"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", accounts.ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include((course_patterns, "curriculum"))),
    path("exercises/<slug:slug>/", exercise.exercise_detail, name="exercise"),
    path(
        "dashboard/<int:cohort_id>/learners/<int:user_id>/",
        dashboard.dashboard_learner,
        name="dashboard-learner",
    ),
]
