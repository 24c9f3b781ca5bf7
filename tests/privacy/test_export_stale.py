"""A copy of someone's data whose worker died (the task, acknowledged when it started, goes to no other worker)
shows as failed once it has been prepared for too long, and asking again prepares a new one."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse

from privacy.exports import LOST_AFTER, data_exports_lost_fail
from privacy.models import DataExport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ana = UserFactory(given_name="Ana", family_name="Căpățînă")
    client.force_login(ana)
    # Its task never runs here: as if the worker that took it died.
    client.post(reverse("privacy:my_data"), {"export": "1"})
    return ana


def asked_earlier(seconds):
    DataExport.objects.update(requested_at=F("requested_at") - timedelta(seconds=seconds))


def status_cell(client):
    page = client.get(reverse("privacy:my_data")).content.decode()
    return page.split('data-label="Status">')[1].split("</td>")[0]


def test_a_copy_prepared_for_too_long_shows_failed_and_a_new_one_is_offered(
    client, person, django_capture_on_commit_callbacks
):
    assert status_cell(client) == "Being prepared"
    asked_earlier(LOST_AFTER.total_seconds() - 5)
    assert data_exports_lost_fail() == 0  # its worker may still be at it
    assert status_cell(client) == "Being prepared"

    asked_earlier(10)
    assert data_exports_lost_fail() == 1
    assert status_cell(client) == "Failed"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:my_data"), {"export": "1"})
    ready = DataExport.objects.get(status=DataExport.Status.READY)
    assert reverse("privacy:download", args=[ready.uuid]) in client.get(reverse("privacy:my_data")).content.decode()
    assert DataExport.objects.filter(status=DataExport.Status.FAILED).count() == 1


def test_asking_again_before_the_sweep_prepares_a_new_copy_instead_of_the_lost_one(
    client, person, django_capture_on_commit_callbacks
):
    client.post(reverse("privacy:my_data"), {"export": "1"})
    assert DataExport.objects.count() == 1  # still being prepared: that one

    asked_earlier(LOST_AFTER.total_seconds() + 5)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:my_data"), {"export": "1"})
    assert sorted(DataExport.objects.values_list("status", flat=True)) == ["failed", "ready"]
