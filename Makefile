# zwgk-kg: `make demo` builds the graph from the example corpus and serves it; `make test` runs the tests.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STORE ?= .zwgk/store
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo build serve test lint bench clean browser virtuoso

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel

# pkuseg compiles Cython code against numpy: install its build requirements first, build without isolation.
$(STAMP): pyproject.toml $(BIN)/python
	$(BIN)/pip install -q numpy cython setuptools
	$(BIN)/python -c "import pkuseg" 2>/dev/null || $(BIN)/pip install -q --no-build-isolation pkuseg
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium for the web page's browser tests (Playwright drives it; no browser download),
# and a CJK font so pages and charts draw Chinese labels.
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; } || \
	  { apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; } || \
	  echo "chromium or a CJK font could not be installed: browser tests will be skipped"

# Debian's Virtuoso Open Source for tests/test_virtuoso.py (a private server on loopback; the system
# service is not started). Installed quietly where this runs as root with apt; otherwise the test skips.
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource; } \
	    >/dev/null 2>&1; } || \
	  echo "virtuoso-opensource could not be installed: the Virtuoso tests will be skipped"

build: install
	$(BIN)/kg build corpus/seeds --store $(STORE) -o $(STORE)/../graph.trig

serve: install
	$(BIN)/kg serve --store $(STORE) --host $(HOST) --port $(PORT)

demo: build serve

test: install browser virtuoso
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy kg extractors api

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf .zwgk build *.egg-info
