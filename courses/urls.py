from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("courses/", views.catalog, name="catalog"),
    path("courses/<slug:slug>/", views.course_detail, name="course"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>.ics", views.event_ics, name="event_ics"),
    path("events/<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("events/<int:pk>/agenda/", views.agenda_builder, name="agenda"),
    path("events/<int:pk>/agenda/sessions/new/", views.agenda_item_edit, name="agenda_item_new"),
    path("events/<int:pk>/agenda/sessions/<int:item_pk>/", views.agenda_item_edit, name="agenda_item_edit"),
    path("events/<int:pk>/agenda/sessions/<int:item_pk>/delete/", views.agenda_item_delete, name="agenda_item_delete"),
    path("events/<int:pk>/agenda/sessions/<int:item_pk>/move/", views.agenda_item_move, name="agenda_item_move"),
    path("events/<int:pk>/agenda/duplicate-day/", views.agenda_day_duplicate, name="agenda_day_duplicate"),
    path("events/<int:pk>/agenda/copy/", views.agenda_copy, name="agenda_copy"),
    path("events/<int:pk>/agenda/facilitators/new/", views.facilitator_create, name="agenda_facilitator_new"),
    path("calendar/", views.calendar_month, name="calendar"),
    path("calendar.ics", views.calendar_feed, name="calendar_feed"),
    path("facilitators/", views.facilitator_list, name="facilitators"),
    path("facilitators/<int:pk>/", views.facilitator_detail, name="facilitator"),
]
