# CQĐT — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
HOST ?= 127.0.0.1
PORT ?= 8000

# Python writes its compiled modules (__pycache__, ignored by git), even where the environment
# says not to (PYTHONDONTWRITEBYTECODE is set on the CI machine): otherwise every process — each
# test worker and each subprocess a test starts — compiles src/cqdt again (about 0.5 s of CPU each).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test lint bench bench-http scale-drill migrate demo e2e-deps clean messages

# `make run` installs only what the platform needs to serve; `make test`, `lint` and `bench` add
# the development tools (browsers' driver, type checker, benchmarks) on top.
$(RUN_STAMP): pyproject.toml constraints.txt
	@echo "== [1/3] Installing the platform into $(VENV) (first run only; about a minute) =="
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --progress-bar on -c constraints.txt -e .
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## make run: install, migrate the embedded SQLite database, load reference data, then serve under
## one supervisor (Procfile): the web server, the task worker, the scheduler, and the demo loader
## (the site answers while the demo data arrives behind it).
run: $(RUN_STAMP)
	@echo "== [2/3] Preparing the database (migrations, reference data) =="
	$(BIN)/cqdt prepare
	@echo "== [3/3] Serving at http://$(HOST):$(PORT) (the demo data loads behind it) =="
	PATH="$(CURDIR)/$(BIN):$$PATH" CQDT_HOST=$(HOST) CQDT_PORT=$(PORT) $(BIN)/honcho start -f Procfile

## make messages: refresh both catalogs from the code (the one command everyone runs, so diffs stay
## small: file names without line numbers, no obsolete entries), then compile them. Fill the new
## empty msgstr / fuzzy entries (docs/translations.md) and run `make messages` again to compile.
MESSAGES_OPTS := -l en -l vi --ignore "*/tests/*" --ignore "*/migrations/*" --add-location=file --no-obsolete
messages: $(RUN_STAMP)
	cd src/cqdt && ../../$(BIN)/cqdt makemessages $(MESSAGES_OPTS)
	cd src/cqdt && ../../$(BIN)/cqdt compilemessages -l en -l vi

## make lint: ruff (lint + format check) and mypy.
lint: $(STAMP)
	$(BIN)/ruff check src bench e2e conftest.py
	$(BIN)/ruff format --check src bench e2e conftest.py
	$(BIN)/mypy src/cqdt

## make test: lint, migrations check, the suite on SQLite, and on PostgreSQL when DATABASE_URL names one.
## Two workers that take each other's waiting tests when idle (--dist worksteal): the suite's
## durations are uneven (a 22 s permission matrix, browser tests), and a fixed split left one
## worker idle at the end (quiet 2-core machine: 287.5 s → 264.6 s on SQLite).
## On a fresh checkout with bytecode written (above): 173.2 → 159.7 s wall, 277 → 253 s CPU.
PYTEST := $(BIN)/pytest -p no:cacheprovider -n 2 --dist worksteal
test: lint
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=cqdt.config.settings.test $(BIN)/cqdt makemigrations --check --dry-run
	env -u DATABASE_URL $(PYTEST)
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$DATABASE_URL =="; \
		$(PYTEST) --create-db; \
	fi

## make bench: throughput and latency figures (never asserted in tests).
bench: $(STAMP)
	$(BIN)/python bench/run.py

## make bench-http: only the HTTP runs (platform under granian beside a raw ASGI reference).
## BENCH_HTTP_DOSSIERS=1000000 for the issue's figures (default 20,000: a few minutes).
bench-http: $(STAMP)
	BENCH=bench_http $(BIN)/python bench/run.py

## make scale-drill: own primary + hot standby under var/scale-drill, reads on the standby,
## failover under intake load; no acknowledged intake lost, audit chain intact (issue 17).
scale-drill: $(STAMP)
	$(BIN)/python scripts/scale_drill.py

clean:
	rm -rf $(VENV) var/*.sqlite3*
