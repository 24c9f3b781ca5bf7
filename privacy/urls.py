from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/records/", views.records, name="records"),
]
