"""Non-secret defaults. Override in instance/config.py, then with PORTAL_* environment variables."""

# Database: None means SQLite in the instance folder (set by create_app).
DATABASE_URL = None
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

# Sessions and forms.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
WTF_CSRF_TIME_LIMIT = 3600 * 8

# Uploads: the largest request body Flask accepts (attachments are capped at 10 MB each).
MAX_CONTENT_LENGTH = 32 * 1024 * 1024
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
IMPORT_MAX_BYTES = 200 * 1024 * 1024

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

# Dates the product shows ("today", deadlines) are in China Standard Time.
TIMEZONE = "Asia/Shanghai"

# Approvals: share of automatic approvals flagged for post-audit.
POST_AUDIT_SHARE = 0.05

# Finance: working days a bank has to answer a routed request.
ROUTE_DEADLINE_WORKING_DAYS = 3
ROUTE_MAX_BANKS = 3
