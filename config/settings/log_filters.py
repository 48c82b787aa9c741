"""Filters for the LOGGING setting (base.py)."""

import logging


class RefusedRequestWithoutTraceback(logging.Filter):
    """A refused request (4xx: not found, not allowed, a bad request) is one short line in the log,
    not a stack trace: Django logs a PermissionDenied or a SuspiciousOperation with its exception,
    which tells an operator nothing and buries the errors (5xx) that matter. The line is kept;
    only its traceback goes."""

    def filter(self, record: logging.LogRecord) -> bool:
        status_code = getattr(record, "status_code", None)
        if isinstance(status_code, int) and 400 <= status_code < 500:
            record.exc_info = None
            record.exc_text = None
        return True
