# Quick start: `make demo` (set up, then extract the bundled examples) and
# `make test` (set up, then run the tests). Both create .venv on first use.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench setup clean chromium

$(STAMP): pyproject.toml lab/pyproject.toml
	@command -v $(PY) >/dev/null || { echo "need $(PY)"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,all]' -e ./lab
	touch $(STAMP)

setup: $(STAMP)

SEED := $(wildcard ../shared/seed/*.txt)

# The main job on the bundled pages (and the seed dump when ../shared is beside
# the clone): one JSONL row per input in out/demo.jsonl, then two bodies shown.
demo: $(STAMP)
	$(BIN)/copydesk extract examples/ $(SEED) -o out/demo.jsonl
	$(BIN)/copydesk extract examples/harbour-wind-farm.html --format markdown
	$(if $(SEED),$(BIN)/copydesk extract $(SEED) --format text)
	@echo "rows written to out/demo.jsonl"

# The inspector's browser tests drive Debian's chromium (Playwright's own browser
# download does not work offline). Skipped when present; when it cannot be
# installed (not root, no apt) the e2e tests skip and say why.
chromium:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium >/dev/null; } || echo "chromium not installed: e2e tests will skip"

test: $(STAMP) chromium
	$(BIN)/ruff check src lab tests scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_import_cycles.py src/copydesk
	$(BIN)/python scripts/check_import_cycles.py lab/src/copydesk_lab
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/copydesk bench

clean:
	rm -rf $(VENV) out
