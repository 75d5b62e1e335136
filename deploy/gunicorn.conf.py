"""Gunicorn settings for Afterglow: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

The access log is on, in the usual combined format, with every link credential masked
(/feed/***, /email/day/***/done, /password/reset/***, /account/confirm/***): the paths of the
calendar feed and of the links in emails are the secrets themselves.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
accesslog = "-"
errorlog = "-"
logger_class = "planner.gunicorn_logger.MaskingLogger"
# Never the scheduler: run `flask --app wsgi scheduler` as its own service (README).
