from django.urls import path
from django.views.generic import RedirectView

from apps.curriculum import views

app_name = "curriculum"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="curriculum:course-map"), name="home"),
    path("learn/", views.course_map, name="course-map"),
    path("learn/<slug:module_slug>/", views.module_detail, name="module"),
    path("learn/<slug:module_slug>/<slug:lesson_slug>/", views.lesson_detail, name="lesson"),
    path("exercises/<slug:slug>/", views.exercise_detail, name="exercise"),
]
