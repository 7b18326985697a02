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

.PHONY: run test bench bench-postgres install install-dev system-packages messages lint format lock clean

run: install messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Serving the portal on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev messages
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	@echo "== Tests on SQLite =="
	tests/with-redis.sh $(BIN)/pytest
	@echo "== Tests on PostgreSQL =="
	tests/with-postgres.sh tests/with-redis.sh $(BIN)/pytest

# The benchmark (not part of `make test`): production settings under gunicorn, wrk, and
# single-client latencies at 1,000 and 100,000 generated articles; writes its section of
# docs/benchmarks.md. SQLite under var/bench/, or PostgreSQL with DATABASE_URL.
bench: install-dev messages
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python tests/bench/run.py

# The same on a throwaway PostgreSQL server.
bench-postgres: install-dev messages
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	tests/with-postgres.sh $(BIN)/python tests/bench/run.py --command "make bench-postgres"

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

# Debian packages the tests need: Chromium for the browser tests, PostgreSQL's
# server binaries, Redis for the cache tests. Installed only when missing.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# Babel (from the lock file) compiles the catalogue: no system gettext, no root.
messages: install
	$(BIN)/pybabel -q compile --domain=django --directory=locale

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
	rm -rf $(VENV) var
