"""WSGI entry point (gunicorn compact_platform.wsgi)."""

from core import bootstrap

bootstrap.run()

from django.core.wsgi import get_wsgi_application  # noqa: E402 -- after the database is ready

application = get_wsgi_application()
