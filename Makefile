# The two set-up commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)
DEV    := DEBUG=true

.PHONY: run test install messages debian-packages lint format bench check-deploy clean-db

## run: install (with the Debian packages the PDFs need), prepare the embedded database, load reference and
## demo data, serve on http://127.0.0.1:8000
run: install messages
	@bash scripts/install_debian_packages.sh run
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) MFA_REQUIRED=false $(BIN)/python manage.py seed_demo
	$(DEV) MFA_REQUIRED=false $(BIN)/python manage.py runserver 127.0.0.1:8000

## test: install (with the Debian packages: the browser for browser tests, Pango and fonts for PDFs) and run
## the whole test suite
test: install messages debian-packages
	TEST_REDIS_URL="$${TEST_REDIS_URL:-$$($(BIN)/python scripts/redis_url.py)}" $(BIN)/python -m pytest

install: $(STAMP)

## messages: compile the translation catalogs (locale/*/LC_MESSAGES/django.po) for Django, in pure Python
messages: install
	$(BIN)/python scripts/catalogs.py compile

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

## debian-packages: Debian's Chromium for the Playwright tests (browsers cannot be downloaded by Playwright
## here), Pango and the DejaVu fonts for WeasyPrint's PDFs
debian-packages:
	@bash scripts/install_debian_packages.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: time the pages on the scale data set and rewrite docs/benchmarks.md
bench: install
	$(DEV) $(BIN)/python manage.py bench

## check-deploy: Django's deployment checklist with production-like values
check-deploy: install
	DEBUG=false SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	  ALLOWED_HOSTS=compact.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

## clean-db: stop using and remove the embedded database folder (all local data is lost)
clean-db:
	rm -rf var/postgres
