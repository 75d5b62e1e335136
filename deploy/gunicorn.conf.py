"""gunicorn settings for Afterglow's web processes: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Kept minimal; every value can be changed with the environment variable named beside it.
The reminder scheduler never runs here (EMBEDDED_SCHEDULER must be false in production):
it is its own service, `flask --app wsgi scheduler`.
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
# The feed's path is its secret: no access log unless the deployment sets one up with masking.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Trust X-Forwarded-* only from the reverse proxy on this host.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
