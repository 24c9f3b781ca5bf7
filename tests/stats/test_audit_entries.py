"""The audit log accounts for each table of the statistics and each donor pack downloaded, with the filters that
chose the people in it."""

from datetime import date

import pytest
from django.urls import reverse

from courses.models import Event
from lms.audit import Action
from lms.roles import Role
from tests.audit_entries import entries, only_entry
from tests.factories import EnrollmentFactory, EventFactory, InstitutionFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    programme = ProgrammeFactory(code="ICMPD/2018/MPF-240-003", title_en="Enhancing Moldova's capacities")
    event = EventFactory(programme=programme, start_date=date(2018, 6, 4), end_date=date(2018, 6, 5),
                         status=Event.Status.COMPLETED)  # fmt: skip
    EnrollmentFactory(event=event, attended_days=2, scheduled_days=2, completed=True)
    return programme


def test_a_table_of_the_statistics_is_recorded_with_the_filters_applied(client, programme):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(admin)
    filters = {"programme": programme.pk, "date_from": "2018-01-01", "audience": "judge", "region": "not a region"}
    assert client.get(reverse("stats:export", args=["sex", "csv"]), filters).status_code == 200
    assert only_entry(Action.DATA_EXPORTED) == {
        "actor": admin, "subject": None, "target": "Enhancing Moldova's capacities (ICMPD/2018/MPF-240-003)",
        "details": {"export": "statistics/sex.csv",
                    "filters": {"programme": programme.pk, "date_from": "2018-01-01", "audience": "judge"}},
    }  # fmt: skip


def test_a_focal_points_table_is_recorded_with_their_own_institution(client, programme):
    court = InstitutionFactory()
    focal = UserFactory(role=Role.FOCAL_POINT, institution=court)
    client.force_login(focal)
    url = reverse("stats:export", args=["institution", "xlsx"])
    assert client.get(url, {"institution": InstitutionFactory().pk}).status_code == 200
    assert only_entry(Action.DATA_EXPORTED) == {
        "actor": focal, "subject": None, "target": "",
        "details": {"export": "statistics/institution.xlsx", "filters": {"institution": court.pk}},
    }  # fmt: skip


def test_the_donor_pack_is_recorded_with_its_programme_and_filters(client, programme):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(admin)
    url = reverse("stats:donor_pack", args=[programme.pk])
    assert client.get(url, {"date_to": "2018-12-31"}).status_code == 200
    assert only_entry(Action.DATA_EXPORTED) == {
        "actor": admin, "subject": None, "target": str(programme),
        "details": {"export": "donor-pack.xlsx", "filters": {"programme": programme.pk, "date_to": "2018-12-31"}},
    }  # fmt: skip


def test_downloads_refused_or_not_found_write_nothing(client, programme):
    client.force_login(UserFactory(role=Role.TRAINER))
    assert client.get(reverse("stats:export", args=["sex", "csv"])).status_code == 403
    client.force_login(UserFactory(role=Role.FOCAL_POINT, institution=InstitutionFactory()))
    assert client.get(reverse("stats:donor_pack", args=[programme.pk])).status_code == 403
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert client.get(reverse("stats:export", args=["nothing", "csv"])).status_code == 404
    assert client.get(reverse("stats:export", args=["sex", "exe"])).status_code == 404
    assert client.get(reverse("stats:donor_pack", args=[programme.pk + 1000])).status_code == 404
    assert entries(Action.DATA_EXPORTED) == []
