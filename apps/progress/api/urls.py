from django.urls import path

from apps.progress.api import deadlines, questions, reviews, views

urlpatterns = [
    path("auth/token/", views.TokenApi.as_view(), name="api-token"),
    path("progress/me/", views.ProgressMeApi.as_view(), name="api-progress-me"),
    path("exercises/<slug:slug>/hints/", views.HintRevealApi.as_view(), name="api-hints"),
    path(
        "modules/<slug:module_slug>/lessons/<slug:lesson_slug>/read/",
        views.LessonReadApi.as_view(),
        name="api-lesson-read",
    ),
    path(
        "modules/<slug:module_slug>/lessons/<slug:lesson_slug>/questions/",
        questions.LessonQuestionsApi.as_view(),
        name="api-lesson-questions",
    ),
    path(
        "modules/<slug:module_slug>/lessons/<slug:lesson_slug>/questions/<slug:name>/",
        questions.QuestionDetailApi.as_view(),
        name="api-question",
    ),
    path(
        "modules/<slug:module_slug>/lessons/<slug:lesson_slug>/questions/<slug:name>/answers/",
        questions.QuestionAnswerApi.as_view(),
        name="api-question-answers",
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
    path("reviews/", reviews.ReviewQueueApi.as_view(), name="api-reviews"),
    path("reviews/<slug:slug>/", reviews.ReviewItemApi.as_view(), name="api-review"),
    path("reviews/<slug:slug>/start/", reviews.ReviewStartApi.as_view(), name="api-review-start"),
    path(
        "reviews/<slug:slug>/forgot/", reviews.ReviewForgotApi.as_view(), name="api-review-forgot"
    ),
    path("deadlines/me/", deadlines.MyDeadlinesApi.as_view(), name="api-deadlines-me"),
    path(
        "cohorts/<int:cohort_id>/deadlines/",
        deadlines.CohortDeadlinesApi.as_view(),
        name="api-cohort-deadlines",
    ),
    path(
        "cohorts/<int:cohort_id>/deadlines/<int:deadline_id>/",
        deadlines.CohortDeadlineApi.as_view(),
        name="api-cohort-deadline",
    ),
    path(
        "cohorts/<int:cohort_id>/deadline-marks/",
        deadlines.CohortDeadlineMarksApi.as_view(),
        name="api-cohort-deadline-marks",
    ),
]
