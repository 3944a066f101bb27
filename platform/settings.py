"""dlmath settings: an embedded default with no environment, real services when present.

No variables at all: SQLite, Celery eager, a local-memory cache, so `make run` just works.
DATABASE_URL switches to PostgreSQL; REDIS_URL to Redis as broker, result backend and cache.
Secrets come only from the environment; DEBUG is off unless DLMATH_DEBUG asks for it.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
import django_stubs_ext
from kombu import Queue

from apps.sandbox.grading.limits import TASK_SOFT_TIME_LIMIT, TASK_TIME_LIMIT

# Lets the admin, forms and querysets take type parameters at run time (ModelAdmin[Module]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = env_bool("DLMATH_DEBUG")
TESTING = "pytest" in sys.modules or env_bool("DLMATH_TESTING")

# Without a configured key every process gets a random one: sessions then don't survive a
# restart, which is the right failure for a forgotten variable (never a key in the repo).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "apps.curriculum",
    "apps.progress",
    "apps.sandbox",
    "lti_tool",
    "apps.lti",
    "apps.xapi",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions (it reads the language cookie and session), before CommonMiddleware.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dlmath.security.ContentSecurityPolicyMiddleware",
    # The course's revision read once per request, however many parts of a page ask.
    "apps.curriculum.middleware.curriculum_revision_middleware",
    # The same for the learner's and cohorts' versions (apps/progress/versioned.py).
    "apps.progress.middleware.versions_read_once_middleware",
]

ROOT_URLCONF = "dlmath.urls"
WSGI_APPLICATION = "dlmath.wsgi.application"
ASGI_APPLICATION = "dlmath.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

# --- Database: SQLite embedded, PostgreSQL when DATABASE_URL says so ---------------------
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Django's backend, with a health check that is a poll of the idle socket rather than a
    # SELECT 1 round trip on every request (platform/db/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "dlmath.db.postgresql"
    # A database that is down answers at once (refused); one that is unreachable must not
    # hold a request for the OS's minutes-long connect timeout.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DB_CONNECT_TIMEOUT", 5
    )
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default serves a web process's threads and its eager gradings at once.
    # In SQLite's default modes a transaction that read and then writes is refused at once
    # ("database is locked") when another holds the write lock, and readers block the
    # writer. Write-ahead logging lets readers and the one writer proceed together, and
    # BEGIN IMMEDIATE takes the write lock up front, so a second writer queues for it
    # (up to `timeout` seconds) instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        transaction_mode="IMMEDIATE",
        timeout=env_int("DB_SQLITE_TIMEOUT", 20),
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, result backend and cache when REDIS_URL is set ------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    CACHES = {
        "default": {
            # RedisCache that serves without Redis while it is down (dlmath/cache.py): reads
            # miss, rate limits count per process, stale keys are deleted when it is back.
            "BACKEND": "dlmath.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "dlmath",
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 1.0,
                "RETRY_SECONDS": env_int("DLMATH_CACHE_RETRY_SECONDS", 2),
                # DRF's throttles and the login form's failure counter.
                "LOCAL_FALLBACK_KEY_PREFIXES": ["throttle_", "login-failures:"],
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Eager only in the embedded default: the task then runs in the web process, but learner
# code still runs only in the sandbox.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Acknowledge a grading only once it returned: a worker killed mid-grade leaves its messages
# unacknowledged, and Redis hands them out again after the visibility timeout.
CELERY_TASK_ACKS_LATE = True
# A pool child killed (out of memory) puts its message back at once instead of failing it.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Reserve no more than there are slots: fewer messages stranded with a killed worker, and
# none ageing toward the visibility timeout while it waits for a slot.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# (task_acks_on_failure_or_timeout stays True: a task that raised or hit its hard limit is
# acknowledged, not redelivered forever; the requeue sweep below retries its submission up
# to SUBMISSION_MAX_RUNS times.)
# Celery's Django fixup closes every database connection before and after each task unless
# this is set (then only every N tasks): each grading paid a new PostgreSQL backend (~4 ms
# to connect, then cold catalog caches in the new backend for its first statements, ~10 ms
# in all of a ~40 ms submission). With it, a worker keeps its connection as the web does
# (CONN_MAX_AGE, health checks): platform/celery.py closes a broken or aged one around
# each task, as Django does around each request.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Every task's time limits, derived from the sandbox's longest run (apps/sandbox/grading/
# limits.py); the sandbox tasks name them too. Whatever waits on a task is sized from them.
CELERY_TASK_SOFT_TIME_LIMIT = TASK_SOFT_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = TASK_TIME_LIMIT
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 2 * TASK_TIME_LIMIT)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task unacknowledged this long is redelivered (a worker died mid-grade). Keep it above
    # the longest a message can wait reserved plus run (2 x the hard time limit): a live
    # grading redelivered early is graded twice (harmless, but wasted).
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Look for such orphans every few seconds (kombu's default is about every 100 s).
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": 1,
    # A worker killed while it held the restore lock would block every other worker's
    # restores until the lock expires (kombu's default: 300 s). Restoring is a WATCHed
    # transaction per message, so a shorter lock can't restore one message twice.
    "unacked_mutex_expire": 15,
    "max_retries": 1,
}
# Tasks outside an app's tasks.py (autodiscovery finds only those).
CELERY_IMPORTS = ["apps.sandbox.run_tasks"]
# Regrades (apps/sandbox/regrading) have a queue of their own. Every worker consumes both
# queues unless told otherwise (`-Q regrade` for a worker of its own); a regrade batch also
# steps aside whenever a learner's submission waits, so learners are never behind it.
REGRADE_QUEUE = os.environ.get("DLMATH_REGRADE_QUEUE", "regrade")
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue(REGRADE_QUEUE))
CELERY_TASK_ROUTES = {"sandbox.regrade_batch": {"queue": REGRADE_QUEUE}}
# Submissions graded per regrade task: about a second of sandbox time, so a learner's task
# that arrives meanwhile waits at most that long for a worker.
REGRADE_BATCH_SIZE = env_int("DLMATH_REGRADE_BATCH_SIZE", 10)
REGRADE_BATCH_PAUSE_SECONDS = float(os.environ.get("DLMATH_REGRADE_BATCH_PAUSE", "0.5"))
REGRADE_YIELD_SECONDS = float(os.environ.get("DLMATH_REGRADE_YIELD", "2"))

# The database, not the queue, is the record of what still needs grading. Each worker
# sweeps it every SUBMISSION_REQUEUE_INTERVAL seconds (and once when it starts) and sends
# again any submission queued or running for SUBMISSION_REQUEUE_AFTER seconds since it was
# last sent or claimed. Above the hard time limit, so a live grading is never sent twice.
SUBMISSION_REQUEUE_AFTER = env_int("DLMATH_REQUEUE_AFTER", TASK_TIME_LIMIT + 30)
SUBMISSION_REQUEUE_INTERVAL = env_int("DLMATH_REQUEUE_INTERVAL", 10)
# A submission whose grading was started this many times without finishing took its worker
# down each time: it gets a final "could not be graded" error instead of another try.
SUBMISSION_MAX_RUNS = env_int("DLMATH_MAX_GRADING_RUNS", 5)
# GET /api/v1/submissions/<id>/?wait=N holds its answer until the status changes, at most
# this long (apps/sandbox/waits.py); and each web process lets at most SUBMISSION_WAITERS
# requests wait at once (each holds a thread: gunicorn runs 4-8 per process), the others are
# answered at once and their clients poll.
SUBMISSION_WAIT_MAX_SECONDS = env_int("DLMATH_SUBMISSION_WAIT_MAX", 20)
SUBMISSION_WAITERS = env_int("DLMATH_SUBMISSION_WAITERS", 2)

# --- Auth, i18n, static ------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# With Redis every process sees one cache: sessions can be read from it first, and pages can
# cache what a version key invalidates. A local-memory cache is per process, so without
# Redis neither is safe (a logout in one process would leave the session cached in another).
SHARED_CACHE = bool(REDIS_URL)
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if SHARED_CACHE
    else "django.contrib.sessions.backends.db"
)
# ModelBackend whose get_user reads the signed-in user and profile from the shared cache
# (apps/progress/auth.py): two statements fewer on every signed-in request.
AUTHENTICATION_BACKENDS = ["apps.progress.auth.CachedModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "curriculum:course-map"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
# The UI in English and Simplified Chinese; lessons and exercises stay in English. The choice
# comes from the switcher's cookie, else the browser's Accept-Language (pages and API alike).
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# A submission is at most 64 KiB of code; nothing else here needs bigger bodies.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# --- REST framework -----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.progress.auth.CachedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "dlmath.schema.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "submissions": os.environ.get("DLMATH_SUBMISSION_RATE", "30/min"),
        # Runs without grading (try-it cells, run on my own input) cost a sandbox run too.
        "runs": os.environ.get(
            "DLMATH_RUN_RATE", os.environ.get("DLMATH_SUBMISSION_RATE", "30/min")
        ),
        "login": os.environ.get("DLMATH_LOGIN_RATE", "10/min"),
        # Answers to concept checks: plenty for thinking, slow for guessing a choice.
        "answers": os.environ.get("DLMATH_ANSWER_RATE", "60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "dlmath API",
    "DESCRIPTION": "Lessons, exercises, graded submissions and progress.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the drf-spectacular-sidecar package's static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Without deep links an operation's summary is one button, not a button holding a link
    # (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "apps.sandbox.models.SubmissionStatus",
        "RunStatusEnum": "apps.sandbox.models.RunStatus",
        "StatementDeliveryStatusEnum": "apps.xapi.models.DeliveryStatus",
        "GradePassbackStatusEnum": "apps.lti.models.PassbackStatus",
        "RegradeStatusEnum": "apps.sandbox.models.RegradeStatus",
        "RegradeRowStateEnum": "apps.sandbox.models.RegradeRowState",
        "DeadlineMarkEnum": "apps.progress.deadlines.DEADLINE_MARKS",
    },
}

# --- E-mail (password reset) --------------------------------------------------------------
# Printed to the web process's console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
# Implicit TLS (usually port 465) or STARTTLS (usually 587, the default); never both.
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "dlmath <noreply@localhost>")

# --- Security -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG or TESTING else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_TLS_PROXY") else None
)

# --- Grading ------------------------------------------------------------------------------
CURRICULUM_DIR = Path(
    os.environ.get("DLMATH_CURRICULUM_DIR") or BASE_DIR / "apps" / "curriculum" / "content"
)
# Lesson figures (explorables: up to 121 frames each) are built once per lesson content hash
# and kept here between processes and syncs; unwritable, the cache is simply skipped.
LESSON_FIGURE_CACHE_DIR = Path(
    os.environ.get("DLMATH_FIGURE_CACHE_DIR") or BASE_DIR / ".cache" / "lesson-figures"
)
# Where learner code runs (a GradingBackend that isolates it) and, for the sandbox, how many
# runs one process can do at once (one zygote and uid per slot).
SANDBOX_BACKEND = "apps.sandbox.backends.ZygotePoolBackend"
SANDBOX_SLOTS = env_int("DLMATH_SANDBOX_SLOTS", 1)

# --- Course time: spaced review, deadlines --------------------------------------------------
# FSRS fuzzes review intervals a little, so exercises passed together are not all due on
# one day (off only where a test needs exact dates).
REVIEW_FUZZING = env_bool("DLMATH_REVIEW_FUZZING", True)
# A pass graded this long after a deadline still counts as on time: the submission was
# sent before it and waited for a grader.
DEADLINE_GRACE_SECONDS = env_int("DLMATH_DEADLINE_GRACE_SECONDS", 120)

# --- Where courses are taught: LTI 1.3 into an LMS, xAPI records into an LRS --------------
# The public address of this site: LTI redirect and JWKS URLs, xAPI activity and actor IRIs.
DLMATH_BASE_URL = os.environ.get("DLMATH_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Every committed learning event (progress's outbox) is handed to each of these tasks.
LEARNING_EVENT_TASKS = ["xapi.event_publish", "lti.event_passback"]
# The tool's private key (PEM). Without it the newest active key in the database is used
# (`manage.py rotate_keys` makes one); never a key in the repository.
LTI_PRIVATE_KEY = os.environ.get("DLMATH_LTI_PRIVATE_KEY", "")
LTI_HTTP_TIMEOUT = env_int("DLMATH_LTI_HTTP_TIMEOUT", 10)
XAPI_LRS_ENDPOINT = os.environ.get("DLMATH_XAPI_LRS_ENDPOINT", "")
XAPI_LRS_USERNAME = os.environ.get("DLMATH_XAPI_LRS_USERNAME", "")
XAPI_LRS_PASSWORD = os.environ.get("DLMATH_XAPI_LRS_PASSWORD", "")
XAPI_VERSION = os.environ.get("DLMATH_XAPI_VERSION", "1.0.3")
XAPI_CONNECT_TIMEOUT = env_int("DLMATH_XAPI_CONNECT_TIMEOUT", 3)
XAPI_TIMEOUT = env_int("DLMATH_XAPI_TIMEOUT", 10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DLMATH_LOG_LEVEL", "INFO")},
}

if TESTING:
    # Hashing a password takes ~0.5 s by design; tests make hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
