"""Production profile: everything in ``settings`` plus HTTPS-only hardening.

Use with ``DJANGO_SETTINGS_MODULE=citisa.settings_production`` behind a TLS-terminating
proxy (nginx) that sets ``X-Forwarded-Proto``. Passes ``manage.py check --deploy``.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import STORAGES, env, env_bool

DEBUG = False
if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Hashed, compressed static files served by WhiteNoise (run `collectstatic` on deploy).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Logs: JSON lines to stderr (journald keeps them), unless LOG_FORMAT=plain ------------
import copy  # noqa: E402

from .settings import LOGGING  # noqa: E402

LOGGING = copy.deepcopy(LOGGING)  # the base settings' dict stays as it was
LOG_FORMAT = env("LOG_FORMAT", "json")
if LOG_FORMAT == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"
