# Two entry points (see README): `make run` and `make test`. Everything else is their plumbing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test setup system-deps lint build serve clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Debian packages the browser test needs (headless Chromium); skipped when present.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is missing: run 'sudo apt-get install chromium' (needed by the browser test)"; exit 1; \
	  fi; \
	fi

## the main job: build the graph, validate it, serve it on the embedded store
run: setup
	$(BIN)/pressgraph build
	$(BIN)/pressgraph serve

## the whole test suite, lint first
test: setup system-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) dist .pressgraph .pytest_cache .ruff_cache
