# dlmath: `make run` sets everything up and serves the site; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Local defaults for `make run`: plain HTTP on loopback, so cookies can't be Secure-only.
RUN_ENV := DJANGO_SECURE_COOKIES=0 DJANGO_HSTS_SECONDS=0 DJANGO_SECRET_KEY="$$(cat .secret_key)"

.PHONY: run install assets migrate setup test test-services sweeps lint format worker bench clean ralph

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# Ralph, a real Learning Record Store the xAPI tests send statements to. Its own virtualenv:
# its FastAPI/pydantic pins are none of the project's business. (5.1.0 imports requests
# without declaring it.)
RALPH_VENV := .venv-ralph
$(RALPH_VENV)/.installed:
	test -x $(RALPH_VENV)/bin/python || $(PYTHON) -m venv $(RALPH_VENV)
	$(RALPH_VENV)/bin/pip install --quiet --upgrade pip
	$(RALPH_VENV)/bin/pip install --quiet "ralph-malph[cli,lrs]==5.1.0" "requests>=2.32,<3"
	touch $@

ralph: $(RALPH_VENV)/.installed

frontend/static/dist/.built: frontend/node_modules/.package-lock.json $(wildcard frontend/src/*.js)
	cd frontend && npm run build
	touch $@

assets: frontend/static/dist/.built

.secret_key:
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

setup: install assets .secret_key
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(PY) manage.py sync_curriculum
	@# seed_demo prints new passwords once; keep that print (mode 600) to show on every run.
	$(RUN_ENV) $(PY) manage.py seed_demo > .demo-logins.new
	@if grep -q "shown once" .demo-logins.new; then install -m 600 .demo-logins.new .demo-logins; fi
	@rm -f .demo-logins.new

run: setup
	@echo
	@if [ -f .demo-logins ]; then sed 's/^/  /' .demo-logins; fi
	@echo "  dlmath is starting at http://$(HOST):$(PORT)/  (admin: manage.py createsuperuser)"
	@# Without Redis the cache is per process (throttles, sessions), so one web process.
	@if [ -n "$$REDIS_URL" ]; then echo "  REDIS_URL set: starting a Celery worker beside the web server"; \
	  $(RUN_ENV) $(VENV)/bin/celery -A dlmath worker --concurrency 2 --loglevel INFO & workers=2; \
	else workers=1; fi; \
	$(RUN_ENV) $(VENV)/bin/gunicorn dlmath.wsgi --bind $(HOST):$(PORT) --workers $$workers --threads 8 --timeout 90 --access-logfile -

worker: install .secret_key
	$(RUN_ENV) $(VENV)/bin/celery -A dlmath worker --concurrency 2 --loglevel INFO

lint: install frontend/node_modules/.package-lock.json
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	cd frontend && npm run --silent lint

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The whole suite on the embedded default (SQLite, eager Celery). Service tests run here
# too when DATABASE_URL / REDIS_URL are set; `make test-services` runs them on their own.
test: install assets ralph lint
	DLMATH_REQUIRE_RALPH=1 $(PY) -m pytest

# With DATABASE_URL: the suite (less the browser tests) again on that database, tasks eager;
# then the tests that need the real broker and a worker, on REDIS_URL. The content's own
# verdicts (every exercise and mistake file graded through the sandbox, tests/curriculum/
# test_content.py) never touch the database: `make test` runs them once, this run skips them.
test-services: install assets ralph
	@if [ -n "$$DATABASE_URL" ]; then env -u REDIS_URL DLMATH_REQUIRE_RALPH=1 $(PY) -m pytest -m "not browser and not services" --ignore tests/curriculum/test_content.py; fi
	$(PY) -m pytest -m services

# The course graded in bulk through one warm pool of two slots: every reference under 200
# seeds, every mistake file under 20, every mutant of every reference (see
# tests/curriculum/test_sweeps.py). DLMATH_MUTANT_THRESHOLD sets the least kill rate (%) of a
# converted exercise.
sweeps: install
	DLMATH_SWEEPS=1 DLMATH_SANDBOX_SLOTS=2 $(PY) -m pytest -m sweep -s tests/curriculum/test_sweeps.py

bench: install
	$(PY) bench/sandbox.py

clean:
	rm -rf $(VENV) $(RALPH_VENV) frontend/node_modules frontend/static/dist staticfiles .pytest_cache .ruff_cache
