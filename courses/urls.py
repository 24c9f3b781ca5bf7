from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("courses/", views.catalog, name="catalog"),
    path("courses/<slug:slug>/", views.course_detail, name="course"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>.ics", views.event_ics, name="event_ics"),
    path("calendar/", views.calendar_month, name="calendar"),
    path("calendar.ics", views.calendar_feed, name="calendar_feed"),
    path("facilitators/", views.facilitator_list, name="facilitators"),
    path("facilitators/<int:pk>/", views.facilitator_detail, name="facilitator"),
]
