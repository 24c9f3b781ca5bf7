"""Certificates: rendering speed, delivery throughput, and the ZIP's memory.

    .venv/bin/python bench/certificates.py [--participants 1000]

Needs PostgreSQL (DATABASE_URL, default a database sinergia_bench_certificates
on 127.0.0.1) and Redis (REDIS_URL, default db 13 on 127.0.0.1). Every certificate
is branded: three logos, two signatures and a stamp. Prints:
1. the median time to render one certificate with our code, the same page
   without any QR code, and with ReportLab's stock QrCodeWidget, with ratios
   (targets: at most 1.5x the page without QR, our QR code at least 5x faster than the stock widget's),
   and the same certificate without branding;
2. certificates per second from closing an event of N participants to the
   last email accepted, with 2 worker processes and a loopback SMTP server
   (target: at least 60 a second);
3. the peak memory of building and downloading the ZIP of all N (target: under 150 MB).
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.support import create_database  # noqa: E402

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sinergia_bench_certificates")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "bench-media"))
os.environ.setdefault("CELERY_KEY_PREFIX", "bench-certificates:")
os.environ.setdefault("OUTBOX_RETRY_BASE_SECONDS", "1")


def store_branding():
    """Three logos, two signatures and a stamp in storage, as the demo draws them: {key: stored name}."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from lms import demo_images

    images = {
        "issuer": demo_images.emblem("IGP", "#0b6e4f"), "partner": demo_images.emblem("VRM", "#7a5c00"),
        "funder": demo_images.emblem("ICMPD", "#1d4f91"), "first": demo_images.signature(1),
        "second": demo_images.signature(2), "stamp": demo_images.stamp("INSTITUTUL NAȚIONAL AL JUSTIȚIEI"),
    }  # fmt: skip
    return {key: default_storage.save(f"branding/bench-{key}.png", ContentFile(data)) for key, data in images.items()}


def sample_certificate(branding):
    from django.utils import timezone

    from certificates.models import Certificate

    return Certificate(
        uuid=uuid.uuid4(),
        code="ABCD-EFGH-JKLM",
        kind="completion",
        language="ro",
        printed_name="Lāsma Stabiņa",
        name_other_script="Ласма Стабиня",
        course_title="Consolidarea sinergiilor în combaterea traficului de ființe umane",
        event_title="Chișinău, 4–5 iunie 2018",
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
        place="Inspectoratul General al Poliției, Chișinău",
        credit_hours=Decimal("9.5"),
        attendance_rate=Decimal(100),
        facilitators=["Lāsma Stabiņa", "Ian Sweet", "Dr Jorn van Rij"],
        signatories=[
            {
                "name": "Elena Rusu",
                "role": "Directoare, Institutul Național al Justiției",
                "signature": branding["first"],
            },
            {"name": "Rūta Šimkūnė", "role": "Formatoare", "signature": branding["second"]},
        ],
        design={
            "layout": "classic",
            "stamp": branding["stamp"],
            "logos": [{"name": key, "image": branding[key]} for key in ("issuer", "partner", "funder")],
        },  # fmt: skip
        organisers=["Ministry of the Interior of Lithuania"],
        programme="Enhancing Moldova's capacities (ICMPD/2018/MPF-240-003)",
        funder="ICMPD",
        issuer="Sinergia",
        issued_at=timezone.now(),
    )


def stock_widget_qr(canvas, data, x, y, size):
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(data)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def bench_render(branding, runs=100):
    from certificates.pdf import certificate_pdf

    certificate = sample_certificate(branding)
    plain = sample_certificate(branding)
    plain.signatories, plain.design = [{"name": "Rūta Šimkūnė", "role": "Formatoare"}], {}

    variants = {"ours": {}, "bare": {"draw_qr_code": None}, "stock": {"draw_qr_code": stock_widget_qr}}
    times = {name: [] for name in variants}
    for kwargs in variants.values():
        certificate_pdf(certificate, **kwargs)  # warm fonts and caches
    for _ in range(runs):  # interleaved, so a busy moment weighs on all three alike
        for name, kwargs in variants.items():
            start = time.perf_counter()
            certificate_pdf(certificate, **kwargs)
            times[name].append((time.perf_counter() - start) * 1000)
    ours, bare, stock = (statistics.median(times[name]) for name in variants)
    unbranded = statistics.median(_timed(lambda: certificate_pdf(plain)) for _ in range(runs))
    print("1. rendering one certificate with 3 logos, 2 signatures and a stamp (median of", runs, "runs)")
    print(f"   ours (segno matrix, fixed mask): {ours:7.1f} ms  = {ours / bare:.2f}x the page without QR "
          f"(target <= 1.5x)")  # fmt: skip
    print(f"   page without any QR code:        {bare:7.1f} ms")
    # The QR codes compared alone: the branded page around them costs the same to both.
    print(f"   ReportLab stock QrCodeWidget:     {stock:7.1f} ms  its QR code alone {stock - bare:.1f} ms, ours "
          f"{ours - bare:.1f} ms: {(stock - bare) / (ours - bare):.1f}x faster (target >= 5x)")  # fmt: skip
    print(f"   ours without logos, signatures or stamp: {unbranded:7.1f} ms")


def _timed(function):
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def bench_delivery(participants, branding):
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.utils import timezone

    from certificates.designs import certificate_design_save
    from certificates.models import Certificate, CertificateDesign, DesignSignatory
    from courses.models import Attendance, Course, CourseAudience, Enrollment, Event, Programme
    from courses.services import event_close
    from lms.models import Audience, Institution, OutgoingEmail, User

    call_command("migrate", verbosity=0)
    stamp = int(time.time())
    # Yesterday: its last day has ended, so it closes as any finished training does.
    today = timezone.localdate() - timedelta(days=1)
    funder, _created = Institution.objects.get_or_create(name="Bench funder", defaults={"kind": "international"})
    programme = Programme.objects.create(code=f"BENCH-{stamp}", title_en="Bench", funder=funder, starts_on=today,
                                         ends_on=today)  # fmt: skip
    course = Course.objects.create(slug=f"bench-{stamp}", title_en="Combating trafficking", activity_type="course")
    CourseAudience.objects.create(course=course, audience=Audience.JUDGE)
    event = Event.objects.create(course=course, programme=programme, start_date=today, end_date=today,
                                 working_language="ro", capacity=participants, status=Event.Status.PUBLISHED,
                                 enrollment_closes_at=timezone.now() - timedelta(days=1), city="Chișinău")  # fmt: skip
    users = User.objects.bulk_create(
        User(email=f"cert{stamp}-{n}@example.test", given_name="Ștefan", family_name=f"Bîrsan {n}",
             profession=Audience.JUDGE, preferred_language=["ro", "ru", "en"][n % 3])
        for n in range(participants)
    )  # fmt: skip
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(event=event, user=user, status="confirmed") for user in users
    )
    Attendance.objects.bulk_create(Attendance(enrollment=e, date=today, status="present") for e in enrollments)
    closer = User.objects.create(email=f"closer{stamp}@example.test", given_name="Bench", family_name="Admin",
                                 is_superuser=True)  # fmt: skip
    # Branded like the render above: the organiser, a partner and the funder have logos; two people sign, one stamp.
    for key, institution in [("issuer", f"Bench organiser {stamp}"), ("partner", f"Bench partner {stamp}")]:
        institution = Institution.objects.create(name=institution, kind="police", logo=branding[key])
        (event.organisers if key == "issuer" else programme.partners).add(institution)
    Institution.objects.filter(pk=funder.pk).update(logo=branding["funder"])
    certificate_design_save(
        design=CertificateDesign(programme=programme, stamp=branding["stamp"]), actor=closer,
        signatories=[DesignSignatory(name_en="Elena Rusu", title_en="Director", signature=branding["first"]),
                     DesignSignatory(name_en="Rūta Šimkūnė", title_en="Trainer", signature=branding["second"])],
    )  # fmt: skip

    class Counter:
        accepted = 0
        last = 0.0

        async def handle_DATA(self, server, session, envelope):
            Counter.accepted += 1
            Counter.last = time.perf_counter()
            return "250 OK"

    port = 2525 + stamp % 1000
    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "EMAIL_USE_TLS": "0"}
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "celery_app", "worker", "--concurrency=2",
                               "--loglevel=WARNING", "--without-gossip",
                               "--without-mingle"], cwd=ROOT, env=env)  # fmt: skip
    try:
        time.sleep(5)  # the worker's start, not counted
        start = time.perf_counter()
        event_close(event=event, actor=closer)
        deadline = start + 300
        while Counter.accepted < participants and time.perf_counter() < deadline:
            time.sleep(0.2)
        elapsed = Counter.last - start
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        controller.stop()
    sent = OutgoingEmail.objects.filter(to__startswith=f"cert{stamp}-", status="sent").count()
    print(f"2. delivery: {participants} certificates issued at closing, {Counter.accepted} emails accepted "
          f"({sent} marked sent) in {elapsed:.1f} s = {Counter.accepted / elapsed:.1f} certificates/s "
          f"with 2 worker processes (target >= 60/s)")  # fmt: skip
    return event.pk, Certificate.objects.filter(enrollment__event=event).count()


ZIP_MEMORY = """
import os, resource, sys
sys.path.insert(0, {root!r})
import django
django.setup()
from django.conf import settings
from django.test import Client
from courses.models import Event
from lms.models import User
from lms.roles import Role
from lms.services import role_grant
from certificates import exports
settings.ALLOWED_HOSTS = ["*"]
event = Event.objects.get(pk={event_id})
from celery_app import app
app.conf.task_always_eager = True  # the ZIP is built here, in the process whose memory is measured
exports.zip_start(event)
names = {{"given_name": "Bench", "family_name": "Administrator"}}
admin, _ = User.objects.get_or_create(email="bench-admin@example.test", defaults=names)
role_grant(user=admin, role=Role.ADMINISTRATOR)
client = Client()
client.force_login(admin)
response = client.get("/events/{event_id}/certificates.zip")
size = sum(len(chunk) for chunk in response.streaming_content)
print(size, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def bench_zip(event_id, count):
    script = ZIP_MEMORY.format(root=str(ROOT), event_id=event_id)
    output = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=os.environ, capture_output=True, text=True,
                            check=True).stdout.split()  # fmt: skip
    size, peak_kb = int(output[-2]), int(output[-1])
    print(f"3. ZIP of {count} certificates: {size / 1e6:.1f} MB built and downloaded, peak memory of the process "
          f"{peak_kb / 1024:.0f} MB (target < 150 MB)")  # fmt: skip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=1000)
    args = parser.parse_args()
    create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    branding = store_branding()
    bench_render(branding)
    event_id, count = bench_delivery(args.participants, branding)
    bench_zip(event_id, count)
    print(f"(this process: peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
