"""Settings for serving django-helpdesk 2.6.1 as a peer to measure against.

Kept as close to a stock deployment as the peer allows: Django's default SQLite
configuration (no WAL, no busy timeout beyond the driver's 5 s) unless
PEER_SQLITE=tuned asks for the same pragmas everydesk uses, so the two runs can
separate "how the peer is built" from "how its database is configured".
Every path lives under PEER_HELPDESK_DIR, outside the everydesk repository.
"""

import os
from pathlib import Path

DATA_DIR = Path(os.environ.get("PEER_HELPDESK_DIR", "/tmp/peer-helpdesk"))

# A fixed key is fine: the database is thrown away after each benchmark.
SECRET_KEY = "peer-helpdesk-benchmark-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "rest_framework",
    "rest_framework.authtoken",
    "helpdesk",
]
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "peer.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "db.sqlite3"}}
if os.environ.get("PEER_SQLITE") == "tuned":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# A bearer-style token, like everydesk's: HTTP Basic would hash the password on
# every request and the benchmark would measure PBKDF2 instead of the help desk.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
}

# The peer composes each notification inside the request; the in-memory backend
# keeps that work (template rendering, MIME building) and skips only the network.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "support@localhost"

# Teams mode needs pinax-teams, which the peer does not install by default.
HELPDESK_TEAMS_MODE_ENABLED = False

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
