"""Certificates: rendering speed, delivery throughput, and the ZIP's memory.

    .venv/bin/python bench/certificates.py [--participants 1000] [--runs 3]

Needs PostgreSQL (DATABASE_URL, default a database sinergia_bench_certificates
on 127.0.0.1) and Redis (REDIS_URL, default db 13 on 127.0.0.1). Every certificate
is branded: three logos, two signatures and a stamp. Prints:
1. the median time to render one certificate with our code, the same page
   without any QR code, and with ReportLab's stock QrCodeWidget, with ratios
   (targets: at most 1.5x the page without QR, our QR code at least 5x faster than the stock widget's),
   and the same certificate without branding;
2. certificates per second from closing an event of N participants to the
   last email accepted, with 2 worker processes and a loopback SMTP server
   (target: at least 100 a second), and the workers' CPU time per certificate
   (target: at most 10 ms), min-median-max of --runs closings, each after
   timing one certificate rendered in this process (the machine's pace);
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
from bench.support import PRODUCTION, create_database, free_port, load_printed, spreads_ms, stopped  # noqa: E402

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

    # Interleaved, so that a busy moment weighs on all alike.
    ours, bare, stock, unbranded = spreads_ms(
        runs,
        lambda: certificate_pdf(certificate),
        lambda: certificate_pdf(certificate, draw_qr_code=None),
        lambda: certificate_pdf(certificate, draw_qr_code=stock_widget_qr),
        lambda: certificate_pdf(plain),
    )
    median = 1  # the middle of (min, median, max)
    print(f"1. rendering one certificate with 3 logos, 2 signatures and a stamp (min-median-max of {runs} runs, ms)")
    print(f"   ours (zxing-cpp, one path):      {_spread(ours)}  = {ours[median] / bare[median]:.2f}x the page "
          f"without QR (target <= 1.5x)")  # fmt: skip
    print(f"   page without any QR code:        {_spread(bare)}")
    # The QR codes compared alone: the branded page around them costs the same to both.
    alone_stock, alone_ours = stock[median] - bare[median], ours[median] - bare[median]
    print(f"   ReportLab stock QrCodeWidget:     {_spread(stock)}  its QR code alone {alone_stock:.1f} ms, ours "
          f"{alone_ours:.1f} ms: {alone_stock / alone_ours:.1f}x faster (target >= 5x)")  # fmt: skip
    print(f"   ours without logos, signatures or stamp: {_spread(unbranded)}")
    return ours


def _spread(figures):
    return "–".join(f"{figure:.1f}" for figure in figures)


def _timed(function):
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def delivery_event(participants, branding):
    """A finished, branded event whose `participants` all completed it: (event, an administrator to close it, the
    prefix of its participants' addresses)."""
    from django.utils import timezone

    from certificates.designs import certificate_design_save
    from certificates.models import CertificateDesign, DesignSignatory
    from courses.models import Attendance, Course, CourseAudience, Enrollment, Event, Programme
    from lms.models import Audience, Institution, User

    stamp = time.time_ns()
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
    return event, closer, f"cert{stamp}-"


def _cpu_seconds(pid=None, command=None):
    """CPU time used so far, in seconds, by process `pid` and its children (a Celery worker's pool), or by every
    process running `command` (PostgreSQL's)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, fields = stat.read_text().rsplit(")", 1)
        except OSError:  # ended meanwhile
            continue
        fields = fields.split()
        if int(stat.parent.name) == pid or int(fields[1]) == pid or name.split("(", 1)[1] == command:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _own_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def worker_started(env):
    """A Celery worker with 2 processes for every queue, in a process group of its own, once it answers a ping."""
    from celery_app import app

    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "celery_app", "worker", "--concurrency=2",
                               "--loglevel=WARNING", "--without-gossip", "--without-mingle"],
                              cwd=ROOT, env=env, start_new_session=True)  # fmt: skip
    try:
        # A slow start (a busy machine) is waited for, not counted.
        deadline = time.monotonic() + 120
        while worker.poll() is None and time.monotonic() < deadline:
            if app.control.ping(timeout=1):
                return worker
        raise SystemExit("the Celery worker did not start")
    except BaseException:
        stopped(worker)
        raise


def delivery_timed(participants, branding, worker, counter):
    """Close an event of `participants` and wait for the last email: (certificates a second, worker CPU ms each)."""
    from courses.services import event_close
    from lms.models import OutgoingEmail

    event, closer, addresses = delivery_event(participants, branding)
    counter.accepted = 0
    cpu, smtp_cpu, database_cpu = _cpu_seconds(worker.pid), _own_cpu_seconds(), _cpu_seconds(command="postgres")
    start = counter.last = time.perf_counter()
    event_close(event=event, actor=closer)
    deadline = start + 300
    while counter.accepted < participants and time.perf_counter() < deadline:
        time.sleep(0.05)
    if not counter.accepted:
        raise SystemExit("no email was accepted within 300 s")
    elapsed = counter.last - start
    time.sleep(0.5)  # the last email's row is committed just after the server accepts it
    each = 1000 / max(counter.accepted, 1)
    cpu_ms = (_cpu_seconds(worker.pid) - cpu) * each
    smtp_ms = (_own_cpu_seconds() - smtp_cpu) * each
    database_ms = (_cpu_seconds(command="postgres") - database_cpu) * each
    sent = OutgoingEmail.objects.filter(to__startswith=addresses, status="sent").count()
    print(
        f"   {participants} certificates issued, {counter.accepted} emails accepted ({sent} marked sent) in "
        f"{elapsed:.1f} s = {counter.accepted / elapsed:.1f}/s, CPU a certificate: worker {cpu_ms:.1f} ms, "
        f"SMTP server (this process) {smtp_ms:.1f} ms, PostgreSQL {database_ms:.1f} ms"
    )
    return event, counter.accepted / elapsed, cpu_ms


def bench_delivery(participants, branding, runs, reference):
    from aiosmtpd.controller import Controller

    class Counter:
        accepted = 0
        last = 0.0

        async def handle_DATA(self, server, session, envelope):
            Counter.accepted += 1
            Counter.last = time.perf_counter()
            return "250 OK"

    port = free_port()
    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    worker = None
    rates, cpus, references = [], [], []
    print(f"2. delivery from closing to the last email accepted, 2 worker processes, {runs} runs; the reference is "
          f"one certificate rendered here just before each run")  # fmt: skip
    try:
        # The workers as deployed: DEBUG off.
        env = {**PRODUCTION, **os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "EMAIL_USE_TLS": "0"}
        worker = worker_started(env)
        for _run in range(runs):
            references.append(statistics.median(_timed(reference) for _ in range(20)))
            event, rate, cpu_ms = delivery_timed(participants, branding, worker, Counter)
            rates.append(rate)
            cpus.append(cpu_ms)
    finally:
        if worker is not None:
            stopped(worker)
        controller.stop()
    print(f"   certificates/s:                 {_spread(_least_median_most(rates))} (target >= 100/s)")
    print(f"   worker CPU per certificate, ms: {_spread(_least_median_most(cpus))} (target <= 10 ms)")
    print(f"   reference, one certificate rendered here, ms: {_spread(_least_median_most(references))}")
    return event


def _least_median_most(figures):
    return min(figures), statistics.median(figures), max(figures)


ZIP_MEMORY = """
import os, sys
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
def peak():
    # VmHWM, this program's own peak in kB: getrusage's ru_maxrss keeps the peak of the process it was forked from.
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
ready = peak()
exports.zip_start(event)
built = peak()
names = {{"given_name": "Bench", "family_name": "Administrator"}}
admin, _ = User.objects.get_or_create(email="bench-admin@example.test", defaults=names)
role_grant(user=admin, role=Role.ADMINISTRATOR)
client = Client()
client.force_login(admin)
from lms.mfa import SESSION_KEY
session = client.session
session[SESSION_KEY] = admin.pk  # signed in with the second factor, as administrators are
session.save()
response = client.get("/events/{event_id}/certificates.zip")
size = sum(len(chunk) for chunk in response.streaming_content)
print(ready, built, size, peak())
"""


def bench_zip(event_id, count):
    script = ZIP_MEMORY.format(root=str(ROOT), event_id=event_id)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=os.environ, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the ZIP could not be built:\n{done.stderr}")
    ready_kb, built_kb, size, peak_kb = (int(figure) for figure in done.stdout.split()[-4:])
    print(f"3. ZIP of {count} certificates: {size / 1e6:.1f} MB built and downloaded, peak memory of the process "
          f"{peak_kb / 1024:.0f} MB (target < 150 MB; {ready_kb / 1024:.0f} MB before building, "
          f"{built_kb / 1024:.0f} MB once built)")  # fmt: skip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    load_printed()
    create_database(os.environ["DATABASE_URL"])
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from certificates.models import Certificate
    from certificates.pdf import certificate_pdf

    branding = store_branding()
    bench_render(branding)
    certificate = sample_certificate(branding)
    event = bench_delivery(args.participants, branding, args.runs, lambda: certificate_pdf(certificate))
    bench_zip(event.pk, Certificate.objects.filter(enrollment__event=event).count())
    print(f"(this process: peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
