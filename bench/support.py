"""What the benchmark scripts share."""

import atexit
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parents[1]


def load_printed():
    """Print the machine's load average now and when the script ends: a run on a busy machine shows as such."""

    def show(when):
        loads = " ".join(f"{load:.2f}" for load in os.getloadavg())
        print(f"load average {when}: {loads} (1, 5, 15 minutes; {os.cpu_count()} cores)")

    show("at start")
    atexit.register(show, "at the end")


def free_port():
    """A port the operating system gives (the tests use it too)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of our own on a free port, keeping nothing on disk, which a drill or a test may stop (never
    the machine's Redis)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(self.port),
                        "--save", "", "--appendonly", "no"], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True)


def create_database(url):
    """Create the PostgreSQL database `url` names, when it does not exist yet."""
    config = dj_database_url.parse(url)
    with psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"], dbname="postgres",
                         autocommit=True) as connection:  # fmt: skip
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            connection.execute(f'CREATE DATABASE "{config["NAME"]}"')


# As deployed (DEBUG off: no query log, no template debugging), over plain HTTP as the benchmarks speak it.
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-" + "k" * 60,
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "SECURE_HSTS_SECONDS": "0",
    "BEHIND_HTTPS_PROXY": "0",
}


def production_settings():
    """Set the environment for production settings, unless the caller set otherwise."""
    for name, value in PRODUCTION.items():
        os.environ.setdefault(name, value)


def spreads_ms(runs, *calls):
    """(min, median, max) time of each call, run in turn so that a slower spell of the machine weighs on all alike."""
    for call in calls:
        call()
    times = [[] for _call in calls]
    for _ in range(runs):
        for call, measured in zip(calls, times, strict=True):
            start = time.perf_counter()
            call()
            measured.append((time.perf_counter() - start) * 1000)
    return [(min(measured), statistics.median(measured), max(measured)) for measured in times]


def medians_ms(runs, *calls):
    return [median for _least, median, _most in spreads_ms(runs, *calls)]


def signed_in_sessions(users):
    """A session key per user, as if each had signed in: {user pk: key}."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    keys = {}
    for user in users:
        session = SessionStore()
        session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                        HASH_SESSION_KEY: user.get_session_auth_hash()})  # fmt: skip
        session.create()
        keys[user.pk] = session.session_key
    return keys


def gunicorn(port, env, workers=3, threads=8):
    """gunicorn serving the site on 127.0.0.1:`port` with `env` (its static files collected first), once it answers."""
    env = {**env, "ALLOWED_HOSTS": "127.0.0.1"}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "lms.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--worker-class", "gthread", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,  # its own process group: stopping it stops its workers
    )  # fmt: skip
    # A slow start (a busy machine) is waited for; a server that never answers is stopped, not left behind.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return server
        except OSError:  # refused, reset or timed out (urllib's errors are OSErrors too)
            time.sleep(0.2)
    server.kill()
    server.wait()
    raise SystemExit("gunicorn did not start")


def stopped(process, timeout=60):
    """Stop `process` and its children (its own process group): SIGTERM, then SIGKILL if they linger."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
