from django.contrib.auth import views as auth_views
from django.urls import path

from apps.progress import views
from apps.progress.login_throttle import ThrottledLoginView

urlpatterns = [
    path("progress/", views.progress_page, name="progress"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<int:cohort_id>/", views.dashboard_cohort, name="dashboard-cohort"),
    path("cohorts/join/", views.cohort_join_page, name="cohort-join"),
    path("accounts/signup/", views.signup, name="signup"),
    path(
        "accounts/login/",
        ThrottledLoginView.as_view(),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
