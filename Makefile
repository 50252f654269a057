# One virtual environment, made here, for everything: `make lesson` and `make test` are the
# two commands a newcomer needs (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: lesson install install-dev browser test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

install-dev: $(STAMP)

install: install-dev

lesson: install
	$(BIN)/benchlearn lesson 1

# Debian's Chromium drives the browser tests; Playwright's own browser download cannot work offline.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; \
	fi

lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

# loadfile keeps each file's module fixtures on one worker, and tests/conftest.py widens it to
# two lesson groups: the browser files on one worker (one Chromium, one served page) and the
# other lesson files on one (one lesson run), the browser group first. From measured per-test
# times, worksteal balanced no better (within 2%) and load rebuilds the fixtures on both workers.
# The package's bytecode is compiled first (as pip does for a regular install; an editable one
# leaves it to the first import): every Python process of the suite (the workers, the lesson
# servers, the end-to-end commands) reads it, also where PYTHONDONTWRITEBYTECODE stops it saving it.
test: install-dev browser lint
	$(BIN)/python -m compileall -q src
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: install-dev
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache
