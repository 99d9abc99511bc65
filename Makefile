# The two commands: `make run` (the whole platform, embedded default) and `make test`.
# Each creates .venv and installs the pinned dependencies itself on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test test-ready lint install system-packages proto clean-data deploy-check deploy-tools web web-check web-types

# The browser UI (web/, an npm workspace): installed from the committed lockfile, rebuilt when
# any of its sources changed since the last build (the gateway serves the builds).
WEB_DEPS  := web/node_modules/.installed-stamp
WEB_STAMP := web/.build-stamp
WEB_SRC   := $(shell find web -type d \( -name node_modules -o -name dist -o -name out -o -name .next -o -name test-results \) -prune -o -type f ! -name .build-stamp ! -name '*.tsbuildinfo' ! -name next-env.d.ts ! -name README.md -print 2>/dev/null)
export NEXT_TELEMETRY_DISABLED := 1

# uv (pinned) fetches and unpacks the locked wheels in parallel: on a fresh clone with no cache pip
# took 80-160 s for them (one at a time, while npm and the checkov venv installed beside it), uv
# about 10 s. Same constraints, same versions; pip stays the fallback should uv fail. Bytecode is
# compiled at install, as pip does: else the test run's first processes, started together, each
# compile the same modules (the web checks, not this, are the longer path before pytest).
UV_VERSION := 0.13.10
$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	test -x $(VENV)/bin/uv || $(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -c requirements.lock -e '.[test,deploy]' \
	  || $(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test,deploy]'
	touch $@

install: $(STAMP)

$(WEB_DEPS): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WEB_STAMP): $(WEB_DEPS) $(WEB_SRC)
	cd web && npm run build --silent
	touch $@

web: $(WEB_STAMP)

# Type checks, component tests and the duplicate-code check (jscpd, 6+ lines) of every web package (the browser tests run under pytest,
# against the platform the test run starts).
web-check: $(WEB_DEPS)
	cd web && npm run typecheck --silent && npm test --silent && npm run dupcheck --silent

# The UI's API types (web/packages/ui/src/api/schema.d.ts) from the gateway's own OpenAPI document
# (no servers) by openapi-typescript: run after changing a route or a schema; the unit test
# tests/unit/test_web_api_types.py fails until it is, and web-check's typecheck then shows the UI that no longer fits.
web-types: $(STAMP) $(WEB_DEPS)
	$(PY) tools/openapi_dump.py --typescript web/packages/ui/src/api/schema.d.ts

run: $(STAMP) $(WEB_STAMP)
	$(VENV)/bin/airline up

# Debian packages the tests drive for real (browser, NGINX, Prometheus...): tools/system-packages.txt.
system-packages:
	sh tools/ensure-system-packages.sh

# pytest-xdist: the tests mostly wait (on consumers, polls, timers), so several workers, each with
# its own embedded servers and in-process services, share the two cores; a file's tests stay on
# one worker (its module fixtures are built once). Files go out in collection order (deploy, e2e,
# integration, unit), not xdist's default of most tests first, which left the minutes-long
# one-test e2e files for the end with the other worker idle.
# What the tests need is made first, side by side (-j3): the installs mostly wait on the network
# and the web build, web checks and lint on the CPU; --output-sync keeps each target's lines together.
TEST_WORKERS ?= 2
test:
	$(MAKE) --no-print-directory -j3 --output-sync=target test-ready
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder
test-ready: $(STAMP) system-packages deploy-tools $(WEB_STAMP) web-check lint

# Offline checks of deploy/ and the parts that run here (Prometheus, NGINX, ZooKeeper, OTLP).
deploy-check: $(STAMP) system-packages deploy-tools
	$(PY) -m pytest tests/deploy -q

# Tools the deploy checks drive that cannot share .venv: checkov (pins packaging<24) in its
# own venv, and TypeScript + @grafana/schema for the dashboards (npm, pinned by package-lock).
DEPLOY_VENV  := .venv-deploy
DEPLOY_STAMP := $(DEPLOY_VENV)/.installed-stamp
GRAFANA_CHECK := deploy/grafana/check
$(DEPLOY_STAMP): deploy/checkov.lock
	test -x $(DEPLOY_VENV)/bin/python || $(PYTHON) -m venv $(DEPLOY_VENV)
	$(DEPLOY_VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(DEPLOY_VENV)/bin/uv pip install --quiet --compile-bytecode --python $(DEPLOY_VENV)/bin/python -r deploy/checkov.lock \
	  || $(DEPLOY_VENV)/bin/pip install --quiet --disable-pip-version-check -r deploy/checkov.lock
	touch $@
$(GRAFANA_CHECK)/node_modules/.installed-stamp: $(GRAFANA_CHECK)/package-lock.json
	cd $(GRAFANA_CHECK) && npm ci --no-audit --no-fund --loglevel=error
	touch $@
deploy-tools: $(DEPLOY_STAMP) $(GRAFANA_CHECK)/node_modules/.installed-stamp

# Habits: ruff (lint + format check), mypy strict on the kernel, the contracts and every domain
# module, pylint's duplicate-code check (6+ identical lines; generated code and Alembic versions
# excepted) over src/. Settings in pyproject.toml.
PY_TREES := src tests bench tools deploy
MYPY_STRICT := src/airline/platform src/airline/contracts src/airline/booking/compensation.py $(wildcard src/airline/*/domain.py src/airline/*/domain/*.py)
lint: $(STAMP)
	$(VENV)/bin/ruff check $(PY_TREES)
	$(VENV)/bin/ruff format --check $(PY_TREES)
	$(VENV)/bin/mypy $(MYPY_STRICT)
	$(VENV)/bin/pylint --disable=all --enable=duplicate-code --score=n src/airline

# Regenerate the gRPC code from proto/ (a test fails if the committed code drifts).
proto: $(STAMP)
	$(PY) tools/genproto.py

# Forget all local data (the embedded databases under .airline/).
clean-data:
	rm -rf .airline
