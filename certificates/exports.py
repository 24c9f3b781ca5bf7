"""All certificates of an event as one ZIP file, built by a worker with its progress in the cache.

Issuing or revoking a certificate discards the event's ZIP (see services); a build that was running then
stops, and a finished ZIP holding a certificate revoked since is never offered.
"""

import re
import secrets
import tempfile
import time
import unicodedata
import zipfile

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage

from lms.storage import stored_file_open

from .models import Certificate
from .services import certificate_render

JOB_SECONDS = 24 * 3600
# Latin letters that carry no separable mark, so decomposing them does not reach ASCII.
ASCII_LETTERS = str.maketrans({"ß": "ss", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Ø": "O", "ø": "o",
                               "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Þ": "Th", "þ": "th",
                               "ı": "i", "Ħ": "H", "ħ": "h"})  # fmt: skip


def _key(event_id):
    return f"certificates-zip:{event_id}"


def ascii_slug(name):
    """ "Ștefan Țurcanu" -> "Stefan-Turcanu": ASCII letters and digits joined by hyphens ("" from Cyrillic)."""
    decomposed = unicodedata.normalize("NFKD", name.translate(ASCII_LETTERS))
    return "-".join(re.findall(r"[A-Za-z0-9]+", decomposed.encode("ascii", "ignore").decode()))


def member_name(certificate):
    """The certificate's file name inside the ZIP: never a path, whatever the printed name holds."""
    slug = ascii_slug(certificate.printed_name)
    return f"{certificate.code}-{slug}.pdf" if slug else f"{certificate.code}.pdf"


def zip_progress(event):
    """{"state": queued|building|done|failed, "done": n, "total": n, "path": ...} of the latest ZIP, or None.

    A finished ZIP holding a certificate revoked since (its build raced the revocation) is discarded: None.
    A job that has not moved for longer than a reports task may run lost its worker (the task was acknowledged
    when it started, so no other worker takes it up): "failed", and building it again starts a new one.
    """
    job = cache.get(_key(event.pk))
    if job and job["state"] == "done":
        ids = job.get("ids")
        if ids is None or Certificate.objects.filter(pk__in=ids, revoked_at__isnull=False).exists():
            zip_discard(event.pk)
            return None
    elif job and time.time() - job.get("moved_at", 0) > settings.CELERY_REPORTS_TIME_LIMIT:
        return {**job, "state": "failed"}
    return job


def zip_discard(event_id):
    """Forget the event's ZIP and delete its file."""
    job = cache.get(_key(event_id))
    cache.delete(_key(event_id))
    if job:
        default_storage.delete(job["path"])


def _still_wanted(event_id, path):
    job = cache.get(_key(event_id))
    return job is not None and job["path"] == path


def zip_start(event):
    from .tasks import build_zip

    total = Certificate.objects.filter(enrollment__event=event, revoked_at__isnull=True).count()
    job = {"state": "queued", "done": 0, "total": total, "moved_at": time.time(),
           "path": f"exports/certificates-{event.pk}-{secrets.token_hex(8)}.zip"}  # fmt: skip
    cache.set(_key(event.pk), job, JOB_SECONDS)
    build_zip.delay(event.pk, job["path"])
    return job


def zip_build(event_id, path):
    """Write the ZIP one certificate at a time, so memory stays flat however many there are.

    Stops, keeping nothing, once the job is discarded or replaced by a newer one.
    """
    if not _still_wanted(event_id, path):
        return None
    certificates = Certificate.objects.filter(enrollment__event_id=event_id, revoked_at__isnull=True).order_by("pk")
    total = certificates.count()
    job = {"state": "building", "done": 0, "total": total, "path": path, "moved_at": time.time()}
    cache.set(_key(event_id), job, JOB_SECONDS)
    ids = []
    # Built in a temporary file on disk, then handed to the storage in chunks.
    with tempfile.TemporaryFile() as target:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
            for done, certificate in enumerate(certificates.iterator(chunk_size=200), start=1):
                certificate = certificate_render(certificate=certificate)
                with stored_file_open(certificate.pdf.name) as pdf:
                    archive.writestr(member_name(certificate), pdf.read())
                ids.append(certificate.pk)
                if done % 25 == 0 or done == total:
                    if not _still_wanted(event_id, path):
                        return None
                    cache.set(_key(event_id), {**job, "done": done, "moved_at": time.time()}, JOB_SECONDS)
        target.seek(0)
        saved = default_storage.save(path, File(target))
    if not _still_wanted(event_id, path):
        default_storage.delete(saved)
        return None
    # The ids let a download refuse a ZIP holding a certificate revoked after it was read here.
    cache.set(_key(event_id), {**job, "state": "done", "done": total, "path": saved, "ids": ids}, JOB_SECONDS)
    return saved


def zip_stored(job):
    """The stored name of the finished ZIP of `job` (zip_progress), or None: not built yet, or gone since."""
    if job and job["state"] == "done" and default_storage.exists(job["path"]):
        return job["path"]
    return None
