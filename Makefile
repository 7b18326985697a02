# The whole onboarding: `make run` serves the portal with demo content,
# `make test` runs the checks and the test suite on SQLite and PostgreSQL.

# Django 6.1 needs Python 3.12 or newer; `python3` may be older here, and
# pyenv shims may exist without a working interpreter behind them.
PYTHON ?= $(shell for candidate in python3.13 python3.12 \
	$(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) \
	$(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) \
	/usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12 python3; do \
	"$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 \
	&& { command -v "$$candidate"; break; }; done)

VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test serve loadtest bench bench-postgres lighthouse install install-dev system-packages messages lint format lock clean

# The portal's default is production (docs/deployment.md); each target says which it needs.
run test: export DJANGO_DEBUG = 1
bench bench-postgres lighthouse loadtest: export DJANGO_DEBUG = 0

run: install messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Serving the portal on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev messages node_modules/axe-core/axe.min.js
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	tests/both-databases.sh $(BIN)/pytest

# The benchmark (not part of `make test`): production settings under gunicorn, wrk, and
# single-client latencies at 1,000 and 100,000 generated articles; writes its section of
# docs/benchmarks.md. SQLite under var/bench/, or PostgreSQL with DATABASE_URL.
bench: install-dev messages
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python tests/bench/run.py

# The same on a PostgreSQL server of its own, up to 1,000,000 articles; its data is kept
# under var/bench/postgres for the next run (the first run generates it: 20 to 45 minutes).
BENCH_POSTGRES_SIZES ?= 1000,100000,1000000
bench-postgres: install-dev messages
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	PG_KEEP_DIR=var/bench/postgres PG_OPTIONS="-c shared_buffers=2GB -c effective_cache_size=8GB" \
	  tests/with-postgres.sh $(BIN)/python tests/bench/run.py --sizes $(BENCH_POSTGRES_SIZES) \
	  --command "make bench-postgres"

# Production server: gunicorn with portal/gunicorn.conf.py, DJANGO_DEBUG=0 unless
# set; the rest of the configuration comes from the environment (docs/deployment.md).
serve: export DJANGO_DEBUG ?= 0
serve: install messages
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py migrate --noinput
	exec $(BIN)/gunicorn -c portal/gunicorn.conf.py portal.wsgi

# 60 s through nginx (deploy/nginx.conf) and gunicorn: readers at 64 connections, junk
# posts, worker recycles and an editor publishing every 10 s (loadtest/run.sh);
# DATABASE_URL chooses the database, a new SQLite otherwise.
loadtest: install messages
	@missing=""; command -v wrk >/dev/null || missing="$$missing wrk"; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi
	PATH="$$PATH:/usr/sbin" loadtest/run.sh

# Lighthouse (mobile) on home, list, an article with camera-size photos, search, a
# communes year and the site map, served through nginx as in production
# (tests/lighthouse/run.sh); writes docs/lighthouse.md.
lighthouse: install tests/lighthouse/node_modules/.bin/lighthouse
	@command -v nginx >/dev/null || { echo "Installing Debian package: nginx-light"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }
	tests/lighthouse/run.sh

tests/lighthouse/node_modules/.bin/lighthouse: tests/lighthouse/package.json tests/lighthouse/package-lock.json
	cd tests/lighthouse && npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed system-packages

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (python3.13 or python3.12)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.runtime-installed

# Debian packages the tests need: Chromium for the browser tests, npm for axe-core,
# PostgreSQL's server binaries and its client programs (backup and restore), Redis
# for the cache tests, nginx for the shipped proxy's tests, Tesseract with its Vietnamese
# model for reading scanned documents and catdoc for legacy Word files (both also needed in
# production), and DejaVu, whose letters the tests' scans are drawn in. Installed only when
# missing.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v pg_dump >/dev/null || missing="$$missing postgresql-client"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	command -v tesseract >/dev/null || missing="$$missing tesseract-ocr"; \
	ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata >/dev/null 2>&1 || missing="$$missing tesseract-ocr-vie"; \
	command -v catdoc >/dev/null || missing="$$missing catdoc"; \
	test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# axe-core, pinned in package-lock.json, for the browser tests' accessibility scan.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Babel (from the lock file) compiles the catalogue: no system gettext, no root.
messages: install
	$(BIN)/pybabel -q compile --domain=django --directory=locale
	$(BIN)/pybabel -q compile --domain=django --directory=portal/locale_overrides
	$(BIN)/pybabel -q compile --domain=djangojs --directory=portal/locale_overrides

lint:
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate the lock files from pyproject.toml (needs uv).
lock:
	uv lock
	uv export --quiet --format requirements-txt --no-emit-project --no-dev -o requirements.lock
	uv export --quiet --format requirements-txt --no-emit-project --all-groups -o requirements-dev.lock

clean:
	rm -rf $(VENV) var node_modules
