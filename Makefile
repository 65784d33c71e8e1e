# The two commands that matter: `make run` and `make test`. Everything they need is set up here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 3978
PLAYGROUND_PORT ?= 56150
# pytest workers for `make test` and `make unit` (pytest-xdist); the e2e tests stay on one of them.
TEST_WORKERS ?= 2
export DATABASE_URL ?= sqlite+aiosqlite:///var/klussenbank.db

.PHONY: run run-two-tenants playground-noord playground-zuid serve playground test lint typecheck unit e2e package clean help

help:
	@echo "make run         set up and start the bot on http://127.0.0.1:$(PORT)/api/messages (SQLite + demo)"
	@echo "make playground  start the Microsoft 365 Agents Playground against the running bot"
	@echo "make run-two-tenants  the bot for two tenants (demo/two-tenants); then make playground-noord and playground-zuid"
	@echo "make test        set up and run lint, type check and the whole test suite"
	@echo "make package     build the Teams app zip (needs KLUSSENBANK_APP_ID and KLUSSENBANK_BOT_DOMAIN)"

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Debian's Chromium drives the end-to-end tests; Playwright never downloads a browser of its own.
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: run 'sudo apt-get install chromium'"; exit 1; fi; }

run: $(STAMP) node_modules/.installed
	$(BIN)/klussenbank db upgrade
	$(BIN)/klussenbank demo load
	@echo
	@echo "Open the Agents Playground in a second terminal: make playground"
	@echo "then browse to http://127.0.0.1:$(PLAYGROUND_PORT) and say 'hallo' to Klussenbank."
	@echo
	$(BIN)/klussenbank serve --port $(PORT)

playground: node_modules/.installed
	BOT_PORT=$(PORT) PLAYGROUND_PORT=$(PLAYGROUND_PORT) scripts/playground.sh

# Two Microsoft 365 tenants in one pool (README, "Several tenants"), on a database of their own, each
# tenant with its own Playground: Noord (Chantal, Ermelo) on 56150, Zuid (Eva, Zeewolde) on 56151.
TWO_TENANTS := KLUSSENBANK_TENANTS_FILE=demo/two-tenants/tenants.toml DATABASE_URL=sqlite+aiosqlite:///var/two-tenants.db

run-two-tenants: $(STAMP) node_modules/.installed
	@mkdir -p var
	$(TWO_TENANTS) $(BIN)/klussenbank db upgrade
	$(TWO_TENANTS) $(BIN)/klussenbank demo load
	@echo
	@echo "Open one Playground per tenant in two more terminals: make playground-noord, make playground-zuid"
	@echo "then browse to http://127.0.0.1:56150 (Chantal, tenant Noord) and http://127.0.0.1:56151 (Eva, tenant Zuid)."
	@echo
	$(TWO_TENANTS) $(BIN)/klussenbank serve --port $(PORT)

playground-noord: node_modules/.installed
	M365_AGENTS_PLAYGROUND_CONFIG_PATH=demo/two-tenants/playground-noord.yml BOT_PORT=$(PORT) PLAYGROUND_PORT=56150 scripts/playground.sh

playground-zuid: node_modules/.installed
	M365_AGENTS_PLAYGROUND_CONFIG_PATH=demo/two-tenants/playground-zuid.yml BOT_PORT=$(PORT) PLAYGROUND_PORT=56151 M365_AGENTS_PLAYGROUND_LOGFILE=var/agentsplayground-zuid.log scripts/playground.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check src tests scripts bench
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) node_modules/.installed chromium lint typecheck
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup --durations=15

unit: $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup -m "not e2e"

e2e: $(STAMP) node_modules/.installed chromium
	$(BIN)/pytest -m e2e

package: $(STAMP)
	@test -n "$$KLUSSENBANK_BOT_DOMAIN" || { echo "Set KLUSSENBANK_BOT_DOMAIN (e.g. klussenbank.example.nl)"; exit 2; }
	$(BIN)/klussenbank package --domain "$$KLUSSENBANK_BOT_DOMAIN" --out dist/klussenbank.zip

clean:
	rm -rf $(VENV) node_modules dist var .pytest_cache .mypy_cache .ruff_cache
