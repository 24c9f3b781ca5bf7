import pytest
from django.core.checks import run_checks
from django.test import override_settings

from lms.checks import cache_check, site_url_check

DATABASE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "sinergia_cache"}}
MEMORY_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.mark.parametrize(
    "site_url",
    [
        "http://training.example.org",
        "https://localhost",
        "https://127.0.0.1:8000",
        "https://[::1]:8000",
        "https://0.0.0.0",
        "training.example.org",
    ],
)
def test_without_debug_the_site_url_must_be_a_public_https_address(site_url):
    with override_settings(DEBUG=False, SITE_URL=site_url):
        assert [error.id for error in site_url_check()] == ["lms.E001"]


def test_a_public_https_site_url_passes():
    with override_settings(DEBUG=False, SITE_URL="https://training.example.org"):
        assert site_url_check() == []


def test_in_development_a_local_site_url_is_fine():
    with override_settings(DEBUG=True, SITE_URL="http://127.0.0.1:8000"):
        assert site_url_check() == []


def test_without_debug_a_per_process_cache_is_an_error():
    with override_settings(DEBUG=False, CACHES=MEMORY_CACHE):
        assert [error.id for error in cache_check()] == ["lms.E002"]
    with override_settings(DEBUG=False, CACHES=DATABASE_CACHE):
        assert cache_check() == []
    with override_settings(DEBUG=True, CACHES=MEMORY_CACHE):
        assert cache_check() == []


def test_the_checks_run_with_the_projects_own():
    with override_settings(DEBUG=False, SITE_URL="http://127.0.0.1:8000", CACHES=MEMORY_CACHE):
        ids = {message.id for message in run_checks()}
    assert {"lms.E001", "lms.E002"} <= ids
