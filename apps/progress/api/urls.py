from django.urls import path

from apps.progress.api import views

urlpatterns = [
    path("auth/token/", views.TokenApi.as_view(), name="api-token"),
    path("progress/me/", views.ProgressMeApi.as_view(), name="api-progress-me"),
    path("exercises/<slug:slug>/hints/", views.HintRevealApi.as_view(), name="api-hints"),
    path(
        "modules/<slug:module_slug>/lessons/<slug:lesson_slug>/read/",
        views.LessonReadApi.as_view(),
        name="api-lesson-read",
    ),
    path("cohorts/", views.CohortListApi.as_view(), name="api-cohorts"),
    path("cohorts/join/", views.CohortJoinApi.as_view(), name="api-cohort-join"),
    path("cohorts/<int:cohort_id>/", views.CohortDetailApi.as_view(), name="api-cohort"),
    path(
        "cohorts/<int:cohort_id>/join-code/",
        views.CohortJoinCodeApi.as_view(),
        name="api-cohort-join-code",
    ),
    path(
        "cohorts/<int:cohort_id>/progress/",
        views.CohortProgressApi.as_view(),
        name="api-cohort-progress",
    ),
    path(
        "cohorts/<int:cohort_id>/progress.csv",
        views.CohortProgressCsvApi.as_view(),
        name="api-cohort-progress-csv",
    ),
    path(
        "cohorts/<int:cohort_id>/exercise-summary.csv",
        views.CohortExerciseSummaryCsvApi.as_view(),
        name="api-cohort-exercise-summary-csv",
    ),
    path(
        "cohorts/<int:cohort_id>/learners/<int:user_id>/modules/<slug:module_slug>/unlock/",
        views.ModuleUnlockApi.as_view(),
        name="api-module-unlock",
    ),
]
