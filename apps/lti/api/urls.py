from django.urls import path

from apps.lti.api import views

urlpatterns = [
    path(
        "lti/cohorts/<int:cohort_id>/grade-passbacks/",
        views.CohortGradePassbacksApi.as_view(),
        name="api-lti-grade-passbacks",
    ),
    path(
        "lti/grade-passbacks/<int:passback_id>/retry/",
        views.GradePassbackRetryApi.as_view(),
        name="api-lti-grade-passback-retry",
    ),
    path(
        "lti/cohorts/<int:cohort_id>/roster-sync/",
        views.CohortRosterSyncApi.as_view(),
        name="api-lti-roster-sync",
    ),
]
