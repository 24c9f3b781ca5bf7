"""Settings come from the environment: each case runs in a fresh process."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-for-a-deploy-check-" + "x7Qz" * 10,
    "ALLOWED_HOSTS": "sinergia.example.org",
    "SITE_URL": "https://sinergia.example.org",
    "DATABASE_URL": "postgres://sinergia@db.example.org:5432/sinergia",
    "REDIS_URL": "redis://cache.example.org:6379/0",
}


def run(args, env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "VAR_DIR": str(ROOT / "var"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_settings(env, *names):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: str(getattr(settings, n, None)) for n in {list(names)!r}}}))"
    )
    result = run(["-c", code], {"DJANGO_SETTINGS_MODULE": "lms.settings", **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_deploy_check_is_clean_with_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize("site_url", ["http://sinergia.example.org", "https://localhost:8000", "https://127.0.0.1"])
def test_production_refuses_a_site_url_that_is_not_public_https(site_url):
    result = run(["manage.py", "check"], {**PRODUCTION, "SITE_URL": site_url})
    assert result.returncode != 0
    assert "lms.E001" in result.stderr and site_url in result.stderr


def test_production_without_redis_keeps_rate_limits_in_the_database():
    env = {key: value for key, value in PRODUCTION.items() if key != "REDIS_URL"}
    values = read_settings(env, "CACHES")
    assert "DatabaseCache" in values["CACHES"] and "sinergia_cache" in values["CACHES"]
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("configured, expected", [(None, "0"), ("1", "1")])
def test_only_the_proxies_said_to_be_there_are_trusted_with_the_visitors_address(configured, expected):
    env = PRODUCTION if configured is None else {**PRODUCTION, "TRUSTED_PROXY_COUNT": configured}
    assert read_settings(env, "ALLAUTH_TRUSTED_PROXY_COUNT") == {"ALLAUTH_TRUSTED_PROXY_COUNT": expected}


@pytest.mark.parametrize(
    "env, expected",
    [({}, "http://0.0.0.0:9000"), ({"SITE_URL": "https://sinergia.example.org"}, "https://sinergia.example.org")],
)
def test_make_run_links_to_the_address_it_serves_unless_told_otherwise(env, expected, tmp_path):
    # A stand-in for the virtual environment's python prints what each step would be given.
    (tmp_path / ".installed").touch()
    python = tmp_path / "python"
    python.write_text('#!/bin/sh\necho "SITE_URL=$SITE_URL $*"\n')
    python.chmod(0o755)
    result = subprocess.run(
        ["make", "-s", "run", f"VENV={tmp_path}", f"PY={python}", "HOST=0.0.0.0", "PORT=9000"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert f"SITE_URL={expected} manage.py runserver 0.0.0.0:9000" in result.stdout


def test_development_defaults_run_tasks_in_process_and_write_mail_to_files():
    values = read_settings({}, "CELERY_TASK_ALWAYS_EAGER", "EMAIL_BACKEND", "CACHES", "DATABASES", "TIME_ZONE")
    assert values["CELERY_TASK_ALWAYS_EAGER"] == "True"
    assert values["EMAIL_BACKEND"].endswith("filebased.EmailBackend")
    assert "LocMemCache" in values["CACHES"]
    assert "sqlite3" in values["DATABASES"] and "sinergia.sqlite3" in values["DATABASES"]
    assert values["TIME_ZONE"] == "Europe/Chisinau"


def test_the_log_says_when_tasks_run_in_process():
    result = run(["manage.py", "check"], {})
    assert "REDIS_URL is not set: Celery tasks run in-process" in result.stderr


def test_production_services_come_from_the_environment():
    env = {**PRODUCTION, "EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "587", "EMAIL_HOST_USER": "mailer"}
    values = read_settings(
        env, "CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL", "CACHES", "DATABASES", "EMAIL_BACKEND", "EMAIL_USE_TLS"
    )
    assert values["CELERY_TASK_ALWAYS_EAGER"] == "False"
    assert values["CELERY_BROKER_URL"] == PRODUCTION["REDIS_URL"]
    assert "RedisCache" in values["CACHES"]
    assert "postgresql" in values["DATABASES"] and "db.example.org" in values["DATABASES"]
    assert values["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert values["EMAIL_USE_TLS"] == "True"


@pytest.mark.parametrize("header", ["ro,en;q=0.5", "ru-RU,ru;q=0.9"])
def test_language_code_default_is_english_with_the_browser_honoured(header, client):
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "en"
    response = client.get("/", headers={"accept-language": header})
    assert response.headers["Content-Language"] == header[:2]
