# Two commands matter: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
DEV := DEBUG=1

.PHONY: run test test-fast test-postgres test-browser lint format superuser screenshots bench bench-national env clean messages translations

# The environment is rebuilt whenever the lock file changes.
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

env: $(VENV)/.synced

# The Spanish catalogue, compiled whenever its .po file changes (Babel: no system gettext
# needed). The compiled file is committed too; tests/site/test_translations.py fails if it
# does not match the .po.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
%.mo: %.po | $(VENV)/.synced
	$(VENV)/bin/pybabel compile -i $< -o $@

translations: $(CATALOGUES)

# After changing marked strings: refresh the .po files (needs GNU gettext's xgettext and
# msgmerge: apt-get install gettext), translate the new entries, then `make translations`.
messages: env
	$(DEV) $(PY) manage.py makemessages -l es --no-location --no-obsolete \
		--ignore 'tests/*' --ignore '.tools/*' --ignore 'staticfiles/*' --ignore 'var/*'
	$(MAKE) translations

# One task worker runs beside the dev server (admin uploads, notification emails), and is
# stopped with it. It does not reload on code changes: restart `make run` after editing a task.
run: env translations
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py seed_demo --if-empty
	$(DEV) $(PY) manage.py db_worker --queue-name '*' --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

# Test runs keep compiled bytecode under var/ even where the environment says not to write
# any (PYTHONDONTWRITEBYTECODE): otherwise every test process and every subprocess a test
# starts compiles Django, the apps and the rewritten test modules from source again.
TESTENV := env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(CURDIR)/var/pycache

# Browser tests run in their own pytest run whenever a browser is present, and always in CI,
# where a missing browser is a failure. They spend most of their time waiting on the browser
# and the live server, so two workers (each with its own database, demo data, live server
# and browser) nearly halve the wait.
# --dist loadgroup: tests marked with one xdist_group (the two-server tests, which share
# their servers) run in the same worker; the rest are spread as usual.
test: env translations
	$(TESTENV) $(VENV)/bin/pytest -n 2 --dist loadgroup --ignore=tests/browser
	@if [ -n "$$CI" ] || [ -x /usr/bin/chromium-headless-shell ] || [ -x /usr/bin/chromium ] || [ -n "$$CHROMIUM" ] || [ -d "$$HOME/.cache/ms-playwright" ]; then \
		$(TESTENV) $(VENV)/bin/pytest -n 2 tests/browser; \
	else \
		echo "No Chromium on this machine: browser tests not run (apt-get install chromium-headless-shell)."; \
	fi

# A quicker pass while working: no browser tests and nothing marked slow (scale seeding,
# large imports, concurrency, fuzzing). `make test` still runs everything.
test-fast: env translations
	$(TESTENV) $(VENV)/bin/pytest -n 2 --dist loadgroup -m "not slow" --ignore=tests/browser

test-postgres: env
	eval "$$(bash .ci/postgres.sh start)" && $(MAKE) test

test-browser: env translations
	$(TESTENV) $(VENV)/bin/pytest -n 2 tests/browser

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
	$(VENV)/bin/pytest tests/browser/test_pages.py -k fits_a_small_phone --screenshots

# Throughput beside a static file, against gunicorn (needs wrk: apt-get install wrk).
bench: env
	$(PY) tests/benchmarks/bench.py

# The same at national scale: PostgreSQL in DATABASE_URL, loaded once with
# `$(PY) tests/benchmarks/national_data.py 100000` (kept between runs).
bench-national: env
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL to the national PostgreSQL database."; exit 1; }
	$(PY) tests/benchmarks/bench.py --national --write

clean:
	rm -rf $(VENV) .tools var staticfiles .pytest_cache
