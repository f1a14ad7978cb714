# Two commands do everything on a fresh machine:
#   make run    create .venv, install, vendor the map's assets, build the demo
#               database on first run, serve at http://localhost:8501
#   make test   install what the tests need (Debian packages included), start a
#               throwaway PostgreSQL server, then ruff and pytest
# Also: make lint, make audit, make clean.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# The steps of `make test` must run in order even under `make -j`.
.NOTPARALLEL:

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
# Re-install only when a requirements file (or the package metadata) changed.
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
# Extra arguments for the serve command, e.g. make run SERVE_ARGS="--port 8600".
SERVE_ARGS ?=
# Make targets `make test` runs after pytest, inside the same PostgreSQL
# server: the small-N benchmark, so that it keeps working (it prints times,
# it asserts none).
TEST_EXTRA_TARGETS ?= bench-smoke
# make bench: every page's server time at BENCH_CASES cases (issue 6), e.g.
# make bench BENCH_CASES=1000000 BENCH_ARGS="--db postgresql://postgres@127.0.0.1:54329/bench_1m"
BENCH_CASES ?= 100000
BENCH_ARGS ?=

.PHONY: help run test lint audit clean install install-dev vendor system-packages test-steps pytest bench bench-smoke

help:
	@echo "make run    install and serve the dashboard at http://localhost:8501 (demo data on first run)"
	@echo "make test   install test dependencies and system packages, then ruff and pytest"
	@echo "make lint   ruff check"
	@echo "make audit  pip-audit of requirements.txt"
	@echo "make bench  time every page at BENCH_CASES cases (default 100000), write var/bench/"
	@echo "make clean  remove .venv, vendored assets and caches (never var/)"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt pyproject.toml | $(PY)
	$(PIP) install -q -r requirements.txt
	$(PIP) install -q --no-deps -e .
	@touch $@

$(DEV_STAMP): requirements-dev.txt $(RUNTIME_STAMP)
	$(PIP) install -q -r requirements-dev.txt
	@touch $@

install: $(RUNTIME_STAMP)

install-dev: $(DEV_STAMP)

vendor:
	@scripts/vendor-assets.sh

system-packages:
	@scripts/system-packages.sh

# The demo database is built only where the default database is used: a
# database named by DASHBOARD_DB_URL is never filled with demo data.
run: install vendor
	@if [ -z "$${DASHBOARD_DB_URL:-}" ] && [ ! -f var/dashboard.sqlite ]; then \
		echo "First run: building the demo database var/dashboard.sqlite"; \
		$(PY) -m dashboard demo; \
	fi
	@# The demo logs in by itself (README, "Accounts and roles"); the app honours
	@# this only on a demo database and never in production.
	DASHBOARD_DEMO_LOGIN=$${DASHBOARD_DEMO_LOGIN:-1} $(PY) -m dashboard serve $(SERVE_ARGS)

test: install-dev system-packages vendor
	@scripts/test-postgres.sh $(MAKE) --no-print-directory test-steps
	@scripts/audit.sh $(PY) warn

test-steps: lint pytest $(TEST_EXTRA_TARGETS)

lint: install-dev
	$(PY) -m ruff check .

# pytest exits 5 when it collected no test: that is a failure here too.
pytest: install-dev
	@$(PY) -m pytest -ra || { status=$$?; \
		if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; fi; \
		exit $$status; }

bench: install-dev
	$(PY) -m dashboard bench --cases $(BENCH_CASES) $(BENCH_ARGS)

# A few hundred cases, every page, once on SQLite and (inside `make test`) once
# on the throwaway PostgreSQL server; reports go to var/bench/smoke/.
bench-smoke: install-dev
	$(PY) -m dashboard bench --cases 500 --repeats 1 --db sqlite:///var/bench/smoke/bench-smoke.sqlite --out var/bench/smoke
	@if [ -n "$${DASHBOARD_TEST_PG_URL:-}" ]; then \
		$(PY) -m dashboard bench --cases 500 --repeats 1 --out var/bench/smoke \
			--db "$${DASHBOARD_TEST_PG_URL%/*}/bench_smoke"; \
	fi

audit: install-dev
	@scripts/audit.sh $(PY) strict

clean:
	rm -rf $(VENV) dashboard/static/vendor .pytest_cache .ruff_cache build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
