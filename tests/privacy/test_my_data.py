"""My data: a person downloads everything held about them as a ZIP built by a worker, offered by a link that works
for whoever asked and for a while only; an administrator can do the same on someone's behalf."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.services import certificate_issue
from courses.models import Attendance
from evaluation import models as evaluation
from lms.consents import consent_give
from lms.models import AuditEntry, Consent, OutgoingEmail
from lms.roles import Role
from privacy.exports import export_storage
from privacy.models import DataExport
from privacy.retention import retention_apply
from tests.conftest import worker_db
from tests.factories import EnrollmentFactory, EventFactory, UserFactory
from tests.waiting import wait_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(settings, tmp_path):
    """Ana attended a closed training, holds its certificate and took both knowledge tests."""
    settings.MEDIA_ROOT = tmp_path
    ana = UserFactory(given_name="Ana", family_name="Căpățînă", name_other_script="Анна Капэцынэ",
                      preferred_language="ro", phone="+373 69 123 456")  # fmt: skip
    day = timezone.localdate() - timedelta(days=10)
    event = EventFactory(start_date=day, end_date=day, title_en="Combating trafficking", status="completed")
    enrollment = EnrollmentFactory(event=event, user=ana, attended_days=1, scheduled_days=1, completed=True,
                                   credit_hours=6, attendance_rate=100)  # fmt: skip
    Attendance.objects.create(enrollment=enrollment, date=day, status="late", note="A sosit la 9:40.")
    certificate_issue(enrollment=enrollment)
    for phase, score in (("pre", 40), ("post", 80)):
        attempt = {"enrollment": enrollment, "phase": phase, "score": score, "submitted_at": timezone.now()}
        evaluation.TestAttempt.objects.create(**attempt)
    return ana


def zip_of(response):
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def ask(client, url, capture):
    """Ask for a copy; the worker's task runs once the request's transaction has committed."""
    with capture(execute=True):
        assert client.post(url, {"export": "1"}).status_code == 302


def test_a_person_downloads_everything_held_about_them(client, person, django_capture_on_commit_callbacks):
    consent_give(person=person, kind=Consent.Kind.PARTICIPANT_LIST)
    client.force_login(person)
    ask(client, reverse("privacy:my_data"), django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    assert export.status == "ready" and export.requested_by == person
    # Told by email, in their language, where to find it.
    assert OutgoingEmail.objects.filter(to=person.email, body_text__contains="/my-data/").exists()
    page = client.get(reverse("privacy:my_data")).content.decode()
    link = reverse("privacy:download", args=[export.uuid])
    assert link in page
    archive = zip_of(client.get(link))
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["name_other_script"] == "Анна Капэцынэ" and data["profile"]["phone"] == "+373 69 123 456"
    [enrollment] = data["enrollments"]
    assert enrollment["event"] == "Combating trafficking" and enrollment["credit_hours"] == "6.00"
    assert enrollment["attendance"] == [{"day": enrollment["first_day"], "status": "late", "note": "A sosit la 9:40."}]
    assert [a["phase"] for a in data["knowledge_tests"]] == ["pre", "post"]
    [certificate] = data["certificates"]
    assert f"certificates/certificate-{certificate['code']}.pdf" in archive.namelist()
    assert {e["action"] for e in data["audit_entries"]} >= {"data_exported"}
    assert [c["kind"] for c in data["consents"]] == ["participant_list"]
    summary = archive.read("summary.html").decode()
    assert "Ana Căpățînă" in summary and 'lang="ro"' in summary
    entry = AuditEntry.objects.get(action="data_exported")
    assert (entry.actor, entry.subject) == (person, person)


def test_a_link_used_by_someone_else_or_after_it_expired_gives_nothing(
    client, person, django_capture_on_commit_callbacks
):
    client.force_login(person)
    ask(client, reverse("privacy:my_data"), django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    link = reverse("privacy:download", args=[export.uuid])
    for other in (UserFactory(), UserFactory(role=Role.ADMINISTRATOR)):
        client.force_login(other)
        assert client.get(link).status_code == 403
    client.force_login(person)
    DataExport.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page = client.get(link)
    assert page.status_code == 410 and "Acest link a expirat: pregătiți o copie nouă." in page.content.decode()


def test_the_nightly_run_deletes_the_copies_whose_time_is_over(client, person, django_capture_on_commit_callbacks):
    client.force_login(person)
    ask(client, reverse("privacy:my_data"), django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    assert export_storage().exists(export.file)
    assert retention_apply(now=export.expires_at - timedelta(seconds=1))["data_exports"] == {"removed": 0}
    assert retention_apply(now=export.expires_at)["data_exports"] == {"removed": 1}
    assert not DataExport.objects.exists() and not export_storage().exists(export.file)


def test_an_administrator_prepares_a_copy_on_someones_behalf(client, person, django_capture_on_commit_callbacks):
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(administrator)
    url = reverse("privacy:person_data", args=[person.pk])
    ask(client, url, django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    assert (export.person, export.requested_by) == (person, administrator)
    assert reverse("privacy:download", args=[export.uuid]) in client.get(url).content.decode()
    assert zip_of(client.get(reverse("privacy:download", args=[export.uuid]))).read("data.json")
    entry = AuditEntry.objects.get(action="data_exported")
    assert (entry.actor, entry.subject) == (administrator, person)
    # Offered to the administrator who asked, not on the person's own page.
    client.force_login(person)
    assert str(export.uuid) not in client.get(reverse("privacy:my_data")).content.decode()


@pytest.mark.services
@worker_db
def test_a_real_worker_builds_the_copy_while_the_page_says_it_is_being_prepared(client, person, celery_worker):
    client.force_login(person)
    client.post(reverse("privacy:my_data"), {"export": "1"})
    assert wait_until(lambda: DataExport.objects.get().status == "ready")
    export = DataExport.objects.get()
    assert "data.json" in zip_of(client.get(reverse("privacy:download", args=[export.uuid]))).namelist()


def test_the_admin_page_of_a_person_leads_to_their_data(client, person):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = client.get(reverse("admin:lms_user_change", args=[person.pk])).content.decode()
    assert reverse("privacy:person_data", args=[person.pk]) in page
