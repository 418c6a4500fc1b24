# Two commands matter: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
DEV := DEBUG=1

.PHONY: run test test-postgres test-browser lint format check superuser screenshots bench env clean

# The environment is rebuilt whenever the lock file changes.
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

env: $(VENV)/.synced

run: env
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py seed_demo --if-empty
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

test: env
	$(VENV)/bin/pytest

test-postgres: env
	eval "$$(bash .ci/postgres.sh start)" && $(VENV)/bin/pytest

test-browser: env
	$(VENV)/bin/pytest tests/browser

lint: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

format: env
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

superuser: env
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py createsuperuser

screenshots: env
	$(VENV)/bin/pytest tests/browser/test_screenshots.py -p no:randomly --screenshots

bench: env
	$(PY) tests/benchmarks/bench.py

clean:
	rm -rf $(VENV) .tools var staticfiles .pytest_cache
