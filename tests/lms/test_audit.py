"""The audit log is appended to, read and filtered by administrators, and never changed nor deleted by hand."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.audit import Action, audit_record
from lms.models import AuditEntry
from lms.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_entry_says_who_did_what_about_whom_and_stays_as_written():
    admin, person = UserFactory(role=Role.ADMINISTRATOR), UserFactory()
    entry = audit_record(action=Action.ROLES_CHANGED, actor=admin, subject=person, target=person.email,
                         roles=["Trainer"])  # fmt: skip
    assert (entry.actor, entry.subject, entry.details) == (admin, person, {"roles": ["Trainer"]})
    entry.target = "changed"
    for attempt in (entry.save, entry.delete, AuditEntry.objects.all().delete,
                    lambda: AuditEntry.objects.update(target="changed")):  # fmt: skip
        with pytest.raises(PermissionError):
            attempt()
    assert AuditEntry.objects.get().target == person.email


def test_only_the_retention_period_removes_old_entries():
    AuditEntry.objects.create(action=Action.STAFF_SIGNED_IN, at=timezone.now() - timedelta(days=400))
    recent = audit_record(action=Action.STAFF_SIGNED_IN, actor=UserFactory())
    assert AuditEntry.purge_before(timezone.now() - timedelta(days=365)) == 1
    assert list(AuditEntry.objects.all()) == [recent]


def test_administrators_read_and_filter_the_log_and_nobody_edits_it(client):
    person = UserFactory(family_name="Căpățînă")
    audit_record(action=Action.DATA_EXPORTED, actor=person, subject=person, target="my data")
    audit_record(action=Action.STAFF_SIGNED_IN, actor=UserFactory(role=Role.ADMINISTRATOR))
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = client.get(reverse("admin:lms_auditentry_changelist"), {"action": "data_exported"})
    assert page.status_code == 200 and "Căpățînă" in page.content.decode()
    assert page.context["cl"].result_count == 1
    entry = AuditEntry.objects.get(action="data_exported")
    assert client.get(reverse("admin:lms_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:lms_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    client.post(reverse("admin:lms_auditentry_change", args=[entry.pk]), {"target": "x"})
    assert AuditEntry.objects.get(pk=entry.pk).target == "my data"
    assert timezone.now() - entry.at < timedelta(minutes=1)
