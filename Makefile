# One command per chore; CI (.ci/run) calls these same targets.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve-prod install migrate demo test test-sqlite test-browser browser-deps api-fuzz \
	lint format migrations-check check clean backup restore bench

# (Re)install only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production settings under gunicorn (gunicorn.conf.py: workers from the CPU count), static
# files collected for whitenoise; a throwaway PostgreSQL and redis-server unless
# DATABASE_URL and CACHE_URL are set (bin/serve-prod; the README lists every variable).
serve-prod: install
	HOST=$(HOST) PORT=$(PORT) bin/serve-prod

# The whole suite on a throwaway PostgreSQL server (started and stopped by bin/with-postgres).
test: install
	bin/with-postgres $(BIN)/pytest $(PYTEST_ARGS)

# The same suite on the embedded SQLite database.
test-sqlite: install
	DATABASE_URL=sqlite:///:memory: $(BIN)/pytest $(PYTEST_ARGS)

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

check: lint migrations-check test test-sqlite test-browser api-fuzz

# The issue-11 figures (bench/run.py): a generate_corpus build, gunicorn + production settings
# + a throwaway redis-server under wrk, and the limits measured in the same run; the table is
# also written to var/bench/latest.json. SCALE=small: 100,000 citing papers (else 1,000,000).
SCALE ?= full
bench: install
	$(BIN)/python -c "import redis" 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[redis]'
	command -v wrk >/dev/null || { apt-get update && apt-get install -y --no-install-recommends wrk; }
	bin/with-postgres $(BIN)/python bench/run.py --scale $(SCALE)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
