from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("stats/", views.stats, name="index"),
    path("stats/<slug:table>.<str:fmt>", views.export, name="export"),
    path("stats/programmes/<int:pk>/donor-pack.xlsx", views.donor_pack, name="donor_pack"),
    path("stats/events/<int:pk>/attendance/", views.event_attendance_report, name="attendance_report"),
]
