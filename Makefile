# Two commands do everything on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
BIN := $(VENV)/bin
SITE_DEPS := $(VENV)/.site-deps
PDF_DEPS := $(VENV)/.pdf-deps
TEST_DEPS := $(VENV)/.test-deps
# npm tools of the quality gates (package-lock.json pins them); Lighthouse only for `make bench`.
NODE_TEST_DEPS := node_modules/.test-deps
NODE_BENCH_DEPS := node_modules/.bench-deps
# --ignore-scripts: vnu-jar's install script would download a Java runtime; the system's Java 17 runs it.
NPM_CI := npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

.PHONY: serve serve-en build check lint test test-fast bench linkcheck clean pdf epub

$(SITE_DEPS): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# `make pdf` needs WeasyPrint, and Pango and CJK fonts from the system; not the browser or the test tools.
$(PDF_DEPS): $(SITE_DEPS) requirements-pdf.txt scripts/install-system-packages.sh
	$(BIN)/python -m pip install --quiet -r requirements-pdf.txt
	scripts/install-system-packages.sh pdf
	touch $@

$(TEST_DEPS): $(PDF_DEPS) requirements-dev.txt scripts/install-system-packages.sh
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	scripts/install-system-packages.sh
	touch $@

$(NODE_TEST_DEPS): package.json package-lock.json | $(TEST_DEPS)
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' || \
	  { echo "make: Node.js 18 or later is needed for the quality gates (found $$(node --version))" >&2; exit 1; }
	$(NPM_CI) --omit=dev
	touch $@

$(NODE_BENCH_DEPS): package.json package-lock.json | $(TEST_DEPS)
	$(NPM_CI)
	touch $@ $(NODE_TEST_DEPS)

# MkDocs runs mkdocs.yml's Python tags while it loads the file, before any hook: edition.settings reads the
# file safely and refuses them first (and a file-including extension, a missing hook).
SETTINGS_GATE = $(BIN)/python -m edition.settings
# The English site (mkdocs.en.yml: mkdocs.yml with English navigation and labels) goes into site/en/, after the
# Chinese build, which empties site/ first. In `make pdf` its pages link the downloads in site/pdf/ and site/epub/.
ENGLISH_BUILD = $(BIN)/mkdocs build --strict --config-file mkdocs.en.yml --site-dir site/en

serve: $(SITE_DEPS)
	$(SETTINGS_GATE)
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

# The English site alone, on the next port (its language switch leads to the Chinese site's paths).
serve-en: $(SITE_DEPS)
	$(SETTINGS_GATE)
	$(BIN)/mkdocs serve --strict --config-file mkdocs.en.yml --dev-addr 127.0.0.1:8001

build: $(SITE_DEPS)
	$(SETTINGS_GATE)
	$(BIN)/mkdocs build --strict --site-dir site
	$(ENGLISH_BUILD)
	$(BIN)/python -m edition.outputs.canary site
	$(BIN)/python -m edition.outputs.canary site/en

# The site with its downloads: built with EDITION_PDF=true, its pages (both sites') link the PDFs and the EPUB, and
# this target writes them all, so no link leads nowhere: the whole book and one PDF per chapter into site/pdf/
# (WeasyPrint; Noto CJK fonts embedded), on A4 paper; `make pdf PAPER=letter` writes US Letter copies
# (*-letter.pdf) beside them, unlinked; and the EPUB into site/epub/.
PAPER ?= a4
pdf: $(PDF_DEPS)
	$(SETTINGS_GATE)
	EDITION_PDF=true $(BIN)/mkdocs build --strict --site-dir site
	EDITION_PDF=true $(ENGLISH_BUILD)
	$(BIN)/python -m edition.outputs.pdf site --paper '$(PAPER)'
	$(BIN)/python -m edition.outputs.epub site
	$(BIN)/python -m edition.outputs.canary site
	$(BIN)/python -m edition.outputs.canary site/en

# The book as an EPUB 3, into site/epub/, from the strict build already in site/ (run after `make build`, which
# builds it; this one does not, so the PDFs and their links stay; `make pdf` runs it too, as its pages link the
# EPUB). A subset of Noto Serif CJK is embedded (fontTools, from requirements-pdf.txt).
epub: $(PDF_DEPS)
	$(BIN)/python -m edition.outputs.epub site

check: $(SITE_DEPS)
	$(BIN)/python -m edition.outputs.check

# Opt-in, online: every cited URL; report in build/linkcheck-report.md, results cached in linkcheck-cache.json.
linkcheck: $(SITE_DEPS)
	$(BIN)/python -m edition.outputs.linkcheck

# The gates on the code (pyproject.toml configures all three): lint, format, types. Zero findings.
lint: $(TEST_DEPS)
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy

test: lint $(NODE_TEST_DEPS)
	$(SETTINGS_GATE)
	$(BIN)/python -m pytest

# The same without the browser tests (Playwright and chromium): minutes fewer while you work.
test-fast: lint $(NODE_TEST_DEPS)
	$(SETTINGS_GATE)
	$(BIN)/python -m pytest -m "not browser"

bench: $(TEST_DEPS) $(NODE_BENCH_DEPS)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf site build .pytest_cache .ruff_cache .mypy_cache
