from django.contrib import admin
from django.urls import include, path

from . import views
from .stats import views as stats

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("profile/", views.profile_edit, name="profile"),
    path("", include("courses.urls")),
    path("", include("certificates.urls")),
    path("stats/", stats.stats, name="stats"),
    path("stats/<slug:table>.<str:fmt>", stats.export, name="stats_export"),
    path("stats/programmes/<int:pk>/donor-pack.xlsx", stats.donor_pack, name="donor_pack"),
    path("stats/events/<int:pk>/attendance/", stats.event_attendance_report, name="attendance_report"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
