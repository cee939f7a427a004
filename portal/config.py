"""Non-secret defaults. Override in instance/config.py, then with PORTAL_* environment variables."""

# Database: None means SQLite in the instance folder (set by create_app).
DATABASE_URL = None
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
# PostgreSQL timeouts, in seconds: connecting, one statement (server side), waiting for a pooled connection.
DB_CONNECT_TIMEOUT = 2
DB_STATEMENT_TIMEOUT = 30
DB_POOL_TIMEOUT = 5

# Sessions and forms.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
WTF_CSRF_TIME_LIMIT = 3600 * 8

# Request bodies, one limit per route (portal.edge): the data import may send IMPORT_MAX_BYTES, an application
# form UPLOAD_MAX_FILES attachments of UPLOAD_MAX_BYTES each, every other form or API call MAX_CONTENT_LENGTH.
MAX_CONTENT_LENGTH = 2 * 1024 * 1024
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_MAX_FILES = 5
IMPORT_MAX_BYTES = 200 * 1024 * 1024

# Behind TLS (a reverse proxy terminating HTTPS): Secure cookies, HSTS, https URLs.
BEHIND_TLS = False

# Password hashing (werkzeug method); only tests lower it.
PASSWORD_HASH_METHOD = "scrypt"

# Login throttling (Flask-Limiter); a Redis URL here shares limits across workers.
# Per-address limits: "portaldb://" counts in the portal's database, exact across gunicorn workers and hosts; a
# Redis URL (redis://host:6379/1) is faster under load. ("memory://" would count per worker: N workers, N × limit.)
# The per-account lockout (LOGIN_MAX_FAILURES) is counted in the database whatever the store.
RATELIMIT_STORAGE_URI = "portaldb://"
# A store that is down must not stop logins: errors are swallowed and limits fall back to per-process memory.
RATELIMIT_SWALLOW_ERRORS = True
RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
LOGIN_RATE_LIMIT = "10 per minute"
REGISTER_RATE_LIMIT = "5 per hour"
ACTIVATE_RATE_LIMIT = "10 per hour"
# Per-account lockout: this many wrong passwords in a row lock the account for LOGIN_LOCK_MINUTES.
LOGIN_MAX_FAILURES = 5
LOGIN_LOCK_MINUTES = 15

# Background jobs: RQ on Redis when set; inline when None.
REDIS_URL = None

# Logs: "json" for one JSON object per line with the request id (gunicorn.conf.py sets it), else plain text.
LOG_FORMAT = "text"
# Addresses allowed to read /metrics (Prometheus scrapes from the host or a sidecar).
METRICS_ALLOW = ("127.0.0.1", "::1")

# /dashboard reads the district figures pre-aggregated (portal.dashboard.services.refresh, a scheduled job); a snapshot
# older than this many seconds is recomputed on the next view.
DASHBOARD_MAX_AGE = 600

# The nightly digest is split into this many enterprise id ranges, one RQ job each (N workers share them).
DIGEST_PARTS = 8

# Dates the product shows ("today", deadlines) are in China Standard Time.
TIMEZONE = "Asia/Shanghai"

# The deployment's districts, streets and parks: portal/data/regions/<REGION>.json (e.g. hefei_gaoxin).
REGION = "shenzhen"

# Approvals: share of the day's automatic approvals the nightly draw puts into post-audit (keyed by SECRET_KEY).
POST_AUDIT_SHARE = 0.05
# Deadline reminders: an open policy closing within this many days is brought to qualifying firms not yet applied.
DEADLINE_REMINDER_DAYS = 7

# Finance: working days a bank has to answer a routed request; the daily reminder tells a bank whose answer is
# due within ROUTE_REMINDER_HOURS (once per route).
ROUTE_DEADLINE_WORKING_DAYS = 3
ROUTE_MAX_BANKS = 3
ROUTE_REMINDER_HOURS = 24

# Subscription digests: mail through this SMTP server (empty host: inbox only). Links in mail use the base URL.
SMTP_HOST = ""
SMTP_PORT = 25
SMTP_SENDER = "noreply@localhost"
SMTP_USERNAME = ""
SMTP_PASSWORD = ""
SMTP_STARTTLS = False
SMTP_TIMEOUT = 10
PUBLIC_BASE_URL = "http://127.0.0.1:5000"
