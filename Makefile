# termlight — the two commands that matter are `make serve` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
RUNTIME := $(VENV)/.runtime
STAMP := $(VENV)/.installed
NODE_TOOLS := tools/node_modules/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test test-fast install install-runtime chromium postgres node load-tools extension lint-extension bench soak clean

# What serving needs and nothing more: the `dependencies` of pyproject.toml.
$(RUNTIME): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $(RUNTIME)

# The same venv plus the test and benchmark extras (Playwright, schemathesis, flashtext, ...).
$(STAMP): $(RUNTIME)
	$(PY) -m pip install -q -e ".[test,bench]"
	touch $(STAMP)

install-runtime: $(RUNTIME)
install: $(STAMP) $(NODE_TOOLS)

# npm tools at the versions in tools/package-lock.json (web-ext, TypeScript, jsdom), installed here
# rather than fetched by npx while the tests run.
$(NODE_TOOLS): tools/package.json tools/package-lock.json | node
	cd tools && npm ci --no-fund --no-audit --loglevel=error
	touch $(NODE_TOOLS)

# Debian's Chromium drives the browser tests; Playwright cannot download its own here.
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# The team-glossary tests start their own PostgreSQL from Debian's binaries (two hosts, one database).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql; }

# Node runs the extension's local matcher in tests/js and the parity tests, npm installs the
# tools (Debian's packages).
node:
	@command -v node >/dev/null && command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm; }

# wrk drives the load tests in tests/reliability (Debian's package, like Chromium above).
load-tools:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk; }

# PORT=8766 make serve (or any setting of the README's Configuration table) changes it.
serve: install-runtime
	$(VENV)/bin/termlight serve

test: install chromium postgres node load-tools
	$(PY) -m pytest -q tests

# Everything that needs no browser, no server and no outside tool (markers in pyproject.toml):
# the core, the CLI, the app in-process, the static checks. Under 30 s.
test-fast: install
	$(PY) -m pytest -q -p no:schemathesis -p no:anyio -n auto -m "not browser and not server and not external" tests

# The long reliability runs: >= 10,000 fuzzed requests, >= 10,000 random texts (in-process and
# over HTTP, plus the core property tests at 10,000 examples), 60 s of saturating load, faults
# repeated under load, 256 idle or half-sent connections held for 60 s. About 16 minutes;
# `make test` runs a short version of each.
soak: install chromium node load-tools
	TERMLIGHT_SOAK=1 TERMLIGHT_PROPERTY_EXAMPLES=10000 $(PY) -m pytest -q -s -p no:cacheprovider \
		tests/reliability tests/core/test_properties.py

# The browser extension as a zip (load it unpacked from extension/ while developing).
extension:
	python3 extension/tools/pack.py dist/termlight-extension.zip

# Mozilla's linter for the one manifest that serves Chrome and Firefox (npm's web-ext), and
# TypeScript's checker over every extension file marked `// @ts-check` (tools/tsconfig.json).
lint-extension: $(NODE_TOOLS)
	tools/node_modules/.bin/web-ext lint --source-dir extension
	tools/node_modules/.bin/tsc -p tools/tsconfig.json

# Matcher, start-up, HTTP and extension benchmarks side by side; tables in bench/RESULTS.md.
# Uses ../shared/corpus when present, a generated corpus otherwise.
bench: install chromium load-tools
	$(PY) -m bench

clean:
	rm -rf $(VENV) dist build .pytest_cache .hypothesis tools/node_modules
