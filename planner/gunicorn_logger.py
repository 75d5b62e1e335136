"""Gunicorn's logger with every token masked: deploy/gunicorn.conf.py selects it.

Gunicorn writes the access log itself, outside the app, so the app's own filters never see
those lines; this class puts the same filter (planner.redact) on both of gunicorn's logs.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from planner.redact import MaskTokensFilter


class MaskingLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, MaskTokensFilter) for f in log.filters):
                log.addFilter(MaskTokensFilter())
