from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("questionnaires/<str:token>/", views.answer, name="answer"),
    path("events/<int:pk>/knowledge-test/<str:phase>/", views.knowledge_test, name="knowledge_test"),
    path("events/<int:pk>/evaluation/", views.event_report, name="event_report"),
    path("events/<int:pk>/evaluation/trainer-report/", views.trainer_report, name="trainer_report"),
    path("facilitators/scorecards/", views.facilitator_scorecards, name="scorecards"),
]
