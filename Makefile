# One command per chore; CI (.ci/run) calls these same targets.
# Python 3.11 to 3.13 (pyproject.toml): the first one found, or PYTHON=... to choose.
PYTHON ?= $(firstword $(shell command -v python3.11 python3.12 python3.13 2>/dev/null))
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# uv installs the dependencies (seconds, where pip took two minutes and printed pages of
# warnings). It comes from PyPI into the venv, runs the venv's own interpreter, and never
# downloads a Python of its own.
UV := uv>=0.13,<0.14
PIP_QUIET := --quiet --quiet --disable-pip-version-check
export UV_PYTHON_DOWNLOADS := never
# uv compiles no bytecode at install (pip did, slowly); Python writes it on first import
# instead, unless PYTHONDONTWRITEBYTECODE is set, and then every command would compile
# Django, SciPy and scikit-learn again (seconds each): make's commands keep the cache.
unexport PYTHONDONTWRITEBYTECODE
# Python 3.13 for test-3.13: pyenv's, else one on the PATH.
PYTHON313 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) \
	$(shell command -v python3.13 2>/dev/null))

.PHONY: run serve-prod install install-site migrate demo test test-sqlite test-3.13 test-browser \
	browser-deps api-fuzz lint format migrations-check check clean backup restore bench

# The venv, with uv in it: uv comes in with the interpreter's own pip (seconds faster than
# a venv's ensurepip), else with the venv's; uv then adds pip itself, for `.venv/bin/pip`.
$(BIN)/uv:
	@test -n "$(PYTHON)" || { echo "Python 3.11, 3.12 or 3.13 is needed (or PYTHON=...)" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv --without-pip $(VENV)
	@$(PYTHON) -m pip --python $(BIN)/python install $(PIP_QUIET) '$(UV)' 2>/dev/null \
		|| { $(BIN)/python -m ensurepip >/dev/null && $(BIN)/python -m pip install $(PIP_QUIET) '$(UV)'; }

# (Re)install only when pyproject.toml changed since the last install; quiet: errors only.
# `make run` needs the site's dependencies alone; every other target the dev tools too.
SITE_STAMP := $(VENV)/.installed-site
$(SITE_STAMP): pyproject.toml | $(BIN)/uv
	@echo "Installing the site's dependencies into $(VENV) ($$($(BIN)/python --version))..."
	@$(BIN)/uv pip install --quiet --python $(BIN)/python pip -e .
	@touch $@

$(STAMP): pyproject.toml | $(BIN)/uv
	@echo "Installing the dependencies and dev tools into $(VENV) ($$($(BIN)/python --version))..."
	@$(BIN)/uv pip install --quiet --python $(BIN)/python pip -e '.[dev]'
	@touch $@ $(SITE_STAMP)

install-site: $(SITE_STAMP)

install: $(STAMP)

migrate: install-site
	@mkdir -p var
	@$(BIN)/python manage.py migrate --no-input --verbosity 0

demo: migrate
	@$(BIN)/python manage.py load_demo

run: demo
	@$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production settings under gunicorn (gunicorn.conf.py: workers from the CPU count), static
# files collected for whitenoise; a throwaway PostgreSQL and redis-server unless
# DATABASE_URL and CACHE_URL are set (bin/serve-prod; the README lists every variable).
serve-prod: install-site
	HOST=$(HOST) PORT=$(PORT) bin/serve-prod

# The whole suite on a throwaway PostgreSQL server (started and stopped by bin/with-postgres).
test: install
	bin/with-postgres $(BIN)/pytest $(PYTEST_ARGS)

# The same suite on the embedded SQLite database.
test-sqlite: install
	DATABASE_URL=sqlite:///:memory: $(BIN)/pytest $(PYTEST_ARGS)

# The same suite on SQLite under Python 3.13 as well, in a venv of its own (.venv-3.13).
test-3.13:
	@test -n "$(PYTHON313)" || { echo "Python 3.13 not found (pyenv or PATH); PYTHON313=..." >&2; exit 1; }
	$(MAKE) --no-print-directory test-sqlite PYTHON=$(PYTHON313) VENV=.venv-3.13

# schemathesis against the live OpenAPI schema, on a throwaway PostgreSQL server.
api-fuzz: install
	bin/with-postgres bin/api-fuzz

# Headless Chromium (Debian's package) driven by Playwright, plus axe-core from npm.
test-browser: install browser-deps
	bin/with-postgres $(BIN)/pytest -m browser tests/browser $(PYTEST_ARGS)

browser-deps:
	command -v chromium >/dev/null || { apt-get update && apt-get install -y --no-install-recommends chromium; }
	npm ci --prefix tests/browser --no-audit --no-fund --silent

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# The database named by DATABASE_URL (PostgreSQL) to and from one file, pg_dump's custom
# format: make backup FILE=var/pithsite.dump; make restore FILE=var/pithsite.dump
# (restore replaces what is there, in one transaction).
backup: install
	@test -n "$(FILE)" || { echo "usage: make backup FILE=path" >&2; exit 2; }
	$(BIN)/python manage.py db_backup "$(FILE)"

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=path" >&2; exit 2; }
	$(BIN)/python manage.py db_restore "$(FILE)"

check: lint migrations-check test test-sqlite test-3.13 test-browser api-fuzz

# The issue-11 figures (bench/run.py): a generate_corpus build, gunicorn + production settings
# + a throwaway redis-server under wrk, and the limits measured in the same run; the table is
# also written to var/bench/latest.json. SCALE=small: 100,000 citing papers (else 1,000,000).
SCALE ?= full
bench: install
	$(BIN)/python -c "import redis" 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[redis]'
	command -v wrk >/dev/null || { apt-get update && apt-get install -y --no-install-recommends wrk; }
	bin/with-postgres $(BIN)/python bench/run.py --scale $(SCALE)

clean:
	rm -rf $(VENV) .venv-3.13 var .pytest_cache .ruff_cache
