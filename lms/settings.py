"""Settings for Sinergia, read from the environment with safe development defaults.

Every variable is listed with its default in README.md ("Settings").
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

from lms.storage import default_storage_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
# Local state (SQLite, mail files, collected static files) lives under var/.
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-key-never-used-in-production-0123456789abcdef"

# The site's address, for links in emails and calendar files; `make run` sets it to the address it serves.
# With DEBUG off it must be the public https:// address (lms/checks.py).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "lms",
    "courses",
    "certificates",
    "evaluation",
    "stats",
    "privacy",
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_prometheus",
]

MIDDLEWARE = [
    # Requests counted and timed from here to PrometheusAfterMiddleware, the last (lms/metrics.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "lms.logs.RequestIdMiddleware",
    # /healthz, /readyz and /metrics: before host validation and the HTTPS redirect (lms/middleware.py).
    "lms.middleware.OperatorEndpointsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lms.middleware.PreferredLanguageMiddleware",
    "lms.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lms.middleware.MultiFactorRequiredMiddleware",
    "lms.middleware.PrivacyNoticeMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.context_processors.navigation",
            ],
        },
    },
]

# Form widgets render with the site's templates (a lighter <select> among them).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: a SQLite file under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sinergia.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Without a timeout, a Celery worker and the web process writing at once
    # fail with "database is locked" instead of waiting their turn.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Take the write lock when a transaction starts, so a transaction that reads
    # (e.g. seats taken) then writes never works from a stale read.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # Tests that start a worker thread need a database file both connections share.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "lms.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# django-allauth: email is the login, verified before the first sign-in.
ACCOUNT_ADAPTER = "lms.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# One address per account: a new one replaces it once confirmed; until then its owner
# may still sign up with it (lms/adapters.py).
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_FORMS = {"signup": "lms.adapters.SignupForm"}
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_SIGNUP_FORM_CLASS = "lms.forms.SignupForm"
ACCOUNT_RATE_LIMITS_ENABLED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Sinergia] "
# Wrong passwords and wrong two-factor codes both count as failed sign-ins (allauth's own limits, said here so
# they stay on): 10 a minute from one address, 5 in 5 minutes on one account.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}

# Two-factor authentication (allauth.mfa): an authenticator app, or a security key, with recovery codes for
# a lost device. Required of the roles lms.roles says ("mfa.required": lms.middleware), offered to everyone.
MFA_ADAPTER = "lms.mfa.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Sinergia"
# Security keys are checked against an https:// origin; the development server is plain http (browsers offer
# them at http://localhost:8000, never at an IP address such as 127.0.0.1).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Languages: English, Romanian, Russian; the browser's choice is honoured.
LANGUAGE_CODE = env("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("ro", _("Romanian")), ("ru", _("Russian"))]
# locale_overrides/ corrects allauth's and Django's own ro and ru texts; `make messages` extracts into locale/ only.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
USE_I18N = True
# Day-month-year dates, lowercase Romanian months, 24-hour times (lms/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["lms.formats"]
# Catalog texts are written in any of the three languages; a missing
# translation falls back to one that exists.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "ro", "ru")}
MODELTRANSLATION_REQUIRED_LANGUAGES = ()
TIME_ZONE = env("TIME_ZONE", "Europe/Chisinau")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", VAR_DIR / "media"))
# In development whitenoise serves files straight from the source folders.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG
# Stored files (certificates, ZIPs, copies of personal data, logos): private objects in an S3-compatible bucket
# when STORAGE_URL or AWS_STORAGE_BUCKET_NAME names one, so that every web server and worker sees the same files;
# otherwise under MEDIA_ROOT (lms/storage.py). STORAGE_URL holds a secret: it is read here, never kept as a setting.
STORAGES = {
    "default": default_storage_config(storage_url=env("STORAGE_URL"), environ=os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Redis: when REDIS_URL (or CELERY_BROKER_URL) is set, Celery uses a real broker
# and the cache (rate limits) lives in Redis; otherwise tasks run in-process.
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # In-process tasks need no broker; naming the in-memory one keeps Celery from looking for one.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
# Queues: emails, certificates and heavy reports each have their own, so that a 1,000-certificate ZIP
# never keeps a password-reset email waiting. A worker started without -Q reads them all. A task no route
# names goes with the long work, where it delays no email.
CELERY_TASK_QUEUES = [Queue(name, Exchange(name), routing_key=name) for name in ("email", "certificates", "reports")]
CELERY_TASK_DEFAULT_QUEUE = "reports"
CELERY_TASK_ROUTES = {
    "lms.*": {"queue": "email"},
    "courses.send_reminders": {"queue": "email"},
    "evaluation.surveys_due": {"queue": "email"},
    "certificates.build_zip": {"queue": "reports"},
    "certificates.*": {"queue": "certificates"},
    "privacy.*": {"queue": "reports"},
}
# A task a worker took and never acknowledged (the worker died with it) goes back to its queue this many seconds
# after it was taken: Redis cannot tell a dead worker from a slow one. So a task acknowledged when it ends must end
# well within it (the time limits below), and none waits in a worker for a countdown: retries are the sweeps' work.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Every key Celery keeps in Redis starts with this prefix: several sites (or test runs) can share one Redis.
    "global_keyprefix": env("CELERY_KEY_PREFIX"),
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Every live worker looks for such tasks every 5 seconds (kombu's default: every 100)...
    "unacked_restore_interval": 5,
    "unacked_restore_throttle": 1,
    # ...and one killed while looking holds the others back 30 seconds at most (kombu's default: 300).
    "unacked_mutex_expire": 30,
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only when it finished, so a worker killed mid-task
# leaves it to another worker: it must end within the visibility timeout.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker takes a message only when one of its processes is free: one waiting in a busy worker (behind a report,
# acknowledged when it started) would outlive the visibility timeout, and be handed to a second worker as well.
CELERY_WORKER_DISABLE_PREFETCH = True
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", CELERY_VISIBILITY_TIMEOUT * 2 // 3)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", CELERY_VISIBILITY_TIMEOUT * 5 // 6)
if CELERY_TASK_TIME_LIMIT >= CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured(
        "CELERY_TASK_TIME_LIMIT must be below CELERY_VISIBILITY_TIMEOUT, or a second worker starts a running task."
    )
# Heavy reports run for minutes: they are acknowledged when they start, so that no second worker ever starts one
# still running. One whose worker dies is lost: its page shows it failed and offers it again (certificates/exports.py,
# privacy/exports.py); the retention runs again the next night.
CELERY_REPORTS_SOFT_TIME_LIMIT = env_int("CELERY_REPORTS_SOFT_TIME_LIMIT", 240)
CELERY_REPORTS_TIME_LIMIT = env_int("CELERY_REPORTS_TIME_LIMIT", 300)
CELERY_TASK_ANNOTATIONS = dict.fromkeys(
    ("certificates.build_zip", "privacy.data_export_build", "privacy.retention_apply"),
    {"acks_late": False, "soft_time_limit": CELERY_REPORTS_SOFT_TIME_LIMIT, "time_limit": CELERY_REPORTS_TIME_LIMIT},
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# One beat sends the periodic tasks (lms/beat.py): the one holding a lock in Redis for this many seconds, renewed
# as it runs. Another beat stands by and takes over once the lock of one that stopped expires.
CELERY_BEAT_SCHEDULER = "lms.beat:LockedScheduler"
CELERY_BEAT_LOCK_SECONDS = env_int("CELERY_BEAT_LOCK_SECONDS", 60)
# A sweep sent while no worker reads its queue expires after its interval: the next one does its work.
CELERY_BEAT_SCHEDULE = {
    # Emails whose next attempt is due, and those whose task was lost: one indexed query.
    "requeue-stuck-emails": {"task": "lms.outbox_requeue_stuck", "schedule": 30.0, "options": {"expires": 30}},
    # Hourly, so a missed hour costs nothing: each reminder is sent once.
    "enrollment-reminders": {"task": "courses.send_reminders", "schedule": 3600.0},
    # Only tasks lost with the broker's data: a worker that dies gives its tasks back itself.
    "requeue-undelivered-certificates": {"task": "certificates.requeue_undelivered", "schedule": 300.0},
    "evaluation-surveys": {"task": "evaluation.surveys_due", "schedule": 3600.0},
    # Nightly, out of office hours: the inactivity warnings it sends arrive by morning.
    "retention": {"task": "privacy.retention_apply", "schedule": crontab(hour=3, minute=30)},
    "lost-data-exports": {"task": "privacy.data_exports_lost_fail", "schedule": 60.0, "options": {"expires": 60}},
}
# Questionnaires: one reminder to those who have not answered after this many days; closed after this many.
EVALUATION_REMINDER_DAYS = env_int("EVALUATION_REMINDER_DAYS", 3)
EVALUATION_CLOSE_DAYS = env_int("EVALUATION_CLOSE_DAYS", 14)
# A questionnaire's results show once this many people have answered it (3 at least: fewer could tell who said what).
EVALUATION_MIN_ANSWERS = max(3, env_int("EVALUATION_MIN_ANSWERS", 5))
# A copy of a person's data ("My data") can be downloaded for this many days, then it is deleted.
PRIVACY_EXPORT_DAYS = env_int("PRIVACY_EXPORT_DAYS", 7)
# The follow-up questionnaire is sent this many months after the event's last day.
EVALUATION_FOLLOW_UP_MONTHS = env_int("EVALUATION_FOLLOW_UP_MONTHS", 3)
# Knowledge tests: the post-test stays open this many days after the event's last day ends.
EVALUATION_POST_TEST_DAYS = env_int("EVALUATION_POST_TEST_DAYS", 14)
# Facilitators' scorecards: the share of 4s and 5s below which a facilitator is flagged, and the fewest ratings
# shown as a figure (fewer say "not enough answers").
EVALUATION_SATISFACTION_THRESHOLD = env_int("EVALUATION_SATISFACTION_THRESHOLD", 80)
EVALUATION_MIN_RATINGS = env_int("EVALUATION_MIN_RATINGS", 5)

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Rate limits must hold across processes: without Redis they count in a table
    # (`manage.py createcachetable`) rather than in each process's memory.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "sinergia_cache"}}

# Email: files under var/mail/ to open by hand, or SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Sinergia <no-reply@sinergia.local>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# The issuer printed on certificates of events without organisers.
CERTIFICATE_ISSUER = env("CERTIFICATE_ISSUER", "Sinergia")

# Outbox: how many times a message is tried. A temporary failure waits OUTBOX_RETRY_BASE_SECONDS, doubled each
# time (at most an hour), for the sweep to hand the email to a worker again. An email handed over longer ago than
# OUTBOX_STUCK_AFTER_SECONDS and still queued was lost with its task (the broker lost its data): handed over again,
# as are the certificates issued that long ago and still without an email.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_STUCK_AFTER_SECONDS = env_int("OUTBOX_STUCK_AFTER_SECONDS", 900)
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 60)

# Retention periods (privacy/retention.py, applied nightly; shown on the records-of-processing page).
# Accounts whose address was never confirmed, nor signed in with, are deleted after this many days.
RETENTION_UNVERIFIED_ACCOUNT_DAYS = env_int("RETENTION_UNVERIFIED_ACCOUNT_DAYS", 30)
# Sent emails keep their subject and recipient; their bodies and attachments go after this many days.
RETENTION_OUTBOX_BODY_DAYS = env_int("RETENTION_OUTBOX_BODY_DAYS", 90)
# Check-in codes are deleted this many days after they stopped being valid.
RETENTION_CHECK_IN_DAYS = env_int("RETENTION_CHECK_IN_DAYS", 30)
RETENTION_AUDIT_YEARS = env_int("RETENTION_AUDIT_YEARS", 5)
# The free text of evaluation answers is removed this many days after it was given; ratings and choices stay.
RETENTION_FREE_TEXT_ANSWER_DAYS = env_int("RETENTION_FREE_TEXT_ANSWER_DAYS", 730)
# An account nobody signed in to for this many years is anonymised, this many days after a warning email.
RETENTION_INACTIVE_ACCOUNT_YEARS = env_int("RETENTION_INACTIVE_ACCOUNT_YEARS", 5)
RETENTION_INACTIVE_WARNING_DAYS = env_int("RETENTION_INACTIVE_WARNING_DAYS", 30)

# The attendance grid posts two fields a cell (status and note): 170 people x 5 days pass Django's 1,000.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 10000)

# Security. Development stays on plain HTTP; production is HTTPS only.
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
BEHIND_HTTPS_PROXY = env_bool("BEHIND_HTTPS_PROXY", not DEBUG)
if BEHIND_HTTPS_PROXY:
    # The reverse proxy terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies append to X-Forwarded-For: rate limits (sign-in, verification) count
# the visitor's address, not the proxy's. Zero unless set: a count above the real one
# lets visitors choose the address they are counted under.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# /metrics answers these addresses or networks only (Prometheus's), never a request through the proxy; empty: no one.
METRICS_ALLOWED_ADDRESSES = env_list("METRICS_ALLOWED_ADDRESSES", "127.0.0.1,::1")
# Logs: "plain" lines for people, or "json", one object a line with the request's or task's id (lms/logs.py).
LOG_FORMAT = env("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f'LOG_FORMAT must be "plain" or "json", not {LOG_FORMAT!r}.')
# Workers log through LOGGING below, in the same format as the web servers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "lms.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django": {"level": env("DJANGO_LOG_LEVEL", "INFO"), "propagate": True}},
}
