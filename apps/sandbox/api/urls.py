from django.urls import path

from apps.sandbox.api import regrades, reviews, runs, views

urlpatterns = [
    path("runs/", runs.RunCreateApi.as_view(), name="api-runs"),
    path("runs/<int:run_id>/", runs.RunDetailApi.as_view(), name="api-run"),
    path(
        "exercises/<slug:slug>/runs/", runs.ExerciseRunCreateApi.as_view(), name="api-exercise-runs"
    ),
    path(
        "exercises/<slug:slug>/submissions/",
        views.ExerciseSubmissionsApi.as_view(),
        name="api-exercise-submissions",
    ),
    path(
        "submissions/<int:submission_id>/",
        views.SubmissionDetailApi.as_view(),
        name="api-submission",
    ),
    path(
        "reviews/<slug:slug>/submissions/",
        reviews.ReviewSubmissionsApi.as_view(),
        name="api-review-submissions",
    ),
    path(
        "cohorts/<int:cohort_id>/stale-submissions/",
        regrades.CohortStaleSubmissionsApi.as_view(),
        name="api-cohort-stale-submissions",
    ),
    path(
        "cohorts/<int:cohort_id>/regrades/",
        regrades.CohortRegradesApi.as_view(),
        name="api-cohort-regrades",
    ),
    path(
        "cohorts/<int:cohort_id>/regrades/<int:regrade_id>/",
        regrades.CohortRegradeApi.as_view(),
        name="api-cohort-regrade",
    ),
    path(
        "cohorts/<int:cohort_id>/regrades/<int:regrade_id>/accept/",
        regrades.CohortRegradeAcceptApi.as_view(),
        name="api-cohort-regrade-accept",
    ),
    path(
        "cohorts/<int:cohort_id>/regrades/<int:regrade_id>/discard/",
        regrades.CohortRegradeDiscardApi.as_view(),
        name="api-cohort-regrade-discard",
    ),
]
