from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("questionnaires/<str:token>/", views.answer, name="answer"),
]
