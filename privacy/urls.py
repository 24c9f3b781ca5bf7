from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/copies/<uuid:uuid>/", views.download, name="download"),
    path("people/<int:pk>/data/", views.my_data, name="person_data"),
    path("people/erasure-requests/", views.erasure_requests, name="erasure_requests"),
    path("people/erasure-requests/<int:pk>/<slug:decision>/", views.erasure_decide, name="erasure_decide"),
    path("privacy/records/", views.records, name="records"),
]
