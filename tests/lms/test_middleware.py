import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from lms.middleware import PrivateCacheMiddleware
from lms.roles import Role
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def kept_private(response):
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def test_a_signed_in_users_page_is_kept_out_of_caches(client):
    client.force_login(UserFactory())
    assert kept_private(client.get(reverse("dashboard")))


def test_a_signed_in_download_is_kept_out_of_caches(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    response = client.get(reverse("courses:participants_csv", args=[EventFactory().pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert kept_private(response)


def test_public_pages_stay_cacheable_for_anonymous_visitors(client):
    EventFactory()
    for url in (reverse("courses:catalog"), reverse("courses:calendar")):
        response = client.get(url)
        assert response.status_code == 200
        assert not kept_private(response)


def test_a_view_that_chose_its_own_caching_keeps_it():
    request = RequestFactory().get("/")
    request.user = UserFactory()
    response = PrivateCacheMiddleware(lambda request: HttpResponse(headers={"Cache-Control": "max-age=60"}))(request)
    assert response["Cache-Control"] == "max-age=60"
