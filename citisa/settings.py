"""Settings for citisa, all read from the environment.

The defaults run the whole system on one machine with nothing else installed:
SQLite under ``var/``, a filesystem Celery broker under ``var/broker``, e-mail written
to files under ``var/mail``. Production sets ``DATABASE_URL``, ``CELERY_BROKER_URL``,
``EMAIL_HOST``… (see ``.env.example``) and uses ``citisa.settings_production``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


VAR_DIR = Path(env("CITISA_VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")


def site_url_default(host: str, port: str) -> str:
    """The address ``runserver`` was started on (``scripts/run.sh``: ``HOST``, ``PORT``), for
    links in e-mails when ``SITE_URL`` is not set. A wildcard address is not one a reader
    can open: links then name this machine's loopback address."""
    if host in ("", "0.0.0.0", "::", "[::]"):  # noqa: S104 - only read, never bound here
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port or '8000'}"


SITE_URL = (
    env("SITE_URL") or site_url_default(env("HOST", "127.0.0.1"), env("PORT", "8000"))
).rstrip("/")

INSTALLED_APPS = [
    "citisa.admin_site.CitisaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_htmx",
    "axes",
    "simple_history",
    "citisa",
    "accounts",
    "alliances",
    "submissions",
    "bulletins",
    "distribution",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last: it turns a lock-out into our own Chinese page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "citisa.urls"
WSGI_APPLICATION = "citisa.wsgi.application"
ASGI_APPLICATION = "citisa.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'citisa.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A worker writes beside the web server: wait for the lock instead of failing,
    # take the write lock up front, and let readers go on during writes (WAL).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
    # A file, not :memory:, so that a real worker process can see the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-citisa.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache ----------------------------------------------------------------------------
if env("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("CACHE_URL"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.RolePermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = 60 * 60 * 12

# Login throttling: five wrong passwords for one user name *from one address* lock that
# pair for fifteen minutes. Keyed on the pair so a stranger elsewhere cannot lock the real
# user out, and the lock ends by itself.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = int(env("AXES_PROXY_COUNT", "0"))
AXES_VERBOSE = False

# --- I18N -----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and private media ---------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
# Media is private: there is no MEDIA_URL route; files go out only through views that
# check permissions first.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "联盟试点工作联络组办公室 <noreply@citisa.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_FOLDER = Path(env("CELERY_BROKER_FOLDER", VAR_DIR / "broker"))
if CELERY_BROKER_URL.startswith("filesystem://"):
    # Web and worker must share one folder for both directions: kombu's filesystem transport
    # reads where the other process writes.
    CELERY_BROKER_FOLDER.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER),
        "data_folder_out": str(CELERY_BROKER_FOLDER),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "polling_interval": 0.1,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Results live in our own models; no result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "citisa.tasks.record_worker_heartbeat", "schedule": 60.0},
}

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Security (tightened further in settings_production) -------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "citisa.views.csrf_failure"

# --- distribution (the 报/送 lists, deliveries, receipts, archive) -------------------------
# Whether anyone may read the archive of published issues, or only signed-in users.
CITISA_ARCHIVE_PUBLIC = env_bool("CITISA_ARCHIVE_PUBLIC", False)
# Personal download links in the e-mails expire after this many days.
CITISA_DOWNLOAD_LINK_DAYS = int(env("CITISA_DOWNLOAD_LINK_DAYS", "90"))
# Attempts per delivery on passing mail-server errors, the first backoff (doubling each
# time, at most an hour), how old a "sending" claim must be before the sweeper takes its
# worker for dead (well above the longest single send, bounded by EMAIL_TIMEOUT), and how long past
# due a queued delivery waits before the sweeper queues it again (its message was lost).
CITISA_DELIVERY_MAX_ATTEMPTS = int(env("CITISA_DELIVERY_MAX_ATTEMPTS", "6"))
CITISA_DELIVERY_RETRY_SECONDS = float(env("CITISA_DELIVERY_RETRY_SECONDS", "60"))
CITISA_DELIVERY_CLAIM_TIMEOUT = int(env("CITISA_DELIVERY_CLAIM_TIMEOUT", "300"))
CITISA_DELIVERY_REQUEUE_AFTER = int(env("CITISA_DELIVERY_REQUEUE_AFTER", "600"))
# The fan-out sends in batches: this many deliveries per task and mail-server connection,
# for at most this many seconds before the rest goes back to the queue.
CITISA_DELIVERY_BATCH = int(env("CITISA_DELIVERY_BATCH", "25"))
CITISA_DELIVERY_BATCH_SECONDS = float(env("CITISA_DELIVERY_BATCH_SECONDS", "240"))
CELERY_BEAT_SCHEDULE["distribution-sweep"] = {
    "task": "distribution.deliveries_sweep",
    "schedule": 300.0,
}

# --- bulletins.rendering ----------------------------------------------------------------
# WeasyPrint logs every layout step at INFO; keep its warnings (refused URLs, bad CSS).
LOGGING["loggers"]["weasyprint.progress"] = {"level": "WARNING"}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu warns on each connection that filesystem:// names no host; it needs none.
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}

# --- submissions (投稿) -------------------------------------------------------------------
CELERY_BEAT_SCHEDULE |= {
    # Reminders of calls for submissions: idempotent, so running it hourly is harmless and
    # a missed run is made up by the next one.
    "submissions-call-reminders": {
        "task": "submissions.send_call_reminders",
        "schedule": 60.0 * 60,
    },
    "submissions-sweep-event-emails": {
        "task": "submissions.sweep_event_emails",
        "schedule": 60.0 * 10,
    },
}
# The rich-text editor serves its own scripts and styles from its static files (no CDN).
INSTALLED_APPS += ["django_prose_editor"]
# Uploads are checked and size-capped by core.uploads; this lets a form with a few
# attachments through Django's own request limit.
DATA_UPLOAD_MAX_NUMBER_FILES = 40

# --- bulletins: issues and the approval chain ---------------------------------------------
# Nobody who created, edited or sent an issue for review may sign it.
CITISA_SEPARATE_EDITOR_AND_SIGNER = env_bool("CITISA_SEPARATE_EDITOR_AND_SIGNER", True)
# 签发 while an organisation printed after 「报：」/「送：」 has no address: off, the signer
# ticks an acknowledgement; on, signing waits until every printed organisation has one.
CITISA_SIGN_REQUIRES_FULL_REACH = env_bool("CITISA_SIGN_REQUIRES_FULL_REACH", False)
# How long a confirmation page (送审, 审核通过, 签发, 采用) stays valid, in seconds.
CITISA_CONFIRMATION_MAX_AGE = int(env("CITISA_CONFIRMATION_MAX_AGE", "3600"))
# Remind the holders of an issue that has waited this many days at one step (once a step).
CITISA_ISSUE_REMINDER_DAYS = int(env("CITISA_ISSUE_REMINDER_DAYS", "3"))
CELERY_BEAT_SCHEDULE["bulletins-remind-waiting-issues"] = {
    "task": "bulletins.tasks.remind_waiting_issues",
    "schedule": 3600.0,
}
# End matter of a new issue when there is no earlier issue to copy it from.
CITISA_BULLETIN_REPORT_TO = env(
    "CITISA_BULLETIN_REPORT_TO",
    "科技部、发展改革委、财政部、教育部、工业和信息化部、人力资源社会保障部、农业农村部、"
    "人民银行、国资委、税务总局、中科院、工程院、全国总工会、全国工商联、国家开发银行相关司局及部门",
)
CITISA_BULLETIN_SEND_TO = env(
    "CITISA_BULLETIN_SEND_TO",
    "各试点产业技术创新战略联盟、联盟协发网成员单位、有关地方科技厅（局）",
)
CITISA_BULLETIN_CONTACT_LINES = [
    "联络组地址：北京市海淀区学院南路76号(南院)新材料大楼902 电话：010-62184883",
    "编辑部地址：北京市朝阳区延静里中街3号 电话：010-65987533",
    "联盟联络组/联盟协发网网站：www.citisa.org 联盟协发网微信公众号：CITISA",
    "新闻投稿专用邮箱：tougao@citisa.org 联络组日常咨询邮箱：citisa@citisa.org",
]

# --- bulletins: PDF renditions (bulletins.renditions) ---------------------------------------
# Re-send the renders that should exist and do not (a lost message, a dead worker).
CELERY_BEAT_SCHEDULE["bulletins-sweep-renditions"] = {
    "task": "bulletins.tasks.sweep_renditions",
    "schedule": 300.0,
}
# Web-import uploads never confirmed: removed once their preview link has expired.
CELERY_BEAT_SCHEDULE["bulletins-prune-import-uploads"] = {
    "task": "bulletins.tasks.prune_import_uploads",
    "schedule": 3600.0,
}

# --- accounts: two-factor login and password rules ----------------------------------------
# django-otp with authenticator apps (TOTP) and one-time recovery codes (static tokens).
# Inserted before ``accounts`` so that accounts/admin.py can take their admin pages down:
# second factors are reset only through the audited service.
INSTALLED_APPS[INSTALLED_APPS.index("accounts") : INSTALLED_APPS.index("accounts")] = [
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# OTPMiddleware gives request.user.is_verified(); TwoFactorMiddleware lets a session that
# still owes its second step (or its enrolment) reach only the pages of that step.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "accounts.middleware.TwoFactorMiddleware",
)
# Roles that must log in with a second factor (superusers always must).
CITISA_TWO_FACTOR_REQUIRED_ROLES = env_list(
    "CITISA_TWO_FACTOR_REQUIRED_ROLES", "signer,administrator"
)
# Wrong codes slow a device down exponentially (1, 2, 4 … s, django-otp); the count is
# capped here so that the wait never passes 2**(n-1) s (10 → about 8.5 minutes): someone
# who has the password cannot lock the real user out for longer, and guessing a
# six-digit code at one try per 8.5 minutes still takes years.
CITISA_TWO_FACTOR_MAX_FAILURES = int(env("CITISA_TWO_FACTOR_MAX_FAILURES", "10"))
CITISA_RECOVERY_CODE_COUNT = 10
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "联盟简报编辑系统")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Passwords: at least 12 characters, not common, not all digits, not like the user's name
# (the length rule through accounts.password_validation, for its Chinese message).
for _validator in AUTH_PASSWORD_VALIDATORS:
    if _validator["NAME"].endswith("MinimumLengthValidator"):
        _validator["NAME"] = "accounts.password_validation.MinimumLengthValidator"
        _validator["OPTIONS"] = {"min_length": 12}

# --- citisa: backups and operations ---------------------------------------------------------
# `manage.py backup` writes its archives here (timestamped names; `--keep N` prunes).
BACKUP_DIR = Path(env("CITISA_BACKUP_DIR", VAR_DIR / "backups"))
# /healthz: how long to wait for workers to answer the live broadcast, and how long an
# answer is reused (monitoring probes must not pile up on the broker).
CITISA_HEALTH_PING_TIMEOUT = float(env("CITISA_HEALTH_PING_TIMEOUT", "1.0"))
CITISA_HEALTH_CACHE_SECONDS = int(env("CITISA_HEALTH_CACHE_SECONDS", "5"))
# The live broadcast works on the filesystem broker too, but there every broadcast leaves a
# message file for each worker that ever ran (its queue binding is never removed): off by
# default there; the heartbeat (beat, every minute) tells whether a worker runs.
CITISA_HEALTH_LIVE_PING = env_bool(
    "CITISA_HEALTH_LIVE_PING", not CELERY_BROKER_URL.startswith("filesystem://")
)
# A Celery worker writes its node name to this file once it consumes (and removes it when
# it stops): readiness for a supervisor, the tests and the benchmarks, whatever LOG_LEVEL.
CITISA_WORKER_READY_FILE = env("CITISA_WORKER_READY_FILE", "")
# Logs: every request gets an id (X-Request-ID) and one access line; request and task
# context on every line. LOG_FORMAT=json writes JSON lines (the default in production).
MIDDLEWARE.insert(0, "citisa.observability.RequestIdMiddleware")
LOGGING["filters"] = {"context": {"()": "citisa.observability.ContextFilter"}}
LOGGING["formatters"]["json"] = {
    "()": "citisa.observability.JsonFormatter",
    "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s "
    "%(task_id)s %(task_name)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}
LOGGING["handlers"]["console"]["filters"] = ["context"]
LOG_FORMAT = env("LOG_FORMAT", "plain")
if LOG_FORMAT == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"


# --- security review (XSS and uploads) -------------------------------------------------
# Project overrides of Django's Chinese messages (locale/zh_Hans: the NUL-character one).
LOCALE_PATHS = [BASE_DIR / "locale"]


# --- failure drills (tests/drills): the broker must never hold up a request ---------------
# Tasks are sent after commit (on_commit(..., robust=True)); when the broker is down the
# send fails, is logged, and the sweepers send the work again later. Keep that failure
# quick: one short retry, a 1 s connection timeout and a 2 s socket timeout (a broker that
# hangs without closing the connection would otherwise hold the request for ever; a
# healthy one answers a publish in milliseconds). The worker's BRPOP waits 1 s, below it.
CELERY_BROKER_CONNECTION_TIMEOUT = float(env("CELERY_BROKER_CONNECTION_TIMEOUT", "1"))
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0.2,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
if not CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
        "socket_timeout": float(env("CELERY_BROKER_SOCKET_TIMEOUT", "2")),
        # Unacknowledged messages of a worker that died come back after this long; it must
        # stay above the longest task's time limit and the longest retry countdown.
        "visibility_timeout": int(env("CELERY_BROKER_VISIBILITY_TIMEOUT", "3600")),
    }

# --- Security headers (citisa.security) -------------------------------------------
# Content-Security-Policy on every response (django-csp 4). Nothing inline runs or styles a
# page: scripts and styles come from our static files only. Exceptions, each an exact hash:
# - script-src: the rich-text editor's import map (added by citisa.security, computed from
#   what the widget renders, since its URLs depend on the static storage);
# - style-src: the core stylesheet that Tiptap (the editor's engine) injects as a <style>
#   element when an editor starts. Fixed text inside django-prose-editor's editor.js; the
#   browser test fails naming the new hash if an upgrade changes it.
TIPTAP_CORE_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", TIPTAP_CORE_STYLE_HASH],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Right after SecurityMiddleware (which sets nosniff, Referrer-Policy and COOP above) and
# before WhiteNoise, so static files get the headers too.
_after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE[_after_security:_after_security] = [
    "citisa.security.SecurityHeadersMiddleware",
    "citisa.security.ContentSecurityPolicyMiddleware",
]
