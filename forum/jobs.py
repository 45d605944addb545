"""Background jobs: work that talks to the outside world (mail, webhooks) and so never runs
inside a page's request.

An area registers a function that does what is due (sends the mail whose time has come,
retries the webhook whose backoff has passed) and returns how many items it handled. The
worker (``flask worker``) calls ``run_due`` in its loop; the embedded setup calls it after
responses. Each job keeps its own queue table with attempts and a next-attempt time, so a
failing remote delays only its own items.
"""

import logging

log = logging.getLogger(__name__)
_jobs = []


def register(job):
    """Register ``job()`` -> number of items handled; it must be safe to run concurrently."""
    if job not in _jobs:
        _jobs.append(job)


def run_due():
    """Run every registered job once; a failing job is logged and never stops the others."""
    handled = 0
    for job in list(_jobs):
        try:
            handled += job() or 0
        except Exception:
            log.exception("job %s failed", getattr(job, "__name__", job))
    return handled
