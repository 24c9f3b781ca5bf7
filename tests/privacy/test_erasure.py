"""Erasure: asked by the person, confirmed or refused (with a reason kept) by an administrator; the person is
replaced by a pseudonym, and not one figure of the statistics or of the donor pack changes."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from certificates.models import Certificate
from courses.models import Attendance
from lms.consents import consent_give, has_consent
from lms.models import AuditEntry, Consent, User
from lms.roles import Role
from privacy.erasure import erasure_confirm, erasure_request
from privacy.models import ErasureRequest
from tests.factories import PASSWORD, UserFactory
from tests.stats.test_donor_pack import pack, programme, table  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    return UserFactory(role=Role.ADMINISTRATOR)


def ask(client, person, keep=True):
    client.force_login(person)
    data = {"erase": "1", "confirm": "on"} | ({"keep_certificates": "on"} if keep else {})
    return client.post(reverse("privacy:my_data"), data)


def test_a_person_asks_once_and_a_second_request_is_refused(client):
    person = UserFactory()
    assert ask(client, person).status_code == 302
    page = client.post(reverse("privacy:my_data"), {"erase": "1", "confirm": "on"}, follow=True)
    assert "already waits for an administrator" in page.content.decode()
    assert ErasureRequest.objects.count() == 1
    entry = AuditEntry.objects.get(action="erasure_requested")
    assert (entry.actor, entry.subject, entry.details) == (person, person, {"keep_certificates": True})


def test_without_ticking_that_it_cannot_be_undone_nothing_is_asked(client):
    client.force_login(UserFactory())
    page = client.post(reverse("privacy:my_data"), {"erase": "1"})
    assert page.status_code == 200 and not ErasureRequest.objects.exists()


def test_a_refusal_keeps_its_reason_for_the_person_and_the_log_keeps_none(client, administrator):
    person = UserFactory()
    ask(client, person)
    asked = ErasureRequest.objects.get()
    client.force_login(administrator)
    url = reverse("privacy:erasure_decide", args=[asked.pk, "refuse"])
    client.post(url, {"reason": "  "})
    assert ErasureRequest.objects.get().status == "pending"  # no reason, no refusal
    client.post(url, {"reason": "Dosar disciplinar în curs: datele se păstrează până la închidere."})
    asked.refresh_from_db()
    assert asked.status == "refused" and asked.decided_by == administrator
    entry = AuditEntry.objects.get(action="erasure_refused")
    assert entry.subject == person and "disciplinar" not in str(entry.details) + entry.target
    client.force_login(person)
    assert "Dosar disciplinar" in client.get(reverse("privacy:my_data")).content.decode()
    assert User.objects.get(pk=person.pk).email == person.email


def test_only_administrators_decide_and_nobody_asks_for_someone_else(client):
    person, other = UserFactory(), UserFactory()
    ask(client, person)
    asked = ErasureRequest.objects.get()
    client.force_login(other)
    assert client.post(reverse("privacy:erasure_decide", args=[asked.pk, "confirm"])).status_code == 403
    assert client.get(reverse("privacy:person_data", args=[person.pk])).status_code == 403
    assert ErasureRequest.objects.get().status == "pending" and User.objects.get(pk=person.pk).is_active


def test_the_last_administrator_is_not_erased(administrator):
    asked = erasure_request(person=administrator, requested_by=administrator)
    with pytest.raises(Exception, match="last administrator"):
        erasure_confirm(request=asked, actor=administrator)
    assert User.objects.get(pk=administrator.pk).is_active
    assert ErasureRequest.objects.get().status == "pending"


def figures(client, programme):  # noqa: F811
    """Every figure of /stats/ for the programme, and the donor pack's sheets without the columns of names."""
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = client.get(reverse("stats:index"), {"programme": programme.pk}).content.decode()
    # The figures, from the summary on (the filter form above lists every institution, those made here too).
    shown = page.split('id="summary-heading"', 1)[1].split("</main>", 1)[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown))
    workbook = pack(client, programme)
    named = {"Family name", "Given name", "Name in the other script", "Participant", "Name", "Generated on"}
    # Rows as a set: sheets listed by name put a renamed person elsewhere.
    sheets = {sheet.title: sorted(repr({k: v for k, v in row.items() if k not in named}) for row in table(sheet))
              for sheet in workbook.worksheets[1:]}  # fmt: skip
    return text, sheets


def test_erasing_changes_no_figure_of_the_statistics_nor_of_the_donor_pack(client, programme, administrator):  # noqa: F811
    before = figures(client, programme)
    ana, ion = User.objects.get(family_name="Ababii"), User.objects.get(family_name="Ciobanu")
    Attendance.objects.filter(enrollment__user=ana).update(note="Venită cu întârziere, motiv medical.")
    for person, keep in [(ana, False), (ion, True)]:
        erasure_confirm(request=erasure_request(person=person, requested_by=person, keep_certificates=keep),
                        actor=administrator)  # fmt: skip
    after = figures(client, programme)
    assert after[0] == before[0]
    assert after[1] == before[1]
    assert "Ababii" not in str(pack(client, programme)["Participants"].values)


def test_an_erased_person_is_a_pseudonym_who_cannot_sign_in(client, administrator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = UserFactory(given_name="Ana", family_name="Ababii", name_other_script="Анна Абабий",
                         phone="+373 69 000 000", position="Inspector principal")  # fmt: skip
    email = person.email
    assert EmailAddress.objects.filter(email=email).exists()
    consent_give(person=person, kind=Consent.Kind.PARTICIPANT_LIST)
    erasure_confirm(request=erasure_request(person=person, requested_by=person), actor=administrator)
    person.refresh_from_db()
    assert person.get_full_name() == f"Erased person {person.pk}"
    assert (person.name_other_script, person.phone, person.position) == ("", "", "")
    assert email not in person.email and not person.is_active and not person.has_usable_password()
    assert not EmailAddress.objects.filter(email=email).exists()
    assert not client.login(email=email, password=PASSWORD)
    assert not has_consent(person, Consent.Kind.PARTICIPANT_LIST)
    entry = AuditEntry.objects.get(action="erasure_confirmed")
    assert (entry.actor, entry.subject) == (administrator, person)


@pytest.mark.parametrize("keep", [True, False])
def test_the_person_chooses_whether_their_certificates_stay_verifiable(client, programme, administrator, keep):  # noqa: F811
    ana = User.objects.get(family_name="Ababii")
    certificate = Certificate.objects.get(enrollment__user=ana)
    erasure_confirm(request=erasure_request(person=ana, requested_by=ana, keep_certificates=keep),
                    actor=administrator)  # fmt: skip
    client.logout()
    page = client.get(reverse("certificates:verify", args=[certificate.code])).content.decode()
    if keep:
        assert "Valid certificate." in page and "Ana Ababii" in page
    else:
        assert "Withdrawn at the holder" in page and "Ababii" not in page
        assert Certificate.objects.get(pk=certificate.pk).printed_name == f"Erased person {ana.pk}"
