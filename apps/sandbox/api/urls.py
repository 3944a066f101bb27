from django.urls import path

from apps.sandbox.api import runs, views

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
]
