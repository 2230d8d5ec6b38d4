# UST Weekly — set-up, build and test.  `make report` and `make test` work on a fresh Debian machine.
SHELL := /bin/bash
# The interpreter: Debian's own python3, installed below with the other system packages. It is linked
# statically and built with Debian's optimisations; the pyenv build found first on PATH on the build
# machines (a shared libpython) lays the note out ~10 % slower (docs/performance.md, session 8).
# Override with `make PYTHON=...`; a .venv made from another interpreter is made again.
PYTHON ?= /usr/bin/python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages the project needs: a CJK font family (regular + bold) for the note and the charts,
# HarfBuzz's subsetter (WeasyPrint subsets fonts with it in well under a second; its fontTools fallback
# takes ~10 s per build on a CJK font), pango (WeasyPrint's text layout) and poppler-utils (pdftotext,
# pdffonts and pdftoppm, used by the tests to read the PDF back), and Python itself with its venv module.
SYSTEM_PACKAGES := python3 python3-venv fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils
# Only the tests need these: a real headless browser for the live preview, LibreOffice to open the appendix.
TEST_SYSTEM_PACKAGES := chromium libreoffice-calc-nogui
AS_OF ?=
BUILD_ARGS ?=

.PHONY: help setup test-setup system-deps interpreter bytecode report test bench lint clean
help:
	@echo "make report   set up .venv and system packages, then build the demo note into output/"
	@echo "make test     same set-up, then run the whole test suite"
	@echo "make bench    stage split, memory, sizes; with ../shared/bench the paired comparison and docs/performance.md"
	@echo "make lint     ruff check and format check"

setup: system-deps interpreter $(VENV)/.installed bytecode

test-setup: PACKAGES = $(SYSTEM_PACKAGES) $(TEST_SYSTEM_PACKAGES)
test-setup: system-deps interpreter $(VENV)/.installed bytecode

# A .venv made from another interpreter than $(PYTHON) (another path or version) is removed, so that the
# next step makes it again from $(PYTHON). Runs before $(VENV)/.installed is looked at.
REAL_PYTHON = import os, sys; print(os.path.realpath(getattr(sys, "_base_executable", sys.executable)), sys.version)
interpreter: system-deps
	@want=$$($(PYTHON) -c '$(REAL_PYTHON)') || { echo "error: $(PYTHON) does not run; install Debian's python3 or pass PYTHON=..." >&2; exit 1; }; \
	if [ -e $(VENV) ] && [ "$$($(BIN)/python -c '$(REAL_PYTHON)' 2>/dev/null)" != "$$want" ]; then \
	  echo "$(VENV) was made from another interpreter than $(PYTHON): making it again"; rm -rf $(VENV); \
	fi

PACKAGES ?= $(SYSTEM_PACKAGES)
system-deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages: $$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else \
	    echo "error: missing Debian packages: $$missing. Install them as root: apt-get install $$missing" >&2; exit 1; fi; \
	  $$SUDO apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing >/dev/null \
	    || { echo "error: apt-get could not install: $$missing (check the network or install them by hand)" >&2; exit 1; }; \
	fi

$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

# pip byte-compiles the packages it installs, but an editable install leaves the project's own modules
# to their first import, and where PYTHONDONTWRITEBYTECODE is set (as on the build machines) that
# compiles them again at every start: 0.1–0.4 s of each command. Modules already compiled are skipped.
bytecode: $(VENV)/.installed
	@$(BIN)/python -m compileall -q generator charts

report: setup
	$(BIN)/ust-weekly build $(if $(AS_OF),--as-of $(AS_OF)) $(BUILD_ARGS)

test: test-setup
	$(BIN)/python -m pytest -q --durations=15

bench: setup
	$(BIN)/python -m generator.bench

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf output .pytest_cache .ruff_cache
