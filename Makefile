# Afterglow: `make run` serves the app, `make test` runs the whole suite.
# Both create .venv on first use; nothing else is needed but Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-dates bench scheduler clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-app

## Serve the app at http://127.0.0.1:5000 (SQLite, schema migrated, embedded reminder scheduler).
run: $(VENV)/.installed-app
	$(BIN)/flask --app wsgi serve --host $(HOST) --port $(PORT)

## Install the test dependencies and run the whole suite.
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

## Run the tests that read the clock again at other dates (needs Debian's faketime).
test-dates: $(VENV)/.installed-test
	PYTHON=$(BIN)/python bash .ci/test-dates

## Print the performance figures next to their targets.
bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

## The reminder scheduler as its own process (production).
scheduler: $(VENV)/.installed-app
	$(BIN)/flask --app wsgi scheduler

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache
