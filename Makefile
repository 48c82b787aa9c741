# Two commands for a new user: `make run` and `make test`. Everything else is a helper of these.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python >= 3.12: take 3.12 (or 3.13) where found, else python3 (then Django 5.2 LTS).
PYTHON ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3 python3.13 $$HOME/.pyenv/versions/3.13*/bin/python3 python3; do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then echo $$p; break; fi; done)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
RUN_SETTINGS := config.settings.run

.PHONY: help run test check lint typecheck migrations-check demo clean benchmark

help:
	@echo "make run    - install, migrate, load demo data, start web server + worker + scheduler"
	@echo "make test   - install test requirements and run the whole test suite"
	@echo "make check  - ruff, mypy and makemigrations --check"

# Installing the requirements is most of a first start: uv does it in seconds where pip takes half a
# minute or more. uv from the PATH where there is one; else pip puts uv in the new environment (one
# small wheel), and plain pip remains the fallback should that fail (no uv for this platform).
$(VENV)/.created:
	@test -n "$(PYTHON)" || { echo "No Python >= 3.11 found"; exit 1; }
	@if command -v uv >/dev/null 2>&1; then \
		echo "uv venv $(VENV)"; uv venv --quiet --python $(PYTHON) $(VENV); \
	else \
		echo "$(PYTHON) -m venv $(VENV)"; $(PYTHON) -m venv $(VENV) && \
		{ $(PY) -m pip install --quiet --disable-pip-version-check uv || echo "(zonder uv verder: pip)"; }; \
	fi
	@touch $@

# uv (PATH, then the environment's own), else pip; $(1) is what to install.
install = if command -v uv >/dev/null 2>&1; then uv pip install --quiet --python $(PY) $(1); \
	elif test -x $(VENV)/bin/uv; then $(VENV)/bin/uv pip install --quiet --python $(PY) $(1); \
	else $(PY) -m pip install --quiet --disable-pip-version-check $(1); fi

$(VENV)/.installed-run: requirements.txt $(VENV)/.created
	@echo "Installeren: requirements.txt"
	@$(call install,-r requirements.txt)
	@touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt $(VENV)/.created
	@echo "Installeren: requirements-test.txt"
	@$(call install,-r requirements-test.txt)
	@touch $@ $(VENV)/.installed-run

# `make run` is the product as a user meets it: debug off (Dutch error pages, no tracebacks), static
# files collected into var/ and served by WhiteNoise, gunicorn as the web server (two workers: enough
# for a demonstration, and SQLite has one writer anyway; --preload: the application is loaded once,
# not by each worker, so the first page answers sooner). The worker and the scheduler use the same
# settings. Ctrl-C stops all three: it reaches each of them itself (a second signal on top would make
# gunicorn's workers hang until killed); the end of one (e.g. the port is taken) stops the others.
# The preparation runs in one process: each start of Django costs seconds (pandas, matplotlib).
PREPARE := from django.core.management import call_command as run; \
	run("migrate", interactive=False); run("createcachetable"); \
	run("collectstatic", interactive=False, verbosity=0); run("demo_data"); run("schedules_install"); \
	print(); run("demo_data", logins=True)

run: export DJANGO_SETTINGS_MODULE = $(RUN_SETTINGS)
run: export CASELOAD_BASE_URL = http://$(HOST):$(PORT)
run: $(VENV)/.installed-run
	@echo "Database bijwerken, demogegevens en planning klaarzetten ($(MANAGE) migrate, demo_data, schedules_install)"
	@$(MANAGE) shell --no-imports --command '$(PREPARE)'
	@echo ""
	@echo "Caseload draait op http://$(HOST):$(PORT)/  (beheer: http://$(HOST):$(PORT)/beheer/, API: http://$(HOST):$(PORT)/api/v1/docs/)"
	@echo "Ctrl-C stopt de webserver, de achtergrondverwerker en de planner."
	@echo ""
	@trap 'trap - INT TERM EXIT; wait' INT; \
	trap 'trap - INT TERM EXIT; kill $$(jobs -p) 2>/dev/null; wait' TERM EXIT; \
	$(VENV)/bin/celery -A config worker --loglevel=INFO --pool=solo & \
	$(VENV)/bin/celery -A config beat --loglevel=INFO & \
	$(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --preload --graceful-timeout 5 \
		--access-logfile - --access-logformat '%(h)s "%(r)s" %(s)s %(b)s' & \
	wait -n

test: $(VENV)/.installed-test
	$(PY) -m pytest

check: lint typecheck migrations-check

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .

typecheck: $(VENV)/.installed-test
	$(VENV)/bin/mypy .

migrations-check: $(VENV)/.installed-test
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

benchmark: $(VENV)/.installed-test
	$(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) var db.sqlite3 db.sqlite3-* staticfiles
