"""A ZIP file whose build stopped (its worker died; the task, acknowledged when it started, goes to no other worker)
shows as failed once it has not moved for longer than a build may run, and is offered again."""

import io
import zipfile

import pytest
from django.core.cache import cache
from django.urls import reverse

from courses.services import event_close
from lms.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def stall(event, seconds):
    """As if the event's ZIP job had last moved `seconds` earlier than it did."""
    key = f"certificates-zip:{event.pk}"
    job = cache.get(key)
    cache.set(key, {**job, "moved_at": job["moved_at"] - seconds})


def test_a_zip_build_that_stopped_moving_shows_failed_and_is_built_again(
    client, closing, settings, django_capture_on_commit_callbacks
):
    event = closing["event"]
    with django_capture_on_commit_callbacks(execute=True):
        event_close(event=event, actor=closing["trainer"])
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page_url = reverse("certificates:event", args=[event.pk])
    # Its task never runs here: as if the worker that took it died.
    client.post(reverse("certificates:zip_start", args=[event.pk]))
    page = client.get(page_url).content.decode()
    assert "Building: 0 of 4." in page and 'http-equiv="refresh"' in page

    stall(event, settings.CELERY_REPORTS_TIME_LIMIT - 1)
    assert "Building: 0 of 4." in client.get(page_url).content.decode()  # a build may still be running

    stall(event, 2)
    page = client.get(page_url).content.decode()
    assert "The ZIP file was not finished: its build stopped. Build it again." in page
    assert "Building:" not in page and 'http-equiv="refresh"' not in page
    assert "Build the ZIP file" in page
    response = client.get(reverse("certificates:zip_download", args=[event.pk]), follow=True)
    assert "There is no up-to-date ZIP file." in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:zip_start", args=[event.pk]))
    assert reverse("certificates:zip_download", args=[event.pk]) in client.get(page_url).content.decode()
    response = client.get(reverse("certificates:zip_download", args=[event.pk]))
    assert len(zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()) == 4
