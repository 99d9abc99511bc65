# The two commands: `make run` (the whole platform, embedded default) and `make test`.
# Each creates .venv and installs the pinned dependencies itself on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test install system-packages proto clean-data

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	touch $@

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/airline up

# Debian packages the tests drive for real (browser, NGINX, Prometheus...): tools/system-packages.txt.
system-packages:
	sh tools/ensure-system-packages.sh

test: $(STAMP) system-packages
	$(PY) -m pytest

# Regenerate the gRPC code from proto/ (a test fails if the committed code drifts).
proto: $(STAMP)
	$(PY) tools/genproto.py

# Forget all local data (the embedded databases under .airline/).
clean-data:
	rm -rf .airline
