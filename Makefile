# Giełda — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export FLASK_APP := app

.PHONY: run hall test test-sqlite test-postgres lint bench load translations system-deps cluster clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

translations: $(VENV)/.runtime
	$(PY) scripts/translations.py

# DEMO=0 make run: start with an empty installation (its first fair is created from a page).
DEMO ?= 1

## Serve the app on http://$(HOST):$(PORT) (SQLite + in-process Socket.IO unless configured).
run: $(VENV)/.runtime translations
	$(PY) -m flask db upgrade
	if [ "$(DEMO)" != 0 ]; then PUBLIC_URL=$${PUBLIC_URL:-http://$(HOST):$(PORT)} $(PY) -m flask fair demo --if-empty; fi
	HOST=$(HOST) PORT=$(PORT) $(PY) -m app

## Serve the fair to the hall from this laptop (docs/laptop-fair.md): listen on every interface,
## PUBLIC_URL = this laptop's address in the local network (unless PUBLIC_URL is set), shown with
## its QR code when the server starts.
hall: $(VENV)/.runtime
	PUBLIC_URL="$$($(PY) -m app.hall --port $(PORT))" && export PUBLIC_URL && \
	$(MAKE) --no-print-directory run HOST=0.0.0.0

system-deps:
	bash scripts/system-deps.sh

## Lint, then the whole suite: SQLite, then the database-facing tests again on PostgreSQL.
test: $(VENV)/.dev translations system-deps
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# Three workers on the two cores of the machines this runs on: a good part of the suite waits
# (browsers, servers in child processes, PostgreSQL), and two workers left a core idle.
PYTEST_WORKERS ?= 3
# --durations: the slowest tests of every run are in its log, to keep the suite within its budget.

test-sqlite:
	$(PY) -m pytest -n $(PYTEST_WORKERS) --durations=25

test-postgres:
	TEST_DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest -n $(PYTEST_WORKERS) --durations=25 -m "db and not browser and not deploy"

## ruff, the layers (import-linter, .importlinter), the import rules it cannot state, and mypy.
lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) scripts/check_imports.py
	$(VENV)/bin/mypy

## The deployment on this machine (deploy/, docs/deploy.md): nginx on 127.0.0.1:8080 in front of
## 3 app processes and the consumer, on the local PostgreSQL (a fresh database with the demo fair,
## dropped at the end) and Redis. Ctrl-C stops it. `python -m deploy.cluster --help` for options.
CLUSTER_ARGS ?= --processes 3 --port 8080 --demo
cluster: $(VENV)/.runtime translations system-deps
	$(PY) -m deploy.cluster $(CLUSTER_ARGS)

bench: $(VENV)/.dev translations system-deps
	$(PY) -m bench

## The gong burst and a trading period on locust (load/): `make load`, figures in docs/benchmarks.md.
## Against a server you started: .venv/bin/python -m load --target URL --spec SPEC (see load/__init__.py).
load: $(VENV)/.dev translations
	$(PY) -m load

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
