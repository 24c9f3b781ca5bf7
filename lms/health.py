"""Health checks for load balancers: /healthz (the process answers) and /readyz (so do the services it needs).

Both are answered by lms.middleware.OperatorEndpointsMiddleware, before host validation and sign-in. Their
bodies say only "ok" or what failed, never where a service is (hosts, ports, names): the reason goes to the log.
"""

import logging
import threading
import uuid
from concurrent.futures import Future, wait

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control

from celery_app import app as celery_app

logger = logging.getLogger(__name__)
# /readyz answers within a second whatever hangs; a check still running then is "timeout".
DEADLINE_SECONDS = 0.8
BROKER_TIMEOUT_SECONDS = 0.5
PROBE_NAME = "readyz-probe"


def database_check():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def cache_check():
    # A key of its own each time: web servers probed at once must not read each other's value.
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return the value just set")


def broker_check():
    options = {"socket_timeout": BROKER_TIMEOUT_SECONDS, "socket_connect_timeout": BROKER_TIMEOUT_SECONDS}
    with celery_app.connection_for_write(connect_timeout=BROKER_TIMEOUT_SECONDS, transport_options=options) as broker:
        broker.ensure_connection(max_retries=0)


def storage_check():
    default_storage.exists(PROBE_NAME)


def readiness_checks():
    """{name: check}; the broker only when Celery has one (tasks do not run in-process)."""
    checks = {"database": database_check, "cache": cache_check, "storage": storage_check}
    if not celery_app.conf.task_always_eager:
        checks["broker"] = broker_check
    return checks


# At most one thread per check at a time: a service that hangs for minutes holds one thread, not one per probe;
# probes arriving meanwhile wait for that thread's answer.
_running = {}
_running_lock = threading.Lock()


def _check_started(name, check):
    with _running_lock:
        if name not in _running:
            _running[name] = Future()
            threading.Thread(target=_check_run, args=(name, check), name=f"readyz-{name}", daemon=True).start()
        return _running[name]


def _check_run(name, check):
    outcome = "failed"
    try:
        check()
        outcome = "ok"
    except Exception as error:  # noqa: BLE001 - whatever fails, the probe answers "failed" and the log says why
        logger.warning("Readiness check %s failed: %s: %s", name, type(error).__name__, error)
    finally:
        # This thread's own database connections (the database check's, a database cache's) end with it.
        connections.close_all()
        with _running_lock:
            _running.pop(name).set_result(outcome)


def readiness():
    """{name: "ok" | "failed" | "timeout"} of every check, within DEADLINE_SECONDS."""
    futures = {name: _check_started(name, check) for name, check in readiness_checks().items()}
    wait(futures.values(), timeout=DEADLINE_SECONDS)
    outcomes = {name: future.result() if future.done() else "timeout" for name, future in futures.items()}
    for name, outcome in outcomes.items():
        if outcome == "timeout":
            logger.warning("Readiness check %s did not answer within %s s", name, DEADLINE_SECONDS)
    return outcomes


def healthz(request):
    response = HttpResponse("ok\n", content_type="text/plain")
    patch_cache_control(response, no_store=True)
    return response


def readyz(request):
    checks = readiness()
    ready = all(outcome == "ok" for outcome in checks.values())
    body = {"status": "ready" if ready else "not ready", "checks": checks}
    response = JsonResponse(body, status=200 if ready else 503)
    patch_cache_control(response, no_store=True)
    return response
