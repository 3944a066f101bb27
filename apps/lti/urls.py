"""LTI 1.3 endpoints, under /lti/ (the URLs an LMS registration asks for)."""

from django.urls import path

from apps.lti import views

urlpatterns = [
    path("jwks.json", views.JwksView.as_view(), name="lti-jwks"),
    path("login/", views.OidcLoginView.as_view(), name="lti-login"),
    path(
        "login/<uuid:registration_uuid>/",
        views.OidcLoginForRegistrationView.as_view(),
        name="lti-login-for",
    ),
    path("launch/", views.LaunchView.as_view(), name="lti-launch"),
    path("deep-link/", views.DeepLinkResponseView.as_view(), name="lti-deep-link"),
    path("continue/", views.ContinueView.as_view(), name="lti-continue"),
]
