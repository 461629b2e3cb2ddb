# Every target creates .venv when it is missing, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
# `make run` needs only the runtime dependencies (no test and lint tools).
RUN_STAMP := $(VENV)/.installed-run
# Browser tests drive Debian's Chromium (never a downloaded browser).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test test-fast lint audit soak bench demo screenshots dossier-screenshots translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP) $(RUN_STAMP)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/sprachrohr serve --load-demo-if-empty

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python scripts/audit.py

# Known vulnerabilities in the installed dependencies (pip-audit against PyPI).
audit: $(STAMP)
	$(BIN)/python scripts/audit.py

# kill -9 of the server during a mixed write burst, SOAK_CYCLES times (default 50) on
# SQLite and on PostgreSQL; `make test` runs 5 cycles. See docs/operations.md.
soak: $(STAMP)
	SOAK_CYCLES=$${SOAK_CYCLES:-50} $(BIN)/pytest -q -s tests/scale/test_soak.py

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver

# The sign-in tests run a real OpenID provider (npm oidc-provider) from this folder.
OIDC_PROVIDER := tests/oidc/provider/node_modules/.package-lock.json
$(OIDC_PROVIDER): tests/oidc/provider/package-lock.json
	cd tests/oidc/provider && npm ci --no-audit --no-fund

# The accessibility test injects npm axe-core from this folder.
AXE := tests/e2e/axe/node_modules/.package-lock.json
$(AXE): tests/e2e/axe/package-lock.json
	cd tests/e2e/axe && npm ci --no-audit --no-fund

test: lint $(CHROMIUM) $(OIDC_PROVIDER) $(AXE)
	$(BIN)/pytest -q

# The fast tier: the rules, the use cases and the views in memory (no PostgreSQL, no
# browser, no demo association), and the architecture's import rules.
FAST := tests/domain tests/service tests/projections tests/architecture
test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not slow and not postgres" $(FAST)

screenshots: $(STAMP) $(CHROMIUM) $(AXE)
	UPDATE_SCREENSHOTS=1 $(BIN)/pytest -q tests/e2e

# PNG renders of a demo dossier's cover and a working-group page (Debian's pdftoppm).
dossier-screenshots: $(STAMP)
	command -v pdftoppm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq poppler-utils; }
	$(BIN)/python scripts/dossier_screenshots.py

translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -o api/locale/messages.pot .
	$(BIN)/pybabel update -i api/locale/messages.pot -d api/locale -l de --no-fuzzy-matching --ignore-obsolete

bench: $(STAMP)
	$(BIN)/python -m bench

demo: $(STAMP)
	$(BIN)/sprachrohr demo

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
