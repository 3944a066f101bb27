from django.urls import path

from apps.sandbox.api import views

urlpatterns = [
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
