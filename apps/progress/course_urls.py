"""The course pages keep the "curriculum" URL namespace the templates and links use."""

from django.urls import path
from django.views.generic import RedirectView

from apps.progress import course_views

app_name = "curriculum"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="curriculum:course-map"), name="home"),
    path("learn/", course_views.course_map, name="course-map"),
    path("learn/<slug:module_slug>/", course_views.module_detail, name="module"),
    path(
        "learn/<slug:module_slug>/<slug:lesson_slug>/",
        course_views.lesson_detail,
        name="lesson",
    ),
]
