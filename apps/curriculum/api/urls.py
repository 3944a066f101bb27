from django.urls import path

from apps.curriculum.api import views

urlpatterns = [
    path("modules/", views.ModuleListApi.as_view(), name="api-modules"),
    path(
        "modules/<slug:module_slug>/lessons/<slug:lesson_slug>/",
        views.LessonDetailApi.as_view(),
        name="api-lesson",
    ),
    path("exercises/<slug:slug>/", views.ExerciseDetailApi.as_view(), name="api-exercise"),
]
