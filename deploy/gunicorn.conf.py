"""gunicorn settings for Afterglow's web processes: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Every value can be changed with the environment variable named beside it. The reminder
scheduler never runs here (EMBEDDED_SCHEDULER must be false in production): it is its own
service, `flask --app wsgi scheduler`.

The access log is on, in the usual combined format, with every link credential masked
(/feed/***, /email/day/***/done, /password/reset/***, /account/confirm/***): the paths of the
calendar feed and of the links in emails are the secrets themselves.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: every request is short (a page, a feed, a 304); a reverse proxy buffers slow clients.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
# Each worker opens its own database and Redis connections after the fork: no preloading.
preload_app = False
# Recycle workers now and then, so no slow leak outlives a day.
max_requests = 20_000
max_requests_jitter = 2_000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logger_class = "planner.gunicorn_logger.MaskingLogger"
# Trust X-Forwarded-* only from the reverse proxy on this host.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
