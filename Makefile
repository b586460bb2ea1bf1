# The two commands: `make run` (demo on 127.0.0.1:$(PORT)) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# GS1's EPCIS 2.0 JSON schema, which capture validates against (not ours to ship): set it, or keep the shared copy.
EPCIS_SCHEMA_DIR ?= $(abspath $(wildcard ../shared/standards/epcis))
DEV := NONGSAN_ENV=development EPCIS_SCHEMA_DIR=$(EPCIS_SCHEMA_DIR)
FLASK := $(BIN)/flask --app wsgi
# One-off commands skip the old-address matcher's warm-up (it only helps a server).
CLI := $(DEV) GEO_WARM_UP=0 $(FLASK)

.PHONY: run test install install-test translations openapi catalogs bench worker clean format audit

$(VENV)/.runtime: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.test: $(VENV)/.runtime pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(VENV)/.runtime translations
install-test: $(VENV)/.test translations

translations: $(VENV)/.runtime
	$(BIN)/pybabel compile -d translations >/dev/null

run: install
	$(CLI) db upgrade
	$(CLI) seed-demo
	$(DEV) PORT=$(PORT) $(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install-test
	$(BIN)/ruff format --check --quiet .
	$(BIN)/ruff check --quiet .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest
	TEST_DATABASE=postgres $(BIN)/python -m pytest tests/integration

# tests/integration/core/test_openapi.py fails when the committed document drifts from the code.
openapi: install
	$(CLI) openapi write --format=json openapi.json

catalogs: install
	$(CLI) translations update

worker: install
	$(DEV) $(BIN)/celery -A wsgi:celery_app worker --beat --schedule instance/celerybeat-schedule --loglevel=INFO

# Apply the formatter and the linter's safe fixes (make test checks both).
format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# PostgreSQL and Redis as in CI (TEST_POSTGRES_URL, TEST_REDIS_URL); wrk drives the trace page under gunicorn.
bench: install-test
	@command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk >/dev/null 2>&1 || \
		(apt-get update -qq && apt-get install -y -qq wrk) || echo "wrk could not be installed: trace_page is skipped"
	$(BIN)/python -m benchmarks

# pip-audit --strict over the pins of pyproject.toml's dependencies, asking PyPI's JSON API for known vulnerabilities.
# --strict fails when a package could not be checked (no answer from the vulnerability source), so an audit that
# checked nothing never passes. Not part of .ci/run: CI cannot reach a vulnerability database.
$(VENV)/.audit: $(VENV)/.runtime pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[audit]'
	touch $@

audit: $(VENV)/.audit
	$(BIN)/python -c "import tomllib; print('\\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
		> $(VENV)/audit-requirements.txt
	$(BIN)/pip-audit --strict --vulnerability-service pypi --progress-spinner off --disable-pip --no-deps \
		-r $(VENV)/audit-requirements.txt || \
		{ echo "make audit FAILED: a known vulnerability, or a package that could not be checked (is PyPI's JSON API reachable?)"; exit 1; }

clean:
	rm -rf $(VENV) instance .pytest_cache
