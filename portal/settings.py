"""Settings for the Tỉnh đoàn Bắc Kạn portal, read from the environment.

The defaults are production's: a server started with no DJANGO_DEBUG shows no
traceback, and a secret key must be given. DJANGO_DEBUG=1 asks for the local
values (a local key, SQLite under var/, mail to the console), as `make run` and
the tests (tests/settings.py) do.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.csp import CSP
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.html import ckeditor_allowed_content
from core.routers import replica_databases

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


lazy_static = lazy(static, str)


def env_flag(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG", False)

# Production without a key does not serve (portal/checks.py); debug mode has a local one.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # django.contrib.admin, with the portal's admin site
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ckeditor",
    "reversion",
    "ninja",
    "axes",
    "django_tasks_db",
    "core",
    "portal",
    "photos",
    "news",
    "communes",
    "documents",
    "about",
    "questions",
    "schedule",
    "api",
    # readers: sitemaps, the view counter
    "django.contrib.sitemaps",
    "stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.csp.WidgetPolicyMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "core.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and the rest: a stored page is served without them.
    "core.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Old addresses answer with a redirect where they would answer 404.
    "core.redirects.RedirectMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

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
                "portal.context_processors.navigation",
                "portal.context_processors.identity",
            ],
        },
    },
    {
        # E-mails (core/mail.py): plain text, nothing HTML-escaped.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# Every form control named by its label, where the page draws no <label> too.
FORM_RENDERER = "core.forms.Renderer"

WSGI_APPLICATION = "portal.wsgi.application"

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}

# Database faults: a database that hangs or is busy makes a request fail within
# seconds (readers get the 503 page) instead of holding every worker.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's, keeping the query planner's statistics as SQLite advises (core/statistics.py).
    DATABASES["default"]["ENGINE"] = "core.backends.sqlite3"
    DATABASES["default"]["OPTIONS"] = {
        # Readers never wait for a writer; writers queue for the lock, taken
        # when the transaction starts, instead of failing half-way.
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("DJANGO_DB_BUSY_TIMEOUT", "10")),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    statement_timeout_ms = int(os.environ.get("DJANGO_DB_STATEMENT_TIMEOUT", "20")) * 1000
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5")),
        # A statement whose client has gone (given up on a hang, below) stops within 2 s.
        "options": (
            f"-c statement_timeout={statement_timeout_ms} -c client_connection_check_interval=2000"
        ),
    }
# A database that does not answer (core/database.py): a request gives up on it after
# this many seconds (readers get the 503 page), and the process then stops asking it for
# DATABASE_BREAK_SECONDS, answering 503 at once.
DATABASE_HANG_TIMEOUT = float(os.environ.get("DJANGO_DB_HANG_TIMEOUT", "4"))
DATABASE_BREAK_SECONDS = float(os.environ.get("DJANGO_DB_BREAK_SECONDS", "5"))

# Read replicas and connection reuse (core/routers.py)
if not DEBUG and "DJANGO_CONN_MAX_AGE" not in os.environ:
    DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES.update(
    replica_databases(
        os.environ.get("DATABASE_REPLICA_URLS", ""),
        conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0),
    )
)
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["core.routers.ReplicaRouter"]
# Seconds a replica may lag: pages rendered this soon after a change read the primary.
DATABASE_REPLICA_LAG = float(os.environ.get("DATABASE_REPLICA_LAG", "10"))

# Caching: the public pages (core/cache.py), and sessions when servers share Redis
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
    PAGE_CACHE_GENERATION = "default"
    COUNTERS_CACHE = "default"
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHE_DIR = Path(os.environ.get("DJANGO_CACHE_DIR", VAR_DIR / "cache"))
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
        # Each worker process has its own memory: they share the generation through a file.
        "generation": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
        },
        # Rate limits and view counts, shared by every process of the machine and kept
        # across restarts: an SQLite file whose add and incr are atomic (core/ratelimit.py).
        "counters": {
            "BACKEND": "diskcache.DjangoCache",
            "LOCATION": CACHE_DIR / "counters",
            "SHARDS": 4,
            # Waits for another process's write are retried, not failed.
            "DATABASE_TIMEOUT": 0.1,
        },
    }
    PAGE_CACHE_GENERATION = "generation"
    COUNTERS_CACHE = "counters"
PAGE_CACHE = "default"
PAGE_CACHE_ENABLED = env_flag("DJANGO_PAGE_CACHE", True)
# Seconds a CDN may keep a page (it cannot be told of changes); browsers always revalidate.
PAGE_CACHE_SHARED_MAX_AGE = int(os.environ.get("DJANGO_PAGE_CACHE_SHARED_MAX_AGE", "30"))
# Upper bound on how long an entry is kept; it is served only while its version holds.
PAGE_CACHE_TIMEOUT = 24 * 3600
# Set only by `make bench`: requests with this header are rendered fresh.
PAGE_CACHE_BYPASS_HEADER = os.environ.get("DJANGO_PAGE_CACHE_BYPASS_HEADER", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes refuses a locked-out login before the password is hashed.
AUTHENTICATION_BACKENDS = [
    "portal.auth.LoginThrottlingBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff log in through the admin; a login with no usable `next` lands there too.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
# A link to set a new password (portal/auth.py) works for a day, and once.
PASSWORD_RESET_TIMEOUT = 24 * 3600

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese everywhere: interface, dates typed and shown day-first, local time.
LANGUAGE_CODE = "vi"
# English only for the introduction and contacts (/en/…, see portal/urls.py).
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# The portal's catalogue, then Vietnamese for Django strings its own catalogue lacks.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "portal" / "locale_overrides"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))


# Media storage: the local folder, or S3-compatible object storage (django-storages)
def media_storage():
    if os.environ.get("DJANGO_MEDIA_STORAGE", "local") != "s3":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if not os.environ.get("DJANGO_S3_BUCKET"):
        raise ImproperlyConfigured("DJANGO_MEDIA_STORAGE=s3 needs DJANGO_S3_BUCKET.")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["DJANGO_S3_BUCKET"],
            "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DJANGO_S3_REGION") or None,
            "access_key": os.environ.get("DJANGO_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("DJANGO_S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": os.environ.get("DJANGO_S3_CUSTOM_DOMAIN") or None,
            "default_acl": os.environ.get("DJANGO_S3_DEFAULT_ACL") or None,
            # Plain URLs: a signed one would expire inside a cached page.
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads above this size go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Console locally; SMTP from the environment in production.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587")),
        "username": os.environ.get("DJANGO_EMAIL_USER", ""),
        "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
        "use_tls": env_flag("DJANGO_EMAIL_USE_TLS", True),
        "timeout": 10,
    }
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")

# Tasks: notifications are queued in the database and delivered by a worker
# (`manage.py db_worker`), which retries while the mail server is away. Locally
# they run at once, so `make run` prints them to the console.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_TASKS_BACKEND",
            "django.tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}

# The portal's public address, for links in e-mails sent outside a request.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000")

# Client addresses, for rate limits: how many proxies in front of the portal
# append to X-Forwarded-For (0: use the connection's address).
NUM_PROXIES = int(os.environ.get("DJANGO_NUM_PROXIES", "0" if DEBUG else "1"))

# Page views are written to the database in batches, this often (stats/counting.py).
STATS_FLUSH_SECONDS = float(os.environ.get("DJANGO_STATS_FLUSH_SECONDS", "10"))

# Questions from the public: (how many, per how many seconds).
QUESTIONS_RATE_LIMITS = {
    "per_client": (5, 3600),
    "site": (200, 3600),
    "lookups": (30, 3600),
}

# Open data API (django-ninja)
API_RATE = os.environ.get("DJANGO_API_RATE", "120/m")
API_CACHE_SECONDS = 300

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (Django's own). Public pages carry no inline script
# and no nonce, so a cached page stays valid; JSON-LD is data, not script.
# Style attributes are allowed for the communes' bar charts.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "https:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.NONE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Pages that show CKEditor 4 (any form with a rich-text field, and its uploader): its
# toolbar runs inline event handlers and its editing frame an inline script, which no
# hash or nonce covers; its dialogs frame the uploader. The editor's widget brings this
# policy to whatever page draws it (core.csp); every other page keeps the one above.
EDITOR_CSP = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", "https:"],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}

# django-axes (portal/auth.py): five wrong passwords for one account from one
# address within the cool-off lock that pair (not the account, not the address),
# and LOGIN_ADDRESS_FAILURE_LIMIT from one address, whatever the accounts, lock the
# address, until the cool-off has passed; tries while locked do not prolong it.
# Setting a new password by e-mail unlocks at once; `manage.py axes_reset` unlocks
# everyone.
AXES_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "portal.auth.LoginAttempts"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.auth.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_address"
AXES_ENABLE_ADMIN = False  # its admin pages are in English; axes_* commands instead

# django-ckeditor
# Its uploader and file browser are the photo library's (photos.views): only images,
# CSRF-checked, re-encoded under ASCII names, each user seeing what they may reuse.
# Captioned images are image2's <figure class="image">; see docs/security.md.
# Where django-ckeditor's own uploader stored files (read by import_ckeditor_uploads;
# the package also refuses to load without it).
CKEDITOR_UPLOAD_PATH = "uploads/"
CKEDITOR_CONFIGS = {
    "default": {
        "language": "vi",
        "height": 420,
        "width": "100%",
        "toolbar": "Newsroom",
        "toolbar_Newsroom": [
            ["Format", "Bold", "Italic", "Underline", "Strike", "Subscript", "Superscript"],
            ["NumberedList", "BulletedList", "Blockquote", "Outdent", "Indent"],
            ["Link", "Unlink", "Image", "Table", "HorizontalRule", "SpecialChar"],
            ["Undo", "Redo", "RemoveFormat", "Source", "Maximize"],
        ],
        "format_tags": "p;h2;h3;h4",
        # Keep the editor to what the sanitiser lets through, so editors see
        # what readers will see.
        "allowedContent": ckeditor_allowed_content(),
        # image2 (captioned figures) replaces the plain image dialog; uploads go
        # through the dialog only, where alternative text is asked for.
        "extraPlugins": "image2,portalimages,portaltexts",
        "removePlugins": "image,uploadimage,exportpdf",
        # CKEditor 4.22 would otherwise ask cdn.ckeditor.com whether it is up to date and
        # show its answer in English; the version is pinned and checked by our own tests.
        "versionCheck": False,
        "external_plugin_resources": [
            ["portalimages", lazy_static("photos/ckeditor/portalimages/plugin.js"), ""],
            ["portaltexts", lazy_static("core/ckeditor/portaltexts/plugin.js"), ""],
        ],
        # CKEditor's own look, then images that fit the box and captions that wrap.
        "contentsCss": [
            lazy_static("ckeditor/ckeditor/contents.css"),
            lazy_static("photos/ckeditor/contents.css"),
        ],
        "image2_captionedClass": "image",
        "image2_alignClasses": None,
        "filebrowserUploadUrl": reverse_lazy("photos:ckeditor-upload"),
        "filebrowserBrowseUrl": reverse_lazy("photos:ckeditor-browse"),
        "filebrowserUploadMethod": "xhr",
        "filebrowserWindowWidth": 960,
        "filebrowserWindowHeight": 720,
        "portalImages": {
            "altLabel": _("Alternative text (what the image shows, for readers who cannot see it)"),
            "altMissing": _("Please describe the image for readers who cannot see it."),
            "captionedLabel": _("Caption under the image"),
            "captionPlaceholder": _("Caption"),
            "pastedImage": _(
                "Pasted images are not kept. Use the Image button to upload the image "
                "or choose it from the photo library."
            ),
        },
        # What CKEditor's Vietnamese catalogue leaves in English, shaped like editor.lang.
        "portalTexts": {
            "application": _("Rich text editor"),
            "editorPanel": _("Rich text editor panel"),
            "format": {
                "tag_h2": _("Heading 2"),
                "tag_h3": _("Heading 3"),
                "tag_h4": _("Heading 4"),
            },
            "link": {
                "displayText": _("Display text"),
                "toPhone": _("Phone"),
                "phoneNumber": _("Phone number"),
                "noTel": _("Please type the phone number"),
                "download": _("Force download"),
                "anchor": {"errorWhitespace": _("An anchor name cannot contain spaces")},
            },
            "table": {
                "heightUnit": _("height unit"),
                "cell": {"columnHeader": _("Column header"), "rowHeader": _("Row header")},
            },
            "widget": {"label": _("%1 widget")},
            "notification": {"closed": _("Notification closed.")},
            "toolbar": {"toolbarGroups": {"clipboard": _("Clipboard/Undo")}},
            "clipboard": {
                "pasteNotification": _(
                    "Press %1 to paste. Your browser does not let you paste with the "
                    "toolbar button or the context menu."
                ),
                "pasteMsg": _("Paste your content in the box below and press OK."),
                "fileFormatNotSupportedNotification": _(
                    "Files of these formats cannot be pasted: ${formats}."
                ),
                "fileWithoutFormatNotSupportedNotification": _(
                    "Files of this format cannot be pasted."
                ),
            },
            "uploadwidget": {
                "abort": _("The upload was cancelled."),
                "doneOne": _("The file was uploaded."),
                "doneMany": _("%1 files were uploaded."),
                "uploadOne": _("Uploading the file ({percentage}%)…"),
                "uploadMany": _("Uploading the files: {current} of {max} done ({percentage}%)…"),
            },
        },
    },
}
# CKEditor 4 reached its upstream end of life; how the portal contains that is
# written down in docs/security.md ("CKEditor's uploader").
SILENCED_SYSTEM_CHECKS = ["ckeditor.W001"]
