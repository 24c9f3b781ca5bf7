"""The trainer's end-of-activity report: each trainer of the event writes their own once the activity is over,
and it is part of the event's evaluation report, shown escaped."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.models import TrainerReport
from lms.roles import Role
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainers():
    return [UserFactory(role=Role.TRAINER, given_name=name, family_name="Ciobanu") for name in ("Elena", "Mihai")]


@pytest.fixture
def ended(trainers):
    day = timezone.localdate() - timedelta(days=1)
    return EventFactory(start_date=day, end_date=day, trainers=trainers,
                        enrollment_closes_at=timezone.now() - timedelta(days=3))  # fmt: skip


def url(event):
    return reverse("evaluation:trainer_report", args=[event.pk])


def test_each_trainer_writes_their_own_report_and_it_shows_in_the_evaluation_report(client, ended, trainers):
    elena, mihai = trainers
    client.force_login(elena)
    report = reverse("evaluation:event_report", args=[ended.pk])
    assert url(ended) in client.get(report).content.decode()  # the report page leads to the form
    data = {"went_well": "Discuții vii pe <b>cazuri</b>.", "problems": "", "recommendations": "Mai mult timp."}
    response = client.post(url(ended), data)
    assert response.status_code == 302 and response.url == report
    # Written again, it is the same report, changed.
    client.post(url(ended), {**data, "problems": "Interpretarea a întârziat."})
    assert TrainerReport.objects.get().problems == "Interpretarea a întârziat."
    client.force_login(mihai)
    client.post(url(ended), {"went_well": "", "problems": "", "recommendations": "Un modul despre copii."})
    assert sorted(TrainerReport.objects.values_list("author__given_name", flat=True)) == ["Elena", "Mihai"]

    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    text = client.get(report).content.decode()
    assert "Elena Ciobanu" in text and "Mihai Ciobanu" in text and "Un modul despre copii." in text
    assert "Discuții vii pe &lt;b&gt;cazuri&lt;/b&gt;." in text and "<b>cazuri</b>" not in text
    assert url(ended) not in text  # the administrator did not train: nothing to write


def test_an_empty_report_is_refused_and_saves_nothing(client, ended, trainers):
    client.force_login(trainers[0])
    page = client.post(url(ended), {"went_well": "  ", "problems": "", "recommendations": ""})
    assert page.status_code == 200 and "Write at least one of the three parts" in page.content.decode()
    assert not TrainerReport.objects.exists()


def test_an_overlong_part_is_refused(client, ended, trainers):
    client.force_login(trainers[0])
    page = client.post(url(ended), {"went_well": "x" * 3001})
    assert page.status_code == 200 and not TrainerReport.objects.exists()


def test_no_report_before_the_activity_is_over_nor_by_someone_who_did_not_train_it(client, ended, trainers):
    tomorrow = timezone.localdate() + timedelta(days=1)
    coming = EventFactory(start_date=tomorrow, end_date=tomorrow, trainers=trainers)
    client.force_login(trainers[0])
    assert client.post(url(coming), {"went_well": "Încă nu a avut loc."}).status_code == 403
    client.force_login(UserFactory(role=Role.TRAINER))
    assert client.post(url(ended), {"went_well": "Nu am fost acolo."}).status_code == 403
    assert not TrainerReport.objects.exists()


def test_the_dashboard_asks_each_trainer_for_their_report_until_it_is_written(client, ended, trainers):
    long_ago = EventFactory(start_date=timezone.localdate() - timedelta(days=90), trainers=trainers,
                            end_date=timezone.localdate() - timedelta(days=90))  # fmt: skip
    client.force_login(trainers[0])
    text = client.get(reverse("dashboard")).content.decode()
    assert url(ended) in text and url(long_ago) not in text  # too long ago to be asked for still
    client.post(url(ended), {"went_well": "Discuții vii pe cazuri."})
    assert url(ended) not in client.get(reverse("dashboard")).content.decode()
    client.force_login(trainers[1])
    assert url(ended) in client.get(reverse("dashboard")).content.decode()
