"""Settings for the recovery directory, read from the environment.

Local development (`make run`) sets DEBUG=1 and gets safe throwaway defaults. With DEBUG off
(the default), the site refuses to start until every secret it needs is provided, so a
forgotten variable can never silently run production on a development value.
"""

import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from listings.states import STATE_NAMES

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_required(name, debug_default):
    """Return the variable, or the development default when DEBUG is on; fail loudly otherwise."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if DEBUG:
        return debug_default
    raise ImproperlyConfigured(
        f"The environment variable {name} must be set when DEBUG is off "
        f"(production). See docs/operations.md."
    )


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_required("SECRET_KEY", "insecure-development-key-never-use-in-production")
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", env_required("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.forms",
    "django_filters",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "listings",
    "programs",
    "activities",
    "referrals",
    "opendata",
    "demo",
    "recovery_directory",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry the same headers as pages.
    "recovery_directory.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "recovery_directory.middleware.ListingsVersionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware, whose slash redirects resolve URLs in the active language.
    "recovery_directory.middleware.LanguageFromPathMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A clear 400 for input no browser sends, before CSRF is the first to read a POST.
    "recovery_directory.middleware.RequestInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (it asks who is signed in), around everything that makes a page.
    "recovery_directory.middleware.CachingPolicyMiddleware",
    "recovery_directory.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses a login while the username or address is locked out, before the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "recovery_directory.urls"
WSGI_APPLICATION = "recovery_directory.wsgi.application"

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
                "recovery_directory.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Keyword search accepts near misses ("alcholics") through pg_trgm's index-backed <%
    # operator; its default bar (0.6) misses common one-letter slips.
    # Parallel workers are off by default: a page reads a few thousand rows at most, where
    # starting workers costs more than it saves (8 ms of a 10 ms query at national scale),
    # and under load every request already has a core to compete for.
    # The planner's default cost of a random read assumes spinning disks; on SSD or with the
    # directory in memory, 1.1 lets it use an index for a state's 3,600 places (57 ms
    # instead of 160 ms counting Ohio's programs at national scale).
    # JIT compiling is off: it starts on the planner's cost estimate, and a query whose
    # estimate is high but which reads a few thousand rows spent 240 ms compiling to run in
    # 180 (the Spanish-language programs at national scale); no page's query runs long
    # enough to win that back.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c pg_trgm.word_similarity_threshold=0.5 -c jit=off"
        f" -c max_parallel_workers_per_gather={int(os.environ.get('PG_PARALLEL_WORKERS', '0'))}"
        f" -c random_page_cost={float(os.environ.get('PG_RANDOM_PAGE_COST', '1.1'))}"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the single writer of a small deployment proceed together. Each
    # worker keeps its connection (CONN_MAX_AGE, as for PostgreSQL): opening one for every
    # request ran the pragmas below and registered Django's SQL functions each time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # Concurrent writers queue for the lock instead of failing with "database is locked".
        "timeout": 20,
    }
    (BASE_DIR / "var").mkdir(exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# English at the plain paths, Spanish under /es/ (the URL alone decides: no cookie is set).
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["recovery_directory.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic gathers the files (served by whitenoise from there).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
# The database cache's table; `migrate` creates it (recovery_directory.apps).
CACHE_TABLE = "recovery_directory_cache"


def cache_settings():
    """One cache shared by every worker and every app server, or memory in development.

    Rate limits, the page cache and the sign-in lockout counters live here, so a cache held
    in each process's memory would multiply every limit by the number of workers and forget
    it on each restart. Production therefore gets Redis when REDIS_URL (or CACHE_URL) names
    one, and otherwise the database every server already shares.
    """
    url = (os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL") or "").strip()
    if url:
        if not url.startswith(REDIS_SCHEMES):
            raise ImproperlyConfigured(
                "REDIS_URL (or CACHE_URL) must name a Redis server, like "
                "redis://localhost:6379/0, rediss://... or unix:///path/to/redis.sock; leave "
                "it unset to keep the cache in the database."
            )
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "rd"),
        }
    if DEBUG:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "recovery-directory",
        }
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": CACHE_TABLE,
        # Expired rows are culled on writes; a third of them at a time past this many.
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "50000"))},
    }


CACHES = {"default": cache_settings()}

# Work that outlasts a request (feed imports, notification emails, the curator digest) runs
# as tasks. The database backend keeps the queue in the database every app server already
# shares, so any worker (`manage.py db_worker`) on any machine can take any task; workers
# claim tasks with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL and an exclusive
# transaction on SQLite, so two never run the same one. TASKS_BACKEND can name another
# backend, e.g. django_tasks.backends.immediate.ImmediateBackend to run each task at once in
# the process that enqueues it (no worker; uploads then run inside the request).
TASK_QUEUES = ["default", "imports"]
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": TASK_QUEUES,
    }
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "directory@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Operator", a) for a in env_list("ADMIN_EMAILS")]
# A mail server that hangs must not hold a referral request open; failures are retried later.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# Sessions and cookies. Only staff ever get a session; anonymous visitors get no cookie.
SESSION_COOKIE_AGE = int(os.environ.get("ADMIN_SESSION_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True  # sliding expiry: an idle admin is signed out
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# However active, a staff session ends this long after sign-in (SessionLifetimeMiddleware).
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("ADMIN_SESSION_MAX_SECONDS", str(12 * 60 * 60)))
# Admin messages live in the session rather than in a cookie of their own.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Gone when the browser closes: a year-long cookie would be a lasting trace, on a shared
# device, that someone opened the referral form.
CSRF_COOKIE_AGE = None
CSRF_COOKIE_SAMESITE = "Lax"
# A friendly page with phone numbers instead of Django's technical 403.
CSRF_FAILURE_VIEW = "recovery_directory.views.csrf_failure"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Only sends the "preload" directive; joining the browsers' list is a separate submission.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are only accepted over HTTPS, for this exact host, path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Only geolocation is used ("use my location" on the search forms), and only by our own pages.
PERMISSIONS_POLICY = os.environ.get(
    "PERMISSIONS_POLICY",
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(self), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "publickey-credentials-get=(), screen-wake-lock=(), usb=(), xr-spatial-tracking=()",
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# Error reports (500 mails to ADMINS, the debug page when DEBUG is off) keep the traceback but
# drop every local variable, form value, query string, cookie and header: a referral's content
# or a visitor's search must never travel in an email.
DEFAULT_EXCEPTION_REPORTER = "recovery_directory.reporting.PrivateExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "recovery_directory.reporting.PrivateExceptionReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # One mail per distinct error per window, none for bad Host headers or the health
        # check (recovery_directory/reporting.py).
        "mail_admins": {
            "class": "recovery_directory.reporting.ThrottledAdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's default "django" logger, whose own unthrottled mail handler would
        # mail every suspicious request (oversized bodies, bad Host headers).
        "django": {"handlers": ["console", "mail_admins"], "level": "WARNING", "propagate": False},
        # Anyone can send a wrong Host header: worth a log line, never a mail.
        "django.security.DisallowedHost": {
            "handlers": ["console"],
            "level": "ERROR",
            "propagate": False,
        },
        # Request logs would carry query strings (a visitor's ZIP code or search words).
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "ERROR",
            "propagate": False,
        },
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

ADMIN_EMAIL_WINDOW_SECONDS = int(os.environ.get("ADMIN_EMAIL_WINDOW_SECONDS", str(15 * 60)))
ADMIN_EMAIL_MAX_PER_WINDOW = int(os.environ.get("ADMIN_EMAIL_MAX_PER_WINDOW", "10"))

# --- Admin sign-in lockout (django-axes) -----------------------------------------------------
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
# Failures count per username and address together (recovery_directory/lockout.py): someone
# guessing a coordinator's password elsewhere never locks the coordinator out. A pair locked
# again within a day waits twice as long as the time before, up to the maximum.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_BASE_MINUTES = int(os.environ.get("AXES_COOLOFF_MINUTES", "15"))
AXES_COOLOFF_MAX_MINUTES = int(os.environ.get("AXES_COOLOFF_MAX_MINUTES", str(24 * 60)))
AXES_COOLOFF_TIME = "recovery_directory.lockout.cool_off"
# The counters live in the shared cache, so every worker and app server sees the same ones.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
# Tries made while locked out are refused without restarting the wait.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "listings.clientip.client_ip"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False
# The cache handler keeps no attempt records for axes' own admin pages to list; lockouts are
# lifted from the Users admin instead.
AXES_ENABLE_ADMIN = False
if DEBUG:
    # One development server, one process: its memory is the whole cache, so axes' warning
    # about per-process caches does not apply there.
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]
AXES_ALLOWED_CORS_ORIGINS = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Referrals -------------------------------------------------------------------------------
REFERRAL_KEYS_FILE = Path(
    os.environ.get("REFERRAL_KEYS_FILE", "") or BASE_DIR / "var" / "referral-keys.txt"
)


def referral_keys():
    """The encryption key ring; see referrals/crypto.py and docs/operations.md."""
    value = os.environ.get("REFERRAL_KEYS", "").strip()
    if value:
        return value
    if not DEBUG:
        raise ImproperlyConfigured(
            "The environment variable REFERRAL_KEYS must be set when DEBUG is off "
            "(production): referrals are encrypted with it. Generate a key with "
            "`manage.py rotate_referral_keys --generate`; see docs/operations.md."
        )
    # Development: a key made on first run, kept outside git (var/ is ignored). O_EXCL: when
    # two processes start at once (runserver's reloader), only one writes the file.
    import base64
    import secrets

    REFERRAL_KEYS_FILE.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(REFERRAL_KEYS_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"dev-{secrets.token_hex(3)}:{key}\n")
    return REFERRAL_KEYS_FILE.read_text(encoding="utf-8").strip()


REFERRAL_KEYS = referral_keys()
REFERRAL_RETENTION_DAYS = int(os.environ.get("REFERRAL_RETENTION_DAYS", "180"))
# Per address: at most this many form submissions in the window (0 turns the limit off).
REFERRAL_RATE_LIMIT = int(os.environ.get("REFERRAL_RATE_LIMIT", "10"))
REFERRAL_RATE_WINDOW_SECONDS = int(os.environ.get("REFERRAL_RATE_WINDOW_SECONDS", "3600"))
# The same kind of limit on "report a problem" submissions.
REPORT_RATE_LIMIT = int(os.environ.get("REPORT_RATE_LIMIT", "10"))
REPORT_RATE_WINDOW_SECONDS = int(os.environ.get("REPORT_RATE_WINDOW_SECONDS", "3600"))
# Submissions faster than this after the form was shown are flagged as suspected spam.
REFERRAL_MIN_SECONDS = float(os.environ.get("REFERRAL_MIN_SECONDS", "3"))
# ...or this long after (a form kept open overnight is still accepted, only flagged).
REFERRAL_FORM_MAX_AGE_SECONDS = int(os.environ.get("REFERRAL_FORM_MAX_AGE_SECONDS", "43200"))
# Coordinators get at most one "requests waiting" email per this many minutes, whatever
# the number of submissions; suspected spam is announced only if they ask for it.
REFERRAL_NOTIFY_MINUTES = int(os.environ.get("REFERRAL_NOTIFY_MINUTES", "10"))
REFERRAL_NOTIFY_SUSPECTED_SPAM = env_bool("REFERRAL_NOTIFY_SUSPECTED_SPAM", False)
# A deployment that sets its own wording gives it in one language for every page.
REFERRAL_RESPONSE_TIME = os.environ.get("REFERRAL_RESPONSE_TIME") or _(
    "within one working day (Monday to Friday)"
)
# Above this many published listings the form's menu would be too long to use; the listing is
# then chosen with the "Get help" button on its own page instead.
REFERRAL_LISTING_MENU_LIMIT = int(os.environ.get("REFERRAL_LISTING_MENU_LIMIT", "1000"))
PHONE_REGION = os.environ.get("PHONE_REGION", "US")


def client_ip_header():
    """The request header that carries the visitor's address when a proxy sits in front.

    Empty means REMOTE_ADDR. Written in Django's META form (HTTP_X_REAL_IP); a header name as
    a proxy writes it (X-Real-IP) would never match, and every visitor would then share the
    proxy's address for rate limits and the sign-in lockout, so it stops the site instead.
    """
    value = os.environ.get("CLIENT_IP_HEADER", "").strip()
    if value and not re.fullmatch(r"HTTP_[A-Z0-9_]+", value):
        raise ImproperlyConfigured(
            f"CLIENT_IP_HEADER must be a request header in Django's META form, such as "
            f"HTTP_X_REAL_IP or HTTP_X_FORWARDED_FOR, not {value!r}. See docs/operations.md."
        )
    return value


CLIENT_IP_HEADER = client_ip_header()

# What every page shows. Crisis lines are facts about national services, kept editable so a
# deployment outside the US can put its own numbers here.
SITE_NAME = os.environ.get("SITE_NAME", "Recovery Directory")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Recovery Directory")
ORGANISATION_PHONE = os.environ.get("ORGANISATION_PHONE", "614-555-0100")
# "spanish" is shown in Spanish on every page (marked lang="es"), whatever the page's language.
CRISIS_LINES = [
    {
        "name": _("988 Suicide & Crisis Lifeline"),
        "description": _("Call or text 988, any time"),
        "phone": "988",
        "sms": "988",
        "spanish": "en español, marque 2",
    },
    {
        "name": _("SAMHSA National Helpline"),
        "description": _("Free, confidential, 24/7, English and Spanish"),
        "phone": "1-800-662-4357",
        "sms": "",
        "spanish": "atienden en español",
    },
]
QUICK_EXIT_URL = os.environ.get("QUICK_EXIT_URL", "https://www.weather.gov/")
# The area the home page's "meetings starting soon" looks at when the visitor gave none.
DEFAULT_AREA = os.environ.get("DEFAULT_AREA", "Columbus, OH")


def home_state():
    """The state the directory serves; a wrong value would quietly send every bare town
    name ("Dayton") to the wrong state, so it stops the site at start-up instead."""
    value = os.environ.get("HOME_STATE", "").strip().upper() or "OH"
    if value not in STATE_NAMES:
        raise ImproperlyConfigured(
            f"HOME_STATE must be a two-letter US state code such as OH, not {value!r}."
        )
    return value


# A town, county or state name typed alone means the one in this state first ("Dayton" is
# Dayton, OH); the same names elsewhere are offered as "Did you mean".
HOME_STATE = home_state()
# The opt-in map's tile server. Its origin is added to the CSP only on pages with a map, and
# no tile is requested until the visitor presses "Show map".
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")
MAP_TILE_ATTRIBUTION_URL = os.environ.get(
    "MAP_TILE_ATTRIBUTION_URL", "https://www.openstreetmap.org/copyright"
)
# Listing pages are identical for every visitor, so whole responses are cached this long
# (0 turns it off). They are kept in the shared cache (CACHES above).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
# Where /meetings.json keeps each feed it has written, as a file for the listings' current
# version (used with a cache shared by every worker: see docs/open-data.md).
FEED_ROOT = Path(os.environ.get("FEED_ROOT", "") or BASE_DIR / "var" / "feeds")
LISTINGS_PER_PAGE = int(os.environ.get("LISTINGS_PER_PAGE", "20"))
# Lists count their matches up to this many, then say "more than" (listings.views).
LISTINGS_COUNT_CAP = int(os.environ.get("LISTINGS_COUNT_CAP", "10000"))
STALE_AFTER_DAYS = int(os.environ.get("STALE_AFTER_DAYS", "365"))
