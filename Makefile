# CQĐT — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench migrate demo e2e-deps clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## make run: install, migrate the embedded SQLite database, load reference data, then serve under
## one supervisor (Procfile): the web server, the task worker, the scheduler, and the demo loader
## (the site answers while the demo data arrives behind it).
run: $(STAMP)
	$(BIN)/cqdt migrate --noinput
	$(BIN)/cqdt createcachetable
	$(BIN)/cqdt load_reference_data
	PATH="$(CURDIR)/$(BIN):$$PATH" CQDT_HOST=$(HOST) CQDT_PORT=$(PORT) $(BIN)/honcho start -f Procfile

## make lint: ruff (lint + format check) and mypy.
lint: $(STAMP)
	$(BIN)/ruff check src bench e2e
	$(BIN)/ruff format --check src bench e2e
	$(BIN)/mypy src/cqdt

## make test: lint, migrations check, the suite on SQLite, and on PostgreSQL when DATABASE_URL names one.
test: lint
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=cqdt.config.settings.test $(BIN)/cqdt makemigrations --check --dry-run
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider -n 2
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$DATABASE_URL =="; \
		$(BIN)/pytest -p no:cacheprovider -n 2 --create-db; \
	fi

## make bench: throughput and latency figures (never asserted in tests).
bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var/*.sqlite3*
