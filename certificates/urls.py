from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("my/certificates/", views.my_certificates, name="mine"),
    path("certificates/<uuid:uuid>.pdf", views.download, name="download"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("verify/u/<uuid:uuid>/", views.verify_uuid, name="verify_uuid"),
    path("events/<int:pk>/certificates/", views.event_certificates, name="event"),
    path("events/<int:pk>/certificates/zip/", views.zip_start, name="zip_start"),
    path("events/<int:pk>/certificates.zip", views.zip_download, name="zip_download"),
    path("events/<int:pk>/certificates/<slug:action>/", views.certificate_action, name="action"),
    path("certificates/designs/", views.designs, name="designs"),
    path("certificates/designs/default/", views.design_edit, name="design_default"),
    path("certificates/designs/programmes/<int:pk>/", views.design_edit, name="design"),
]
