"""/verify/: anyone types a certificate's code and learns what it certifies and whether it still holds."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from certificates.models import Certificate
from certificates.services import certificate_issue
from certificates.views import normalised_code
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db
VERIFY = reverse("certificates:verify_form")


@pytest.fixture
def certificate(settings_media):
    enrollment = EnrollmentFactory(completed=True, credit_hours=Decimal("12.5"), attendance_rate=Decimal("100"))
    return certificate_issue(enrollment=enrollment)[0]


def typed(client, code):
    return client.get(VERIFY, {"code": code}).content.decode()


def test_the_page_offers_a_labelled_field_to_type_a_code(client):
    page = client.get(VERIFY).content.decode()
    assert '<label for="verify-code">Certificate code</label>' in page
    assert 'name="code" id="verify-code"' in page
    assert "Unknown certificate." not in page


@pytest.mark.parametrize(
    "how", [str.lower, lambda code: code.replace("-", ""), lambda code: " ".join(code.replace("-", "").lower())]
)
def test_a_code_typed_in_small_letters_with_spaces_or_without_dashes_is_found(client, certificate, how):
    page = typed(client, how(certificate.code))
    assert "Valid certificate." in page
    assert certificate.printed_name in page


def test_capital_cyrillic_letters_drawn_like_latin_ones_are_read_as_latin():
    assert normalised_code("авек мнрс тху2") == "ABEK-MHPC-TXY2"


def test_the_result_shows_kind_issue_date_hours_and_status(client, certificate):
    page = typed(client, certificate.code)
    assert "Valid certificate." in page
    assert "Certificate of completion" in page
    assert date_format(timezone.localtime(certificate.issued_at), "DATE_FORMAT") in page
    assert f"<dt>Hours</dt><dd>{floatformat(certificate.credit_hours, '-2')}</dd>" in page


def test_a_revoked_certificate_says_since_when(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now() - timedelta(days=3))
    page = typed(client, certificate.code)
    since = date_format(timezone.localtime(timezone.now() - timedelta(days=3)), "DATE_FORMAT")
    assert f"Revoked since {since}." in page
    assert "Valid certificate." not in page


def test_an_unknown_code_is_not_found_kindly_and_look_alikes_are_named(client, certificate):
    page = typed(client, "abcd efgh jkmn")
    assert "Unknown certificate." in page
    assert "No certificate has the code ABCD-EFGH-JKMN." in page
    assert "Codes never contain" not in page
    # 0, O, 1 and I are never in a code: nothing is guessed, the reader is told where to look.
    page = typed(client, certificate.code.replace(certificate.code[0], "0", 1))
    assert "Unknown certificate." in page
    assert "Codes never contain 0, O, 1 or I" in page


@pytest.mark.parametrize("garbage", ["\x00", "x" * 5000, "<script>", "ĂÎȘ-ȚÂ"])
def test_anything_typed_answers_not_found_without_an_error(client, garbage):
    response = client.get(VERIFY, {"code": garbage})
    assert response.status_code == 200
    assert "Unknown certificate." in response.content.decode()


def test_typed_codes_are_rate_limited(client):
    statuses = [client.get(VERIFY, {"code": f"AAAA-BBBB-{n:04d}"}).status_code for n in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
    # The empty form is no lookup: it stays open.
    assert client.get(VERIFY).status_code == 200
