"""System checks for production settings (DEBUG off): `manage.py check`, `migrate` and `runserver` stop on errors."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
PER_PROCESS_CACHES = {"django.core.cache.backends.locmem.LocMemCache"}


def site_url_check(app_configs=None, **kwargs):
    """Emailed links and certificates' QR codes point at SITE_URL: in production it must reach the site, over HTTPS."""
    if settings.DEBUG:
        return []
    url = urlsplit(settings.SITE_URL)
    if url.scheme == "https" and url.hostname and url.hostname not in LOCAL_HOSTS:
        return []
    return [
        Error(
            f"SITE_URL is {settings.SITE_URL!r} with DEBUG off.",
            hint="Set SITE_URL to the site's public https:// address, e.g. https://training.example.org.",
            id="lms.E001",
        )
    ]


def cache_check(app_configs=None, **kwargs):
    """Rate limits count in the cache: kept in each process's memory, every worker process has its own allowance."""
    if settings.DEBUG:
        return []
    return [
        Error(
            f"The {alias!r} cache keeps its data in each process's memory with DEBUG off.",
            hint="Set REDIS_URL, or use Django's database cache (the default when REDIS_URL is unset).",
            id="lms.E002",
        )
        for alias, config in settings.CACHES.items()
        if config.get("BACKEND") in PER_PROCESS_CACHES
    ]


def storage_check(app_configs=None, **kwargs):
    """Certificates and copies of personal data cross the network to the bucket: over plain http, anyone on the way
    reads them."""
    if settings.DEBUG:
        return []
    endpoint = urlsplit(settings.STORAGES["default"].get("OPTIONS", {}).get("endpoint_url") or "")
    if endpoint.scheme != "http" or endpoint.hostname in LOCAL_HOSTS:
        return []
    return [
        Warning(
            f"Stored files go to {endpoint.hostname} over plain http with DEBUG off.",
            hint="Reach the bucket over https: s3:// (not s3+http://) in STORAGE_URL, https:// in AWS_S3_ENDPOINT_URL.",
            id="lms.W001",
        )
    ]
