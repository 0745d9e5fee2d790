"""gunicorn's settings for `make serve-prod` (and any production start from this folder:
gunicorn reads ./gunicorn.conf.py by itself). Command-line flags override these.

Workers: WEB_CONCURRENCY, else 2 x CPUs + 1 (gunicorn's advice for workers that wait on
the database). Every worker keeps its own database connection and nothing else:
sessions, rate limits, throttles and cached counts live in PostgreSQL and Redis.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# Threaded workers (gthread), one request at a time each unless GUNICORN_THREADS says: a
# sync worker is killed when one request outlasts `timeout`, which a hub's whole export
# does at a million citing papers (about a minute of streaming, hubs/exports.py). A
# gthread worker's main thread tells the arbiter it is alive every second while the
# request streams, so `timeout` kills only a worker that stopped responding altogether.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, staggered, so a slow leak never takes a server down. Not
# too often: a kept hub page is answered in about half a millisecond, so at 5,000 a worker
# restarted every few seconds under load, each time paying Django's start-up and losing its
# slug -> paper hints (hubs.page_cache).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# Which proxies may set X-Forwarded-Proto (HTTPS detection): the load balancer's address.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# No access log: the app writes one JSON line per request (pithsite.request_log) with
# the request id and user, and without secrets. gunicorn's own lines are JSON too.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "pithsite.request_log.JsonFormatter"}},
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
    },
    # gunicorn merges this over its defaults key by key: root must name a handler here.
    "root": {"level": "WARNING", "handlers": ["error_console"]},
    "loggers": {
        # No level: gunicorn sets loglevel (or --log-level) on it before applying this.
        "gunicorn.error": {"handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
}
