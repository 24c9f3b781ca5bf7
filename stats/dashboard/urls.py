# Included by lms/urls.py without a namespace, so reverse("dashboard") names the signed-in home as before.
from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("colleagues/", views.colleagues, name="colleagues"),
]
