"""Prometheus metrics at /metrics: django-prometheus's requests by view, method and status, and the application's
own figures (outbox, task failures, and those other apps register), read from the database and cache at each scrape.

/metrics answers the addresses in METRICS_ALLOWED_ADDRESSES only, and never a request that came through the
reverse proxy: anyone else meets the site's ordinary "not found" (lms.middleware.OperatorEndpointsMiddleware).
"""

import functools
import ipaddress
import logging
import os

from celery.signals import task_failure
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from celery_app import app as celery_app

from .models import OutgoingEmail

logger = logging.getLogger(__name__)
# Headers a reverse proxy adds: a request carrying one came from outside, even from a proxy on 127.0.0.1.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


@functools.cache
def allowed_networks(addresses):
    """The networks of METRICS_ALLOWED_ADDRESSES (a tuple); a wrong entry stops the server at start-up."""
    networks = []
    for address in addresses:
        try:
            networks.append(ipaddress.ip_network(address, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"METRICS_ALLOWED_ADDRESSES: {address!r} is not an IP address or network (e.g. 10.0.0.5, 10.0.0.0/24)."
            ) from None
    return networks


def metrics_allowed(request):
    if any(header in request.META for header in PROXY_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    # An IPv4 client of a server listening on IPv6 arrives as ::ffff:a.b.c.d.
    address = getattr(address, "ipv4_mapped", None) or address
    return any(address in network for network in allowed_networks(tuple(settings.METRICS_ALLOWED_ADDRESSES)))


class ScrapeCollector:
    """A function yielding metric families, called at each scrape.

    A figure that cannot be read (the database is down) is left out and logged: the scrape still returns the
    others, and /readyz says what is down.
    """

    def __init__(self, read):
        self.read = read

    def collect(self):
        try:
            return list(self.read())
        except Exception:  # noqa: BLE001 - one unreadable figure must not fail the whole scrape
            logger.warning("Metric %s could not be read", self.read.__name__, exc_info=True)
            return []


# The application's figures. Apps above lms, which lms may not import, register theirs from their
# AppConfig.ready() (certificates/apps.py: certificates/metrics.py).
application = CollectorRegistry(auto_describe=False)


def collector_register(read):
    """Call `read` (a function yielding metric families) at each scrape of /metrics."""
    application.register(ScrapeCollector(read))
    return read


@collector_register
def outbox_emails():
    counts = dict(OutgoingEmail.objects.order_by().values_list("status").annotate(Count("pk")))
    family = GaugeMetricFamily("sinergia_outbox_emails", "Emails in the outbox, by state.", labels=["state"])
    for state in OutgoingEmail.Status.values:
        family.add_metric([state], counts.get(state, 0))
    yield family


def task_failures_key(name):
    return f"metrics:task_failures:{name}"


def task_failure_count(sender, **kwargs):
    """Count a failed task in the cache: workers run on other machines than the web server that is scraped."""
    key = task_failures_key(sender.name)
    cache.add(key, 0, timeout=None)
    cache.incr(key)


# Connected on import, in every process: web servers import this module with their middleware, and workers
# through certificates' AppConfig.ready() (its gauge is registered here).
task_failure.connect(task_failure_count, dispatch_uid="lms.metrics.task_failure_count")


@functools.cache
def task_names():
    # A web server imports the apps' tasks modules only as it uses them; workers import them all at start.
    celery_app.autodiscover_tasks(force=True)
    return sorted(name for name in celery_app.tasks if not name.startswith("celery."))


@collector_register
def task_failures():
    names = task_names()
    counts = cache.get_many([task_failures_key(name) for name in names])
    family = CounterMetricFamily(
        "sinergia_task_failures", "Celery tasks that raised, by task, counted by the workers.", labels=["task"]
    )
    for name in names:
        family.add_metric([name], counts.get(task_failures_key(name), 0))
    yield family


def metrics(request):
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        # Several worker processes (gunicorn): each writes its counts to files there, read together here.
        processes = CollectorRegistry()
        MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    response = HttpResponse(generate_latest(processes) + generate_latest(application), content_type=CONTENT_TYPE_LATEST)
    patch_cache_control(response, no_store=True)
    return response
