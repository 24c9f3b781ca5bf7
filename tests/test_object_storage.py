"""Stored files in an S3-compatible bucket (STORAGE_URL): a worker on another machine writes what the web servers
hand out, and the reverse, with nothing on either machine's disk; files leave the bucket only through the app's
permission checks.

The bucket is a real S3 server on loopback (tests/s3.py); the worker is a process of its own, with a MEDIA_ROOT of
its own, as on another machine.
"""

import hashlib
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from certificates import exports
from certificates.models import Certificate, DesignSignatory
from certificates.services import certificates_issue_for_event
from lms import demo_images
from lms.checks import storage_check
from lms.roles import Role
from lms.storage import default_storage_config, storage_url_options
from privacy.models import DataExport
from tests.conftest import worker_db
from tests.factories import EnrollmentFactory, EventFactory, InstitutionFactory, UserFactory
from tests.lms.test_admin import institution_data
from tests.lms.test_settings import read_settings, run
from tests.processes import private_redis_running, redis_cache, stopped, worker_started
from tests.waiting import wait_until

pytest_plugins = ["tests.s3"]
ROOT = Path(__file__).resolve().parents[1]
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
ENCODED = quote(SECRET, safe="")
WORKER_SECONDS = 90  # a worker process starting, then rendering, storing and emailing


# STORAGE_URL, read


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "s3://AKIAEXAMPLE:wJalrXUtnFEMI%2FK7MDENG%2BbPxRfiCYEXAMPLEKEY@minio.internal:9000/sinergia/media/files"
            "?region=eu-central-1",
            {"bucket_name": "sinergia", "location": "media/files", "endpoint_url": "https://minio.internal:9000",
             "addressing_style": "path", "access_key": "AKIAEXAMPLE", "secret_key": SECRET,
             "region_name": "eu-central-1"},
        ),
        (
            "s3+http://key:secret@127.0.0.1:9000/sinergia-files/",
            {"bucket_name": "sinergia-files", "endpoint_url": "http://127.0.0.1:9000", "addressing_style": "path",
             "access_key": "key", "secret_key": "secret"},
        ),
        ("s3:///sinergia.files?region=eu-west-1", {"bucket_name": "sinergia.files", "region_name": "eu-west-1"}),
        (
            "s3://key:secret@storage.example.org/sinergia?addressing_style=virtual",
            {"bucket_name": "sinergia", "endpoint_url": "https://storage.example.org", "addressing_style": "virtual",
             "access_key": "key", "secret_key": "secret"},
        ),
        (
            "s3+http://key:secret@[::1]:9000/sinergia",
            {"bucket_name": "sinergia", "endpoint_url": "http://[::1]:9000", "addressing_style": "path",
             "access_key": "key", "secret_key": "secret"},
        ),
    ],
)  # fmt: skip
def test_a_storage_url_names_the_server_bucket_folder_region_and_keys(url, expected):
    assert storage_url_options(url) == expected


@pytest.mark.parametrize(
    ("url", "says"),
    [
        (f"https://key:{ENCODED}@minio.internal/sinergia", "must start with s3:// or s3+http://"),
        (f"s3://key:{ENCODED}@minio.internal:9000", "names no bucket"),
        (f"s3://key:{ENCODED}@minio.internal:9000/", "names no bucket"),
        (f"s3://key:{ENCODED}@minio.internal/Sinergia_Files", "names the bucket 'Sinergia_Files'"),
        (f"s3://key:{ENCODED}@minio.internal:ninety/sinergia", "a port that is not a number"),
        # Keys not percent-encoded: the host seems to end early.
        (f"s3://key:{SECRET}@minio.internal/sinergia", "percent-encode them (/ as %2F)"),
        (f"s3://key:2024/{SECRET}@minio.internal/sinergia", "percent-encode them (/ as %2F)"),
        (f"s3://key:2024?{SECRET}@minio.internal/sinergia", "percent-encode them (/ as %2F)"),
        ("s3://only-a-key@minio.internal/sinergia", "both the access key and the secret key, or neither"),
        (f"s3://:{ENCODED}@minio.internal/sinergia", "both the access key and the secret key, or neither"),
        ("s3+http:///sinergia", "s3+http:// without a host"),
        (f"s3://key:{ENCODED}@minio.internal/sinergia?regoin=eu-central-1", "unknown parameter 'regoin'"),
        (f"s3://key:{ENCODED}@minio.internal/sinergia?region=", "region=''"),
        (f"s3://key:{ENCODED}@minio.internal/sinergia?addressing_style=sideways", "addressing_style='sideways'"),
    ],
)
def test_a_wrong_storage_url_is_refused_saying_what_to_fix_and_never_the_secret(url, says):
    with pytest.raises(ImproperlyConfigured) as refused:
        storage_url_options(url)
    message = str(refused.value)
    assert says in message and "s3://KEY:SECRET@host:port/bucket" in message
    assert not [piece for piece in ("wJalrXUtnFEMI", "K7MDENG", "EXAMPLEKEY") if piece in message]


def test_the_default_storage_is_a_private_bucket_when_one_is_named_else_the_file_system():
    assert default_storage_config(storage_url="", environ={}) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    from_url = default_storage_config(storage_url="s3:///sinergia", environ={})
    environ = {"AWS_STORAGE_BUCKET_NAME": "sinergia", "AWS_S3_ENDPOINT_URL": "https://minio.internal:9000",
               "AWS_S3_REGION_NAME": "eu-central-1"}  # fmt: skip
    from_variables = default_storage_config(storage_url="", environ=environ)
    for config in (from_url, from_variables):
        assert config["BACKEND"] == "storages.backends.s3.S3Storage"
        options = config["OPTIONS"]
        assert options["bucket_name"] == "sinergia"
        # Never a public object, never a long-lived link, never a file replacing another.
        assert options["default_acl"] is None and options["querystring_auth"] is True
        assert options["querystring_expire"] == 60 and options["file_overwrite"] is False
    assert from_variables["OPTIONS"]["endpoint_url"] == "https://minio.internal:9000"
    assert from_variables["OPTIONS"]["region_name"] == "eu-central-1"
    with pytest.raises(ImproperlyConfigured, match="STORAGE_URL or AWS_STORAGE_BUCKET_NAME, not both"):
        default_storage_config(storage_url="s3:///sinergia", environ={"AWS_STORAGE_BUCKET_NAME": "other"})


def test_the_settings_read_storage_url_and_keep_no_copy_of_it():
    url = f"s3://key:{ENCODED}@minio.internal:9000/sinergia"
    values = read_settings({"STORAGE_URL": url}, "STORAGES", "STORAGE_URL")
    assert "storages.backends.s3.S3Storage" in values["STORAGES"] and "minio.internal:9000" in values["STORAGES"]
    assert values["STORAGE_URL"] == "None"  # a setting would show on error pages with its secret
    assert "FileSystemStorage" in read_settings({}, "STORAGES")["STORAGES"]
    result = run(["manage.py", "check"], {"DJANGO_SETTINGS_MODULE": "lms.settings", "STORAGE_URL": "s3://minio:9000"})
    assert result.returncode != 0 and "STORAGE_URL names no bucket" in result.stderr


def test_with_debug_off_a_bucket_reached_over_plain_http_elsewhere_is_warned_of():
    def checked(url, debug=False):
        storages = {**settings.STORAGES, "default": default_storage_config(storage_url=url, environ={})}
        with override_settings(DEBUG=debug, STORAGES=storages):
            return [message.id for message in storage_check()]

    assert checked("s3+http://key:secret@minio.internal:9000/sinergia") == ["lms.W001"]
    assert checked("s3+http://key:secret@minio.internal:9000/sinergia", debug=True) == []
    assert checked("s3+http://key:secret@127.0.0.1:9000/sinergia") == []
    assert checked("s3://key:secret@minio.internal:9000/sinergia") == []
    assert checked("") == []


# Downloads from the bucket, in this process


def files_under(folder):
    return [path for path in Path(folder).rglob("*") if path.is_file()]


def pdf_text(content):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def downloaded(response):
    assert response.status_code == 200, response.status_code
    content = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(content)
    return content


def completed(event, given_name, family_name):
    return EnrollmentFactory(event=event, completed=True, credit_hours=Decimal(12), attendance_rate=Decimal(100),
                             user=UserFactory(given_name=given_name, family_name=family_name,
                                              preferred_language="en"))  # fmt: skip


@pytest.mark.services
@pytest.mark.django_db
def test_a_certificate_in_the_bucket_goes_to_its_holder_only_and_a_lost_one_is_a_404(
    client, object_storage, django_capture_on_commit_callbacks
):
    event = EventFactory(status="completed")
    enrollment = completed(event, "Lāsma", "Stabiņa")
    with django_capture_on_commit_callbacks(execute=True):  # the task renders and stores it, in this process
        [certificate] = certificates_issue_for_event(event=event)
    certificate.refresh_from_db()
    assert certificate.pdf.name in object_storage.object_keys()
    link = reverse("certificates:download", args=[certificate.uuid])

    client.force_login(enrollment.user)
    response = client.get(link)
    content = downloaded(response)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="certificate-{certificate.code}.pdf"'
    assert hashlib.sha256(content).hexdigest() == certificate.sha256
    assert "Lāsma Stabiņa" in pdf_text(content)

    client.force_login(completed(event, "Ion", "Rusu").user)
    assert client.get(link).status_code == 404

    client.force_login(enrollment.user)
    object_storage.server.client().delete_object(Bucket=object_storage.name, Key=certificate.pdf.name)
    assert client.get(link).status_code == 404
    default_storage.delete(certificate.pdf.name)  # deleting what is gone already is no error
    assert files_under(settings.MEDIA_ROOT) == []


@pytest.mark.services
@pytest.mark.django_db
def test_a_copy_of_personal_data_in_the_bucket_goes_to_who_asked_only(
    client, object_storage, django_capture_on_commit_callbacks
):
    person = UserFactory(given_name="Ana", family_name="Căpățînă")
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):  # the task builds it, in this process
        client.post(reverse("privacy:my_data"), {"export": "1"})
    export = DataExport.objects.get()
    assert export.status == "ready" and export.file in object_storage.object_keys()
    link = reverse("privacy:download", args=[export.uuid])
    response = client.get(link)
    archive = zipfile.ZipFile(io.BytesIO(downloaded(response)))
    assert "Ana Căpățînă" in archive.read("summary.html").decode()
    assert response["Content-Disposition"].startswith('attachment; filename="sinergia-my-data-')

    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert client.get(link).status_code == 403  # as on the file system: someone else's copy is refused

    client.force_login(person)
    object_storage.server.client().delete_object(Bucket=object_storage.name, Key=export.file)
    assert client.get(link).status_code == 404
    assert files_under(settings.MEDIA_ROOT) == []


@pytest.mark.services
@pytest.mark.django_db
def test_a_logo_in_the_bucket_is_served_and_a_signature_never(client, object_storage):
    institution = InstitutionFactory(name="International Centre for Migration Policy Development")
    logo = demo_images.emblem("ICMPD", "#1d4f91")
    institution.logo.save("ICMPD.png", ContentFile(logo))
    response = client.get(institution.logo_url)
    assert response["Content-Type"] == "image/png" and downloaded(response) == logo
    signature = DesignSignatory(name_en="Elena Rusu")
    signature.signature.save("signature.png", ContentFile(demo_images.signature(1)), save=False)
    assert signature.signature.name in object_storage.object_keys()
    assert client.get(reverse("institution_logo", args=[Path(signature.signature.name).name])).status_code == 404
    object_storage.server.client().delete_object(Bucket=object_storage.name, Key=institution.logo.name)
    assert client.get(institution.logo_url).status_code == 404
    assert files_under(settings.MEDIA_ROOT) == []


# A worker elsewhere


@pytest.fixture(scope="module")
def redis_url():
    """A Redis of this module's own: the worker shares the cache with this process (a ZIP's progress), and tests
    clear the cache, which must never empty the machine's Redis."""
    with private_redis_running() as private:
        yield private.url


@pytest.fixture
def worker(object_storage, celery_broker, redis_url, smtp_server, tmp_path):
    """A Celery worker in a process of its own, as on another machine: the same database, broker, cache and bucket
    (STORAGE_URL), and a MEDIA_ROOT of its own; yields that folder."""
    media = tmp_path / "worker-media"
    process = worker_started(redis_url=redis_url, smtp_server=smtp_server, media_root=media,
                             STORAGE_URL=object_storage.storage_url)  # fmt: skip
    with override_settings(CACHES=redis_cache(redis_url)):
        yield media
    stopped(process)


def recorded_sent(event, count):
    """The worker records a certificate's email as sent when its transaction commits, just after the SMTP server
    accepted it."""
    sent = Certificate.objects.filter(enrollment__event=event, email__status="sent")
    return wait_until(lambda: sent.count() == count, timeout=WORKER_SECONDS)


def emailed_pdfs(messages):
    return {message["To"]: next(message.iter_attachments()).get_content() for message in messages}


@pytest.mark.services
@worker_db
def test_a_workers_certificates_zip_and_the_logo_uploaded_here_reach_people_through_this_server(
    admin_client, client, object_storage, worker, smtp_server
):
    organiser = InstitutionFactory(name="General Police Inspectorate")
    emblem = demo_images.emblem("IGP", "#0b6e4f")
    upload = SimpleUploadedFile("IGP.png", emblem, content_type="image/png")
    change = reverse("admin:lms_institution_change", args=[organiser.pk])
    assert admin_client.post(change, institution_data(organiser, logo=upload)).status_code == 302
    organiser.refresh_from_db()
    assert organiser.logo.name in object_storage.object_keys()
    event = EventFactory(status="completed")
    event.organisers.set([organiser])
    holders = [completed(event, "Ștefan", "Bîrsan"), completed(event, "Наталья", "Кожухарь")]

    certificates_issue_for_event(event=event)  # the worker renders, stores and emails them
    emailed = emailed_pdfs(smtp_server.wait_for(2, timeout=WORKER_SECONDS))
    assert recorded_sent(event, 2)
    for enrollment in holders:
        certificate = Certificate.objects.get(enrollment=enrollment)
        assert certificate.pdf.name in object_storage.object_keys()
        client.force_login(enrollment.user)
        content = downloaded(client.get(reverse("certificates:download", args=[certificate.uuid])))
        assert content == emailed[enrollment.user.email]
        assert hashlib.sha256(content).hexdigest() == certificate.sha256
        assert enrollment.user.get_full_name() in pdf_text(content)
        # The worker drew the logo it read from the bucket.
        [image] = PdfReader(io.BytesIO(content)).pages[0].images
        assert image.image.size == (720, 240)

    assert admin_client.post(reverse("certificates:zip_start", args=[event.pk])).status_code == 302
    assert wait_until(lambda: (exports.zip_progress(event) or {}).get("state") == "done", timeout=WORKER_SECONDS)
    response = admin_client.get(reverse("certificates:zip_download", args=[event.pk]))
    archive = zipfile.ZipFile(io.BytesIO(downloaded(response)))
    assert response["Content-Type"] == "application/zip"
    certificates = Certificate.objects.filter(enrollment__event=event)
    assert sorted(archive.namelist()) == sorted(exports.member_name(c) for c in certificates)
    for certificate in certificates:
        member = archive.read(exports.member_name(certificate))
        assert hashlib.sha256(member).hexdigest() == certificate.sha256
        assert certificate.printed_name in pdf_text(member)
    assert exports.zip_progress(event)["path"] in object_storage.object_keys()
    assert files_under(settings.MEDIA_ROOT) == [] and files_under(worker) == []


@pytest.mark.services
@worker_db
def test_a_copy_of_personal_data_a_worker_built_is_downloaded_through_this_server(
    client, object_storage, worker, smtp_server
):
    event = EventFactory(status="completed")
    enrollment = completed(event, "Aistė", "Žemaitytė")
    certificates_issue_for_event(event=event)
    smtp_server.wait_for(1, timeout=WORKER_SECONDS)
    assert recorded_sent(event, 1)
    certificate = Certificate.objects.get(enrollment=enrollment)

    client.force_login(enrollment.user)
    assert client.post(reverse("privacy:my_data"), {"export": "1"}).status_code == 302
    assert wait_until(lambda: DataExport.objects.get().status == "ready", timeout=WORKER_SECONDS)
    export = DataExport.objects.get()
    assert export.file in object_storage.object_keys()
    archive = zipfile.ZipFile(io.BytesIO(downloaded(client.get(reverse("privacy:download", args=[export.uuid])))))
    assert "Aistė Žemaitytė" in archive.read("summary.html").decode()
    pdf = archive.read(f"certificates/certificate-{certificate.code}.pdf")
    assert hashlib.sha256(pdf).hexdigest() == certificate.sha256

    smtp_server.wait_for(2, timeout=WORKER_SECONDS)  # the "your copy is ready" email
    assert files_under(settings.MEDIA_ROOT) == [] and files_under(worker) == []
