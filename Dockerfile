# The platform's production image: gunicorn for the web, the same image for Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# WeasyPrint (the country briefs' PDF) needs Pango; the brief's fonts are Debian's DejaVu, never downloaded.
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core && rm -rf /var/lib/apt/lists/*

RUN useradd --system --home /app --shell /usr/sbin/nologin compact

COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install -e . && rm -rf /root/.cache

COPY . .
# The translation catalogs, compiled for Django (pure Python: no gettext tools in the image).
RUN python scripts/catalogs.py compile
# Static files are collected at build time; a dummy key is enough for collectstatic, never used at run time.
RUN DEBUG=false SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-xx ALLOWED_HOSTS=build \
    DATABASE_URL=postgres://build@localhost/build python -c "import django, os; \
os.environ['DJANGO_SETTINGS_MODULE']='compact_platform.settings'; django.setup(); \
from django.core.management import call_command; call_command('collectstatic', '--noinput', verbosity=0)"

USER compact
EXPOSE 8000
CMD ["gunicorn", "compact_platform.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
