"""The one settings module. Every knob is an environment variable (docs/settings.md).

With nothing set, everydesk runs embedded: SQLite, an SQLite-backed job queue
and a database cache, all kept in one data directory.
"""

from pathlib import Path

import dj_database_url
from huey import RedisHuey, SqliteHuey

from everydesk.lib import secret_key
from everydesk.lib.env import (
    env_bool,
    env_choice,
    env_currency,
    env_float,
    env_int,
    env_list,
    env_path,
    env_str,
    env_time_zone,
)

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = env_path("EVERYDESK_DATA_DIR", Path.home() / ".local" / "share" / "everydesk")
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("SECRET_KEY") or secret_key.load_or_create(DATA_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
BASE_URL = env_str("EVERYDESK_BASE_URL", "http://localhost:8000").rstrip("/")
SITE_NAME = env_str("EVERYDESK_SITE_NAME", "everydesk")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "huey.contrib.djhuey",
    "ninja",  # serves the API docs page's scripts locally instead of from a CDN
    "everydesk.accounts",
    "everydesk.customers",
    "everydesk.conversations",
    "everydesk.desk",
    "everydesk.portal",
    "everydesk.api",
    "everydesk.mail",
    "everydesk.listening",
    "everydesk.insights",
    "everydesk.sla",
    "everydesk.surveys",
    "everydesk.recovery",
    "everydesk.playbook",
    "everydesk.webhooks",
    "everydesk.frontline",
    "everydesk.notifications",
    "everydesk.praise",
    "everydesk.demo",
]

# The Web* entries are Django's and django-htmx's own middleware, skipped for /api/
# requests, which authenticate by token and need none of them; PageCSP leaves out the
# policy on the API's JSON answers (api/middleware.py).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "everydesk.api.middleware.WebSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "everydesk.api.middleware.WebCsrfViewMiddleware",
    "everydesk.api.middleware.WebAuthenticationMiddleware",
    "everydesk.api.middleware.WebMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "everydesk.api.middleware.PageCSPMiddleware",
    "everydesk.api.middleware.WebHtmxMiddleware",
    # Turns a django-ratelimit refusal into RATELIMIT_VIEW's 429 page (not a 403).
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "everydesk.urls"
WSGI_APPLICATION = "everydesk.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

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
                "everydesk.accounts.context.site",
            ],
        },
    },
]

# --- storage -------------------------------------------------------------------

SQLITE_PATH = DATA_DIR / "everydesk.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}", conn_max_age=600
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Same SQLite backend, with concurrent writers queued fairly (lib/sqlite_backend).
    DATABASES["default"]["ENGINE"] = "everydesk.lib.sqlite_backend"
    # Connections persist per server thread (conn_max_age above): opening one per
    # request cost more CPU than the request itself, and closing the last one
    # checkpoints and deletes the WAL, a disk flush per request.
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers proceed during a write; IMMEDIATE takes the write lock
        # at BEGIN so two writers queue instead of deadlocking on lock upgrade.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000; PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "EVERYDESK_PG_PREPARED", True
):
    # Server-side binding lets psycopg prepare a statement after its second use, so
    # PostgreSQL skips parsing and planning the same few queries on every request
    # (half its CPU per conversation created). Turn off behind a connection pooler
    # that cannot keep prepared statements (PgBouncer before 1.21 in transaction mode).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=2
    )
DATABASES["default"]["TEST"] = {"NAME": env_str("EVERYDESK_TEST_DB_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("EVERYDESK_CACHE_PREFIX", "everydesk"),
        }
    }
else:
    # A database cache is shared by every server process, which the rate limits need.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "everydesk_cache",
        }
    }

# --- job queue: the same task code runs on SQLite (embedded) or Redis ----------

QUEUE_NAME = env_str("EVERYDESK_QUEUE_NAME", "everydesk")
QUEUE_IMMEDIATE = env_bool("EVERYDESK_QUEUE_IMMEDIATE", False)
if REDIS_URL:
    HUEY = RedisHuey(QUEUE_NAME, url=REDIS_URL, immediate=QUEUE_IMMEDIATE)
else:
    HUEY = SqliteHuey(
        QUEUE_NAME, filename=str(DATA_DIR / "queue.sqlite3"), immediate=QUEUE_IMMEDIATE
    )

# --- files ---------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
# everydesk/static (app.css, portal.css) belongs to no app, so the finders need it named.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "files"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # static files work before collectstatic has run
ATTACHMENT_MAX_BYTES = env_int("EVERYDESK_ATTACHMENT_MAX_MB", 10, minimum=1) * 1024 * 1024
ATTACHMENTS_PER_MESSAGE = env_int("EVERYDESK_ATTACHMENTS_PER_MESSAGE", 10, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- email ---------------------------------------------------------------------

EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds before a silent mail server is given up on (and the send retried later).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 60, minimum=1)
# Without a mail server configured, mail is printed where the worker runs, so
# the embedded demo can show its sign-in links without any server.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "support@localhost")
# Outgoing mail is retried with growing delays; after the last attempt it shows as failed.
EMAIL_SEND_ATTEMPTS = env_int("EVERYDESK_EMAIL_SEND_ATTEMPTS", 6, minimum=1)

# Incoming mail. Anything larger than this is kept in quarantine, never parsed.
EMAIL_MAX_BYTES = env_int("EVERYDESK_EMAIL_MAX_MB", 40, minimum=1) * 1024 * 1024
# A sender with more than this many messages in the window goes to quarantine.
EMAIL_FLOOD_LIMIT = env_int("EVERYDESK_EMAIL_FLOOD_LIMIT", 30, minimum=1)
EMAIL_FLOOD_MINUTES = env_int("EVERYDESK_EMAIL_FLOOD_MINUTES", 10, minimum=1)
# Mail without our marks joins the sender's open conversation with the same
# subject only if that conversation moved within this many days.
EMAIL_THREAD_DAYS = env_int("EVERYDESK_EMAIL_THREAD_DAYS", 14, minimum=0)
SMTPD_HOST = env_str("EVERYDESK_SMTPD_HOST", "127.0.0.1")
SMTPD_PORT = env_int("EVERYDESK_SMTPD_PORT", 2525, minimum=1)
IMAP_POLL_SECONDS = env_int("EVERYDESK_IMAP_POLL_SECONDS", 60, minimum=5)

# --- security ------------------------------------------------------------------

HTTPS = env_bool("EVERYDESK_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Pages load nothing from elsewhere: sanitised customer HTML keeps its <img> tags,
# and remote images would tell a sender when an agent opened the message.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],  # htmx adds its indicator styles inline
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
PORTAL_LINK_MINUTES = env_int("EVERYDESK_PORTAL_LINK_MINUTES", 15, minimum=1)
PUBLIC_FORM_RATE = env_str("EVERYDESK_PUBLIC_FORM_RATE", "5/h")
LOGIN_LINK_RATE = env_str("EVERYDESK_LOGIN_LINK_RATE", "5/h")
STAFF_LOGIN_RATE = env_str("EVERYDESK_STAFF_LOGIN_RATE", "10/15m")
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "everydesk.lib.ratelimited.too_many_requests"
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_time_zone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

SEARCH_LANGUAGE = env_str("EVERYDESK_SEARCH_LANGUAGE", "english")

# --- customers and orders ------------------------------------------------------

# Lifetime values and tier thresholds are kept in this currency; order import
# refuses orders in any other (convert them before importing).
CURRENCY = env_currency("EVERYDESK_CURRENCY", "EUR")

# --- insights ------------------------------------------------------------------

# The weekly digest goes out once its weekday and hour have come in this time zone,
# reporting on the seven days before (docs/insights.md).
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DIGEST_WEEKDAY = WEEKDAYS.index(env_choice("EVERYDESK_DIGEST_WEEKDAY", "monday", WEEKDAYS))
DIGEST_HOUR = env_int("EVERYDESK_DIGEST_HOUR", 8, minimum=0, maximum=23)
DIGEST_TIME_ZONE = env_time_zone("EVERYDESK_DIGEST_TIME_ZONE", TIME_ZONE)
# Added to the active recipients kept in the admin (insights.DigestRecipient).
DIGEST_TO = env_list("EVERYDESK_DIGEST_TO", [])
# Tiers (by slug) whose customers the dashboard's VIP health follows (docs/recovery.md).
VIP_TIERS = env_list("EVERYDESK_VIP_TIERS", ["vip"])
# --- listening: scoring customer text (docs/listening.md) ----------------------

# A web process queues the scoring job at most once per this many seconds.
LISTENING_NUDGE_SECONDS = env_int("EVERYDESK_LISTENING_NUDGE_SECONDS", 1, minimum=0)
# Texts scored per model call; batching is what makes the models fast.
LISTENING_BATCH_SIZE = env_int("EVERYDESK_LISTENING_BATCH_SIZE", 256, minimum=1)
# Urgency (0..100) at which a customer's message raises its conversation's priority.
LISTENING_URGENT_AT = env_int("EVERYDESK_LISTENING_URGENT_AT", 70, minimum=1)
LISTENING_HIGH_AT = env_int("EVERYDESK_LISTENING_HIGH_AT", 45, minimum=1)
# Similarity (percent, cosine) above which another open conversation of the same
# customer is flagged as a possible duplicate.
LISTENING_DUPLICATE_PERCENT = env_int("EVERYDESK_LISTENING_DUPLICATE_PERCENT", 80, minimum=1)
# Conversation vectors each web process keeps for "similar solved conversations" (the
# newest ones; 100,000 take about 100 MB, see docs/listening.md).
LISTENING_SIMILAR_MAX_VECTORS = env_int(
    "EVERYDESK_LISTENING_SIMILAR_MAX_VECTORS", 100_000, minimum=1
)

# --- front line: the shift inbox (docs/shift-inbox.md) ----------------------------

# Complaints are offered to people on shift only when their sentiment is above this
# (-1 very negative .. +1 very positive); below it they are escalations for agents.
SHIFT_COMPLAINT_SENTIMENT_FLOOR = env_float(
    "EVERYDESK_SHIFT_COMPLAINT_SENTIMENT_FLOOR", -0.3, minimum=-1.0, maximum=1.0
)
# Conversations at or above this urgency (0..100) are escalations. Every urgency signal
# weighs at least 15; negative sentiment alone adds up to 25 (listening/scoring/urgency.py).
SHIFT_URGENCY_BELOW = env_int("EVERYDESK_SHIFT_URGENCY_BELOW", 15, minimum=1, maximum=100)
# Customers of these tiers (slugs) are served by agents, never from the shift inbox.
SHIFT_EXCLUDED_TIERS = env_list("EVERYDESK_SHIFT_EXCLUDED_TIERS", ["vip"])
# Unanswered conversations one person on shift may hold at once.
SHIFT_MAX_OPEN_TAKES = env_int("EVERYDESK_SHIFT_MAX_OPEN_TAKES", 3, minimum=1)

# Listening: topics (docs/listening.md#topics). Cosines between unit embeddings.
TOPIC_JOIN_SIMILARITY = env_float("EVERYDESK_TOPIC_JOIN_SIMILARITY", 0.55, minimum=0.0, maximum=1.0)
TOPIC_MERGE_SIMILARITY = env_float(
    "EVERYDESK_TOPIC_MERGE_SIMILARITY", 0.75, minimum=0.0, maximum=1.0
)
TOPIC_MIN_VOICES = env_int("EVERYDESK_TOPIC_MIN_VOICES", 4, minimum=2)
TOPIC_REGROUP_DAYS = env_int("EVERYDESK_TOPIC_REGROUP_DAYS", 30, minimum=1)
# Emerging issues (docs/listening.md#emerging-issues).
ALERT_FALSE_ALARMS_PER_MONTH = env_float(
    "EVERYDESK_ALERT_FALSE_ALARMS_PER_MONTH", 1.0, minimum=0.001, maximum=1000.0
)
ALERT_MIN_COUNT = env_int("EVERYDESK_ALERT_MIN_COUNT", 5, minimum=1)
ALERT_NEW_TOPIC_DAILY = env_int("EVERYDESK_ALERT_NEW_TOPIC_DAILY", 10, minimum=1)
ALERT_HISTORY_WEEKS = env_int("EVERYDESK_ALERT_HISTORY_WEEKS", 8, minimum=2)

# --- outgoing webhooks (docs/webhooks.md) --------------------------------------

# Seconds each network step of one POST (connect, send, read the answer) may take.
WEBHOOKS_TIMEOUT_SECONDS = env_int("EVERYDESK_WEBHOOKS_TIMEOUT_SECONDS", 10, minimum=1)
# Attempts before a delivery is given up as failed (the first send counts).
WEBHOOKS_MAX_ATTEMPTS = env_int("EVERYDESK_WEBHOOKS_MAX_ATTEMPTS", 8, minimum=1)
# Retry n waits about BASE * 2^(n-1) seconds (half to all of it, at random), at most MAX.
WEBHOOKS_RETRY_BASE_SECONDS = env_int("EVERYDESK_WEBHOOKS_RETRY_BASE_SECONDS", 30, minimum=1)
WEBHOOKS_RETRY_MAX_SECONDS = env_int("EVERYDESK_WEBHOOKS_RETRY_MAX_SECONDS", 6 * 3600, minimum=1)
# After a rotation the old secret keeps signing (a second signature) this long.
WEBHOOKS_SECRET_GRACE_HOURS = env_int("EVERYDESK_WEBHOOKS_SECRET_GRACE_HOURS", 24, minimum=0)
# Private, loopback and link-local targets are refused unless this is on (SSRF). On by
# default only when embedded (SQLite) or in DEBUG, where receivers on the same machine
# are the norm; off by default on PostgreSQL, i.e. in production.
WEBHOOKS_ALLOW_PRIVATE = env_bool(
    "EVERYDESK_WEBHOOKS_ALLOW_PRIVATE",
    DEBUG or DATABASES["default"]["ENGINE"] == "everydesk.lib.sqlite_backend",
)

# --- praise (docs/praise.md) -----------------------------------------------------

# Also email the employee and their manager when a customer praises the employee.
PRAISE_EMAIL = env_bool("EVERYDESK_PRAISE_EMAIL", False)
# --- surveys: CSAT, NPS and closing the loop (docs/surveys.md) -----------------

# Minutes between a conversation being solved and its CSAT email (0: at once).
CSAT_DELAY_MINUTES = env_int("EVERYDESK_CSAT_DELAY_MINUTES", 60, minimum=0)
# How long the links in a survey email (rating and opt-out) keep working.
SURVEY_LINK_DAYS = env_int("EVERYDESK_SURVEY_LINK_DAYS", 30, minimum=1)
# Nobody is sent an NPS survey within this many days of any survey.
SURVEY_QUIET_DAYS = env_int("EVERYDESK_SURVEY_QUIET_DAYS", 90, minimum=0)
# Each daily NPS run asks this share of the eligible customers, and at most this many.
NPS_SAMPLE_PERCENT = env_float("EVERYDESK_NPS_SAMPLE_PERCENT", 5.0, minimum=0.0, maximum=100.0)
NPS_PER_RUN = env_int("EVERYDESK_NPS_PER_RUN", 200, minimum=0)
# Eligible: a conversation or an order within this many days.
NPS_ACTIVE_DAYS = env_int("EVERYDESK_NPS_ACTIVE_DAYS", 90, minimum=1)
# The hour (UTC, the queue's clock) of the daily NPS run.
NPS_HOUR = env_int("EVERYDESK_NPS_HOUR", 10, minimum=0, maximum=23)
# Answers at or below these open a recovery conversation (close the loop).
CSAT_RECOVERY_AT = env_int("EVERYDESK_CSAT_RECOVERY_AT", 2, minimum=0, maximum=5)
NPS_RECOVERY_AT = env_int("EVERYDESK_NPS_RECOVERY_AT", 6, minimum=-1, maximum=10)
# The team (by name) whose members own recovery conversations nobody else owns.
SURVEY_RECOVERY_TEAM = env_str("EVERYDESK_SURVEY_RECOVERY_TEAM", "")
# --- service levels and the priority score (docs/sla.md) -----------------------

# How long a process keeps its copy of the SLA policies, calendars and tier boosts
# before reading them again (a change saved in the same process applies at once).
SLA_CACHE_SECONDS = env_int("EVERYDESK_SLA_CACHE_SECONDS", 30, minimum=0)
# Rows the periodic SLA check reads and writes per statement.
SLA_BATCH_SIZE = env_int("EVERYDESK_SLA_BATCH_SIZE", 5000, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # The huey consumer installs its own handler; passing records on would print them twice.
    "loggers": {"huey": {"propagate": False}},
}
