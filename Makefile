# Two commands do everything on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
BIN := $(VENV)/bin
SITE_DEPS := $(VENV)/.site-deps
TEST_DEPS := $(VENV)/.test-deps

.PHONY: serve build check test bench linkcheck clean

$(SITE_DEPS): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(TEST_DEPS): $(SITE_DEPS) requirements-dev.txt scripts/install-system-packages.sh
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	scripts/install-system-packages.sh
	touch $@

serve: $(SITE_DEPS)
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

build: $(SITE_DEPS)
	$(BIN)/mkdocs build --strict --site-dir site

check: $(SITE_DEPS)
	$(BIN)/python -m edition.check

test: $(TEST_DEPS)
	$(BIN)/python -m pytest

clean:
	rm -rf site build .pytest_cache
