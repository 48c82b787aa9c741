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

.PHONY: help run test check lint typecheck migrations-check demo clean benchmark

help:
	@echo "make run    - install, migrate, load demo data, start web server + worker + scheduler"
	@echo "make test   - install test requirements and run the whole test suite"
	@echo "make check  - ruff, mypy and makemigrations --check"

$(VENV)/.created:
	@test -n "$(PYTHON)" || { echo "No Python >= 3.11 found"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.installed-run: requirements.txt $(VENV)/.created
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt $(VENV)/.created
	$(PY) -m pip install --quiet -r requirements-test.txt
	@touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) demo_data
	$(MANAGE) schedules_install
	@echo ""
	@echo "Caseload draait op http://$(HOST):$(PORT)/  (beheer: http://$(HOST):$(PORT)/beheer/, API: http://$(HOST):$(PORT)/api/v1/docs/)"
	@$(MANAGE) demo_data --logins
	@echo "Ctrl-C stopt de webserver, de achtergrondverwerker en de planner."
	@echo ""
	@trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A config worker --loglevel=INFO --pool=solo & \
	$(VENV)/bin/celery -A config beat --loglevel=INFO & \
	$(MANAGE) runserver $(HOST):$(PORT) & \
	wait

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
