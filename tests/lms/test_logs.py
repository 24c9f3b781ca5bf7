"""Logs an operator's collector can parse (LOG_FORMAT=json), tying each line to its request or task, naming no one."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lms.logs import JsonFormatter
from lms.models import OutgoingEmail
from lms.pictures import readable_picture
from lms.services import outgoing_email_queue
from lms.tasks import outbox_deliver
from tests.conftest import CELERY_TEST_PREFIX
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


def environment(tmp_path, **variables):
    """This run's environment for a fresh process, on a SQLite file of its own (nothing here reads a table)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings", "VAR_DIR": str(tmp_path), **variables}
    env.pop("DATABASE_URL", None)
    return env


def json_lines(text):
    """Every line of `text` as the object it holds: a line that is not one JSON object fails the test."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def logged():
    """The lines logged meanwhile, written as LOG_FORMAT=json writes them; a callable returning them parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    yield lambda: json_lines(stream.getvalue())
    logging.getLogger().removeHandler(handler)


def test_a_requests_log_line_is_json_carrying_the_request_id_its_response_shows(tmp_path):
    code = """
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
print(client.get("/no-such-page/")["X-Request-ID"])
print(client.get("/no-such-page/", HTTP_X_REQUEST_ID="lb-7f3a-42")["X-Request-ID"])
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment(tmp_path, LOG_FORMAT="json"),
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    made, given = result.stdout.split()
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert given == "lb-7f3a-42"
    lines = json_lines(result.stderr)
    not_found = [line for line in lines if line["message"] == "Not Found: /no-such-page/"]
    assert [line["request_id"] for line in not_found] == [made, given]
    assert {line["level"] for line in not_found} == {"WARNING"}
    assert not_found[0]["logger"] == "django.request"
    assert not_found[0].keys() >= {"time", "level", "logger", "message", "request_id", "task_id", "task_name"}


@pytest.mark.parametrize("given", ["two words", "<script>", "a" * 65, "id\nforged line"])
def test_an_invalid_incoming_request_id_is_replaced(client, given):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=given)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_the_longest_valid_request_id_is_kept(client):
    given = "A-" + "7" * 62
    assert client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given


@pytest.mark.django_db
def test_an_email_failing_for_good_is_logged_by_id_within_its_task_never_by_address(smtp_server, logged):
    # The server's refusal quotes the address; the row keeps it for administrators, the log does not.
    smtp_server.refuse_with = "550 5.1.1 <ion.rusu@example.test>: Recipient address rejected"
    email = outgoing_email_queue(to="ion.rusu@example.test", subject="Certificat", body_text="...")
    outbox_deliver.apply(args=[email.pk], task_id="e5b1c0de-task")
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert "ion.rusu@example.test" in email.last_error

    [line] = [line for line in logged() if line["level"] == "WARNING" and line["logger"] == "lms.services"]
    assert line["message"] == f"Email {email.pk} failed for good: SMTPDataError"
    assert (line["task_id"], line["task_name"]) == ("e5b1c0de-task", "lms.outbox_deliver")
    ours = [line for line in logged() if line["logger"] != "mail.log"]  # mail.log: the SMTP server standing in
    assert "ion.rusu" not in json.dumps(ours)


def test_an_exception_comes_with_its_traceback(logged):
    assert readable_picture("branding/missing.png") is None
    [line] = logged()
    assert line["level"] == "ERROR"
    assert line["exception"].startswith("Traceback")
    assert "FileNotFoundError" in line["exception"]
    assert line["task_id"] is None and line["request_id"] is None


@pytest.mark.services
def test_a_worker_logs_json_lines_with_the_task_id(tmp_path, celery_broker):
    log = tmp_path / "worker.log"
    env = environment(tmp_path, LOG_FORMAT="json", REDIS_URL=celery_broker.conf.broker_url,
                      CELERY_KEY_PREFIX=CELERY_TEST_PREFIX)  # fmt: skip
    with log.open("w") as stderr:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "celery_app", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip
    try:
        task_id = outbox_deliver.delay("not-an-id").id  # a malformed message: the task raises
        assert wait_until(lambda: task_id in log.read_text() and "raised" in log.read_text(), timeout=60)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    # Python's warnings (Celery's about running as root) are not log lines; no log line is in another format.
    text = log.read_text()
    assert not re.search(r"^(\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d)", text, re.MULTILINE), text
    lines = json_lines("\n".join(line for line in text.splitlines() if line.startswith("{")))
    assert any(line["message"].startswith("Connected to redis://") for line in lines)
    failed = [line for line in lines if line["task_id"] == task_id and line["level"] == "ERROR"]
    assert failed and failed[0]["task_name"] == "lms.outbox_deliver"
    assert "ValueError" in failed[0]["message"]


def test_an_unknown_log_format_stops_the_start(tmp_path):
    env = environment(tmp_path, LOG_FORMAT="yaml")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert """LOG_FORMAT must be "plain" or "json", not 'yaml'.""" in result.stderr
