from django.urls import path

from .views import agenda, attendance, catalog, enrollment, events

app_name = "courses"

urlpatterns = [
    path("courses/", catalog.catalog, name="catalog"),
    path("courses/<slug:slug>/", catalog.course_detail, name="course"),
    path("events/<int:pk>/", catalog.event_detail, name="event"),
    path("events/new/", events.event_new, name="event_new"),
    path("events/<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("events/<int:pk>/clone/", events.event_clone, name="event_clone"),
    path("events/<int:pk>/publish/", events.event_publish, name="event_publish"),
    path("events/<int:pk>/cancel/", events.event_cancel, name="event_cancel"),
    path("events/<int:pk>.ics", catalog.event_ics, name="event_ics"),
    path("events/<int:pk>/agenda.pdf", agenda.agenda_pdf, name="agenda_pdf"),
    path("events/<int:pk>/agenda/", agenda.agenda_builder, name="agenda"),
    path("events/<int:pk>/agenda/sessions/new/", agenda.agenda_item_edit, name="agenda_item_new"),
    path("events/<int:pk>/agenda/sessions/<int:item_pk>/", agenda.agenda_item_edit, name="agenda_item_edit"),
    path("events/<int:pk>/agenda/sessions/<int:item_pk>/delete/", agenda.agenda_item_delete, name="agenda_item_delete"),
    path("events/<int:pk>/agenda/sessions/<int:item_pk>/move/", agenda.agenda_item_move, name="agenda_item_move"),
    path("events/<int:pk>/agenda/duplicate-day/", agenda.agenda_day_duplicate, name="agenda_day_duplicate"),
    path("events/<int:pk>/agenda/copy/", agenda.agenda_copy, name="agenda_copy"),
    path("events/<int:pk>/agenda/facilitators/new/", agenda.facilitator_create, name="agenda_facilitator_new"),
    path("events/<int:pk>/enroll/", enrollment.enroll, name="enroll"),
    path("events/<int:pk>/participants/", enrollment.participants, name="participants"),
    path("events/<int:pk>/participants.csv", enrollment.participants_csv, name="participants_csv"),
    path("events/<int:pk>/nominate/", enrollment.nominate, name="nominate"),
    path("enrollments/<int:enrollment_pk>/<slug:action>/", enrollment.decide, name="decide"),
    path("my/trainings/", enrollment.my_trainings, name="my_trainings"),
    path("endorsements/", enrollment.endorsements, name="endorsements"),
    path("events/<int:pk>/attendance/", attendance.attendance_grid, name="attendance"),
    path("events/<int:pk>/attendance/code/", attendance.check_in_code, name="check_in_code"),
    path("events/<int:pk>/attendance/<str:day>/sign-in.pdf", attendance.sign_in_sheet_pdf, name="sign_in_sheet"),
    path("events/<int:pk>/close/", attendance.event_close, name="event_close"),
    path("check-in/", attendance.check_in, name="check_in"),
    path("my/record/", attendance.my_record, name="my_record"),
    path("calendar/", catalog.calendar_month, name="calendar"),
    path("calendar.ics", catalog.calendar_feed, name="calendar_feed"),
    path("facilitators/", catalog.facilitator_list, name="facilitators"),
    path("facilitators/<int:pk>/", catalog.facilitator_detail, name="facilitator"),
]
