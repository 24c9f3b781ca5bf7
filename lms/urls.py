from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from . import views

# Everyone signs in through allauth, the admin's visitors too: its two-factor step and privacy notice apply.
admin.site.login = login_required(admin.site.login)
# Authenticators hold their secrets: nobody reads them in the admin; a lost device is reset by the audited action
# on people (lms.mfa.mfa_reset).
if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("stats.dashboard.urls")),
    path("profile/", views.profile_edit, name="profile"),
    path("profile/change-request/", views.profile_change_request, name="profile_change_request"),
    path("people/profile-changes/", views.profile_changes, name="profile_changes"),
    path("people/profile-changes/<int:pk>/<slug:decision>/", views.profile_change_decide, name="profile_change_decide"),
    path("profile/privacy/", views.privacy_settings, name="privacy_settings"),
    path("privacy/", views.privacy_notice, name="privacy_notice"),
    path("privacy/accept/", views.privacy_notice_accept, name="privacy_notice_accept"),
    path("", include("courses.urls")),
    path("", include("certificates.urls")),
    path("", include("evaluation.urls")),
    path("", include("stats.urls")),
    path("", include("privacy.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.language_set, name="set_language"),
    path("logos/<str:name>", views.institution_logo, name="institution_logo"),
    path("admin/", admin.site.urls),
]
