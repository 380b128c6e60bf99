# Trainyard: `make demo` to try it, `make test` to test it, `make check` for what CI runs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
FRONTEND_SOURCES := $(shell find frontend/src frontend/index.html frontend/package.json frontend/package-lock.json frontend/vite.config.ts frontend/codegen.ts -type f 2>/dev/null)

.PHONY: demo serve test lint fmt check schema bench install frontend clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

frontend/dist/index.html: $(FRONTEND_SOURCES) schema/schema.graphql
	cd frontend && npm ci --no-audit --no-fund && npm run build

frontend: frontend/dist/index.html

install: $(STAMP) frontend

demo: install
	$(BIN)/trainyard demo --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/trainyard serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Format and fix what the linters can fix by themselves.
fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Exactly what CI runs (.ci/run): the linters, then the whole suite.
check: lint test

schema: $(STAMP)
	$(BIN)/trainyard schema

bench: install
	$(BIN)/pytest tests/perf --bench -s

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist .pytest_cache .mypy_cache .ruff_cache
