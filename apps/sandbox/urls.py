from django.urls import path

from apps.sandbox import views

urlpatterns = [
    path("exercises/<slug:slug>/", views.exercise_detail, name="exercise"),
    path(
        "dashboard/<int:cohort_id>/learners/<int:user_id>/",
        views.dashboard_learner,
        name="dashboard-learner",
    ),
]
