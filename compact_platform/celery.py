"""The Celery application.

With REDIS_URL, jobs go to Redis and run on `celery -A compact_platform worker` processes (which, like
every process, need DATABASE_URL). Without it, settings make Celery run jobs in-process, and
core.tasks.enqueue defers them to the end of the transaction, so both modes behave alike for callers.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compact_platform.settings")

app = Celery("compact_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
