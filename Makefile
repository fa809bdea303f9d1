# Two commands, each doing its own set-up from a fresh clone:
#   make run    - the dashboard (streamlit run dashboard.py)
#   make test   - the whole test suite (unit, AppTest, real browser when Chromium is present)
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: run test lint bench screenshots load clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) -m streamlit run dashboard.py

test: $(VENV)/.dev
	$(PY) -m pytest

lint: $(VENV)/.dev   # style (ruff) and the layers (import-linter contracts in pyproject.toml)
	$(PY) -m ruff check ae tests pages scripts dashboard.py
	$(VENV)/bin/lint-imports

screenshots: $(VENV)/.dev   # the README's pictures, taken by the real-browser test
	AE_SCREENSHOTS_DIR=assets/screenshots $(PY) -m pytest tests/e2e -m e2e

$(VENV)/.load: $(VENV)/.runtime requirements-load.txt
	$(PY) -m pip install -q -r requirements-load.txt
	touch $@

load: $(VENV)/.load   # forty students over Streamlit's protocol (Locust); ARGS="--steps 10,20"
	$(PY) scripts/class_load.py $(ARGS)

bench: $(VENV)/.runtime
	$(PY) -m ae bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
