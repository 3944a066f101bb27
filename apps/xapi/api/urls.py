from django.urls import path

from apps.xapi.api import views

urlpatterns = [
    path("xapi/deliveries/", views.StatementDeliveryListApi.as_view(), name="api-xapi-deliveries"),
]
