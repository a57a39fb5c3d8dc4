# termlight — the two commands that matter are `make serve` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test install chromium postgres load-tools extension lint-extension bench soak clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test,bench]"
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium drives the browser tests; Playwright cannot download its own here.
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# The team-glossary tests start their own PostgreSQL from Debian's binaries (two hosts, one database).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql; }

# wrk drives the load tests in tests/reliability (Debian's package, like Chromium above).
load-tools:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk; }

serve: install
	$(VENV)/bin/termlight serve

test: install chromium postgres load-tools
	$(PY) -m pytest -q tests

# The long reliability runs: >= 10,000 fuzzed requests, >= 10,000 random texts (in-process and
# over HTTP, plus the core property tests at 10,000 examples), 60 s of saturating load, faults
# repeated under load. About 15 minutes; `make test` runs a short version of each.
soak: install chromium load-tools
	TERMLIGHT_SOAK=1 TERMLIGHT_PROPERTY_EXAMPLES=10000 $(PY) -m pytest -q -s -p no:cacheprovider \
		tests/reliability tests/core/test_properties.py

# The browser extension as a zip (load it unpacked from extension/ while developing).
extension:
	python3 extension/tools/pack.py dist/termlight-extension.zip

# Mozilla's linter for the one manifest that serves Chrome and Firefox (npm's web-ext).
lint-extension:
	npx --yes web-ext lint --source-dir extension

# Matcher, start-up, HTTP and extension benchmarks side by side; tables in bench/RESULTS.md.
# Uses ../shared/corpus when present, a generated corpus otherwise.
bench: install chromium load-tools
	$(PY) -m bench

clean:
	rm -rf $(VENV) dist build .pytest_cache .hypothesis
