"""Fault drills for certificate delivery: each prints what it saw.

    .venv/bin/python bench/drills.py [--participants 200] [--only kill|redis|smtp]

1. kill:  a worker killed with SIGKILL in the middle of the deliveries; all delivered, duplicates counted.
2. redis: Redis stopped for 30 seconds during issuance (it keeps nothing on disk, so what was queued
          is gone); all delivered after it returns.
3. smtp:  the SMTP server refusing (451) for 60 seconds; all delivered afterwards, none marked sent
          before the server accepted it.

Needs PostgreSQL (DATABASE_URL, default a database sinergia_bench_drills) and the redis-server
program: each drill runs its own Redis on a free port, so the machine's is never touched. What a
periodic beat task would do (requeue undelivered certificates and stuck emails) the drill does
itself every few seconds.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.support import create_database  # noqa: E402

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sinergia_bench_drills")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
os.environ.setdefault("LOG_LEVEL", "ERROR")
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "drills-media"))
os.environ.setdefault("CELERY_KEY_PREFIX", "drills:")
os.environ["OUTBOX_RETRY_BASE_SECONDS"] = "3"
os.environ["OUTBOX_STUCK_AFTER_SECONDS"] = "20"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Redis:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(self.port),
                        "--save", "", "--appendonly", "no"], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        for _ in range(50):
            if subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).returncode == 0:
                return
            time.sleep(0.1)

    def stop(self):
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True)


class Mailbox:
    """An SMTP server on loopback that can refuse for a while; keeps when each recipient was accepted."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.accepted, self.refusing_until, self.lock = [], 0.0, threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    async def handle_DATA(self, server, session, envelope):
        if time.time() < self.refusing_until:
            return "451 4.3.0 Try again later"
        with self.lock:
            self.accepted.extend((recipient, time.time()) for recipient in envelope.rcpt_tos)
        return "250 OK"


def use_broker(redis):
    """This process sends its tasks to the drill's Redis, as the web process would."""
    import kombu.pools
    from django.conf import settings

    from celery_app import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url=redis.url, task_always_eager=False)
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def worker(redis, mailbox):
    env = {**os.environ, "REDIS_URL": redis.url, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(mailbox.port),
           "EMAIL_USE_TLS": "0"}  # fmt: skip
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "celery_app", "worker", "--concurrency=2",
                             "--loglevel=ERROR", "--without-gossip",
                             "--without-mingle"], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def kill(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def closed_event(participants, stamp):
    """An event of `participants` who all attended, ready to close."""
    from django.utils import timezone

    from courses.models import Attendance, Course, CourseAudience, Enrollment, Event, Programme
    from lms.models import Audience, Institution, User

    # Yesterday: its last day has ended, so it closes as any finished training does.
    today = timezone.localdate() - timedelta(days=1)
    funder, _created = Institution.objects.get_or_create(name="Drill funder", defaults={"kind": "international"})
    programme = Programme.objects.create(code=f"DRILL-{stamp}", title_en="Drill", funder=funder, starts_on=today,
                                         ends_on=today)  # fmt: skip
    course = Course.objects.create(slug=f"drill-{stamp}", title_en="Drill course", activity_type="course")
    CourseAudience.objects.create(course=course, audience=Audience.JUDGE)
    event = Event.objects.create(course=course, programme=programme, start_date=today, end_date=today,
                                 working_language="ro", capacity=participants, status=Event.Status.PUBLISHED,
                                 enrollment_closes_at=timezone.now() - timedelta(days=1), city="Chișinău")  # fmt: skip
    users = User.objects.bulk_create(
        User(email=f"drill{stamp}-{n}@example.test", given_name="Ion", family_name=f"Rusu {n}", profession="judge")
        for n in range(participants)
    )
    enrollments = Enrollment.objects.bulk_create(Enrollment(event=event, user=u, status="confirmed") for u in users)
    Attendance.objects.bulk_create(Attendance(enrollment=e, date=today, status="present") for e in enrollments)
    closer = {"given_name": "Drill", "family_name": "Admin", "is_superuser": True}
    User.objects.get_or_create(email="drill-closer@example.test", defaults=closer)
    return event, {user.email for user in users}


def wait_for(condition, timeout=120):
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            raise SystemExit("the drill's deliveries did not start")
        time.sleep(0.05)


def sweep():
    """What the beat's periodic tasks do: hand lost work to a worker again."""
    from certificates.services import certificates_requeue_undelivered
    from lms.services import outgoing_email_requeue_stuck

    try:
        return certificates_requeue_undelivered(older_than=timedelta(seconds=20)), outgoing_email_requeue_stuck()
    except Exception as error:  # noqa: BLE001 - a broker that is still down: the next sweep retries
        return f"sweep failed: {type(error).__name__}"


def wait_all(mailbox, wanted, timeout=300):
    start = time.time()
    while time.time() - start < timeout:
        if wanted <= {recipient for recipient, _at in mailbox.accepted}:
            return time.time() - start
        time.sleep(5)
        sweep()
    raise SystemExit(f"not all delivered after {timeout} s")


def report(name, mailbox, wanted, elapsed, extra=""):
    from lms.models import OutgoingEmail

    received = [recipient for recipient, _at in mailbox.accepted if recipient in wanted]
    sent = OutgoingEmail.objects.filter(to__in=wanted, status="sent").count()
    duplicates = len(received) - len(set(received))
    print(f"{name}: {len(set(received))}/{len(wanted)} delivered in {elapsed:.0f} s, {duplicates} duplicates, "
          f"{sent} marked sent{extra}")  # fmt: skip


class Drill:
    """One drill's own Redis, SMTP server, event of `participants`, and worker process."""

    def __init__(self, participants):
        self.redis, self.mailbox = Redis(), Mailbox()
        self.redis.start()
        use_broker(self.redis)
        self.event, self.wanted = closed_event(participants, int(time.time()))
        self.process = worker(self.redis, self.mailbox)
        time.sleep(4)  # the worker's start, not counted

    def close_event(self):
        from courses.services import event_close
        from lms.models import User

        closer = User.objects.get(email="drill-closer@example.test")
        event_close(event=self.event, actor=closer)

    def accepted(self):
        return len(self.mailbox.accepted)

    def finish(self, name, extra=lambda: ""):
        """Wait until everyone has their certificate, stop everything, print what was seen (and `extra()`)."""
        try:
            elapsed = wait_all(self.mailbox, self.wanted)
        finally:
            kill(self.process)
            self.redis.stop()
        report(name, self.mailbox, self.wanted, elapsed, extra())


def drill_kill(participants):
    drill = Drill(participants)
    drill.close_event()
    wait_for(lambda: drill.accepted() >= participants // 4)
    kill(drill.process)
    killed_at = drill.accepted()
    drill.process = worker(drill.redis, drill.mailbox)
    drill.finish("1. worker killed (SIGKILL)", lambda: f"; killed after {killed_at} accepted")


def drill_redis(participants):
    drill = Drill(participants)
    drill.close_event()
    wait_for(lambda: drill.accepted() >= participants // 10)
    drill.redis.stop()
    stopped_at = drill.accepted()
    time.sleep(30)
    drill.redis.start()  # empty: what was queued in it is gone
    drill.finish("2. Redis stopped for 30 s", lambda: f"; stopped after {stopped_at} accepted")


def drill_smtp(participants):
    from lms.models import OutgoingEmail

    drill = Drill(participants)
    drill.mailbox.refusing_until = time.time() + 60
    drill.close_event()
    time.sleep(50)
    early = OutgoingEmail.objects.filter(to__in=drill.wanted, status="sent").count()

    def premature():
        """Emails marked sent before the server accepted them."""
        accepted = {}
        for recipient, at in drill.mailbox.accepted:
            accepted.setdefault(recipient, at)
        return sum(
            1 for email in OutgoingEmail.objects.filter(to__in=drill.wanted, status="sent")
            if email.sent_at.timestamp() < accepted.get(email.to, float("inf")) - 0.001
        )  # fmt: skip

    drill.finish(
        "3. SMTP refusing for 60 s",
        lambda: f"; marked sent while refusing: {early}; marked sent before acceptance: {premature()}",
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--only", choices=["kill", "redis", "smtp"])
    args = parser.parse_args()
    create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    drills = {"kill": drill_kill, "redis": drill_redis, "smtp": drill_smtp}
    for name, drill in drills.items():
        if args.only in (None, name):
            drill(args.participants)


if __name__ == "__main__":
    main()
