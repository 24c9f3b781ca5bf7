"""All certificates of an event as one ZIP file, built by a worker with its progress in the cache."""

import secrets
import tempfile
import zipfile

from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage

from .models import Certificate
from .services import certificate_render

JOB_SECONDS = 24 * 3600


def _key(event_id):
    return f"certificates-zip:{event_id}"


def zip_progress(event):
    """{"state": queued|building|done, "done": n, "total": n, "path": ...} of the latest ZIP, or None."""
    return cache.get(_key(event.pk))


def zip_start(event):
    from .tasks import build_zip

    total = Certificate.objects.filter(enrollment__event=event, revoked_at__isnull=True).count()
    job = {"state": "queued", "done": 0, "total": total,
           "path": f"exports/certificates-{event.pk}-{secrets.token_hex(8)}.zip"}  # fmt: skip
    cache.set(_key(event.pk), job, JOB_SECONDS)
    build_zip.delay(event.pk, job["path"])
    return job


def zip_build(event_id, path):
    """Write the ZIP one certificate at a time, so memory stays flat however many there are."""
    certificates = Certificate.objects.filter(enrollment__event_id=event_id, revoked_at__isnull=True).order_by("pk")
    total = certificates.count()
    job = {"state": "building", "done": 0, "total": total, "path": path}
    cache.set(_key(event_id), job, JOB_SECONDS)
    # Built in a temporary file on disk, then handed to the storage in chunks.
    with tempfile.TemporaryFile() as target:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
            for done, certificate in enumerate(certificates.iterator(chunk_size=200), start=1):
                certificate = certificate_render(certificate=certificate)
                with certificate.pdf.open("rb") as pdf:
                    archive.writestr(f"{certificate.code}-{certificate.printed_name}.pdf", pdf.read())
                if done % 25 == 0 or done == total:
                    cache.set(_key(event_id), {**job, "done": done}, JOB_SECONDS)
        target.seek(0)
        saved = default_storage.save(path, File(target))
    cache.set(_key(event_id), {**job, "state": "done", "done": total, "path": saved}, JOB_SECONDS)
    return saved


def zip_open(job):
    return default_storage.open(job["path"], "rb")
