# The two commands: `make run` (demo on 127.0.0.1:$(PORT)) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
DEV := NONGSAN_ENV=development
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install install-test translations openapi bench worker clean

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
	$(DEV) $(FLASK) db upgrade
	$(DEV) $(FLASK) seed-demo
	$(DEV) PORT=$(PORT) $(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install-test
	$(BIN)/lint-imports
	$(DEV) $(FLASK) openapi write --format=json openapi.check.json && diff -q openapi.json openapi.check.json >/dev/null || { echo "openapi.json drifted from the code: run 'make openapi' and commit it"; rm -f openapi.check.json; exit 1; }
	rm -f openapi.check.json
	$(BIN)/python -m pytest
	TEST_DATABASE=postgres $(BIN)/python -m pytest tests/integration

openapi: install
	$(DEV) $(FLASK) openapi write --format=json openapi.json

worker: install
	$(DEV) $(BIN)/celery -A wsgi:celery_app worker --beat --schedule instance/celerybeat-schedule --loglevel=INFO

bench: install-test
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) instance .pytest_cache
